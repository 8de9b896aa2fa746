"""config.rows: plain-SQL single-row reads give the instance the ORM gives."""

import pytest

from accounts.models import Agency
from config.rows import get_by
from procedures.models import Procedure

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_row_read_by_a_unique_column_equals_the_orms(birth_registration, ward):
    for model, column, value in [
        (Procedure, "code", birth_registration.code),
        (Agency, "code", ward.code),
        (Agency, "id", ward.pk),
    ]:
        found, expected = get_by(model, column, value), model.objects.get(**{column: value})
        assert type(found) is model and not found._state.adding
        assert values(found) == values(expected)


def test_no_row_is_none_and_a_column_that_is_not_unique_is_refused(ward):
    assert get_by(Agency, "code", "không có") is None
    with pytest.raises(ValueError):
        get_by(Agency, "province_code", ward.province_code)
