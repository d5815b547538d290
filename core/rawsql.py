"""Model instances from rows read by hand-written SQL, converted as the ORM converts them.

For the few hot paths whose SQL is built once per process instead of compiled per request
(``core.authentication``, ``assessments.selectors.diagnostic_detail_get``): each value goes through
the converters the ORM applies to that column (e.g. SQLite's naive datetimes made aware, its integers
made booleans, its decimals quantized), then ``Model.from_db`` builds the instance.
"""
from functools import cache

from django.db import connection


def model_order(model, names) -> list[str]:
    """``names`` (attnames) in the model's concrete field order: the order ``Model.from_db`` reads values in."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


@cache
def _converters(model, names: tuple[str, ...], vendor: str) -> tuple:
    out = []
    for name in names:
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        column = field.get_col(model._meta.db_table)
        out.append((column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))))
    return tuple(out)


def from_row(model, names: list[str], values):
    """An instance of ``model`` with ``names`` (in ``model_order``) set from ``values``, converted."""
    converted = []
    for value, (column, converters) in zip(values, _converters(model, tuple(names), connection.vendor),
                                           strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, names, converted)
