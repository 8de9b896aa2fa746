"""Applicant checks at intake: citizen ID, phone, email, name; components provided or acknowledged missing."""

import pytest

from config.errors import InvalidInput
from dossiers.lifecycle.validation import (
    citizen_id_error,
    missing_required,
    normalise_phone,
    validate_applicant,
    validate_missing_list,
)

from .lifecycle import (
    APPLICANT,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("001190012345", True),  # Hà Nội
        ("079200001234", True),  # Thành phố Hồ Chí Minh
        ("096300000001", True),  # Cà Mau, the last code
        ("000190012345", False),  # no province 000
        ("003190012345", False),  # 003 is not a province code
        ("097190012345", False),  # beyond 096
        ("00119001234", False),  # 11 digits
        ("0011900123456", False),  # 13 digits
        ("00119001234a", False),
        ("", False),
    ],
)
def test_citizen_id(value, valid):
    assert (citizen_id_error(value) is None) is valid


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0912345678", "0912345678"),
        ("0312 345 678", "0312345678"),
        ("091.234.5678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 86 123 4567", "0861234567"),
        ("84912345678", "0912345678"),
        ("0512345678", "0512345678"),
        ("0712345678", "0712345678"),
        ("0212345678", None),  # landline prefix
        ("0112345678", None),
        ("091234567", None),  # 9 digits
        ("09123456789", None),  # 11 digits
        ("+1 202 555 0100", None),
        ("số điện thoại", None),
    ],
)
def test_phone(value, normalised):
    assert normalise_phone(value) == normalised


def test_a_valid_applicant_is_trimmed_and_normalised():
    clean = validate_applicant(
        {**APPLICANT, "name": "  Trần   Thị Bình ", "phone": "+84912345678", "email": " Binh@Example.VN "}
    )
    assert clean["name"] == "Trần Thị Bình"
    assert clean["phone"] == "0912345678"
    assert clean["email"] == "binh@example.vn"


def test_phone_and_email_are_optional():
    clean = validate_applicant({**APPLICANT, "phone": "", "email": ""})
    assert (clean["phone"], clean["email"]) == ("", "")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"name": " "}, {"name"}),
        ({"id_number": "12"}, {"id_number"}),
        ({"phone": "123"}, {"phone"}),
        ({"email": "a@b"}, {"email"}),
        ({"name": "", "id_number": "", "phone": "x", "email": "y"}, {"name", "id_number", "phone", "email"}),
    ],
)
def test_every_bad_field_is_reported_at_once_in_both_languages(change, fields):
    with pytest.raises(InvalidInput) as err:
        validate_applicant({**APPLICANT, **change})
    assert set(err.value.fields) == fields
    assert all(f["message"] and f["message_en"] for f in err.value.fields.values())


@pytest.mark.django_db
def test_missing_required_components(birth_registration):
    form, certificate = birth_registration.requirements.order_by("order")
    assert missing_required(birth_registration, [form.pk, certificate.pk]) == []
    assert missing_required(birth_registration, [form.pk]) == [certificate]
    with pytest.raises(InvalidInput) as err:
        missing_required(birth_registration, [form.pk, 10**9])
    assert "provided_requirement_ids" in err.value.fields


@pytest.mark.django_db
def test_a_supplement_list_needs_a_reason_per_item(birth_registration):
    form = birth_registration.requirements.order_by("order").first()
    clean = validate_missing_list(
        birth_registration,
        [
            {"requirement_id": form.pk, "reason": " Thiếu chữ ký "},
            {"name": "Giấy xác nhận cư trú", "reason": "Cần bổ sung"},
        ],
    )
    assert clean == [
        {"requirement_id": form.pk, "name": "Tờ khai", "reason": "Thiếu chữ ký"},
        {"requirement_id": None, "name": "Giấy xác nhận cư trú", "reason": "Cần bổ sung"},
    ]
    with pytest.raises(InvalidInput) as err:
        validate_missing_list(
            birth_registration, [{"requirement_id": 10**9}, {"name": "x", "reason": "y"}, "z"]
        )
    assert set(err.value.fields) == {
        "missing.0.requirement_id",
        "missing.0.name",
        "missing.0.reason",
        "missing.2.name",
        "missing.2.reason",
    }
