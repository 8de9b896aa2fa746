"""Single-row reads by a unique column in plain SQL: for hot request paths, where compiling the ORM query
costs several times more than running it. Returns a model instance as the ORM would (all concrete fields)."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import Model


@cache
def _statement(model: type[Model], column: str) -> tuple[str, list[str]]:
    fields = model._meta.concrete_fields
    if any(hasattr(f, "from_db_value") for f in fields):  # values that need converting: use the ORM
        raise TypeError(f"{model.__name__} has fields read through converters")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    key = model._meta.get_field(column)
    if not key.unique:
        raise ValueError(f"{model.__name__}.{column} is not unique")
    where = connection.ops.quote_name(key.column)
    return f"SELECT {columns} FROM {table} WHERE {where} = %s", [f.attname for f in fields]


def get_by(model: type[Model], column: str, value) -> Model | None:
    """The row of `model` whose unique `column` equals `value`, or None. One query, no ORM compilation."""
    sql, names = _statement(model, column)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    return None if row is None else model.from_db(connection.alias, names, row)
