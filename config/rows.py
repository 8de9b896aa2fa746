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


@cache
def _insert_statement(model: type[Model]) -> tuple[str, str, str, list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return f"INSERT INTO {table} ({columns}) VALUES ", f" RETURNING {pk}", row, fields


def insert(*objs: Model) -> None:
    """INSERT new instances of one model as `save()` would (auto_now values, field preparation), in one
    statement and without compiling an ORM query; sets their primary keys. Refuses models that save through a
    save() override or save signals."""
    from django.db.models.signals import post_save, pre_save

    if not objs:
        return
    model = type(objs[0])
    if pre_save.has_listeners(model) or post_save.has_listeners(model) or model.save is not Model.save:
        raise TypeError(f"{model.__name__} saves through save() or signals: use the ORM")
    head, tail, row, fields = _insert_statement(model)
    values = []
    for obj in objs:
        if type(obj) is not model or not obj._state.adding or obj.pk is not None:
            raise ValueError("insert() writes new rows of one model only")
        obj._prepare_related_fields_for_save(operation_name="insert")
        values += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(head + ", ".join([row] * len(objs)) + tail, values)
        keys = [r[0] for r in cursor.fetchall()]
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, connection.alias
