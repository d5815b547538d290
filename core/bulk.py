"""Fast bulk writes for large batches (seeding, batch scoring).

Rows go through ``COPY ... FROM STDIN`` (psycopg 3), and bulk updates through a temporary table
filled by COPY and one ``UPDATE ... FROM``: both are an order of magnitude faster than
``bulk_create``/``bulk_update`` (whose ``CASE WHEN`` statements grow with the batch). No signals
are sent and no primary keys are set on the objects, like ``bulk_create`` without RETURNING.
"""

from collections.abc import Iterable, Sequence

import orjson
from django.db import connection, models


def _concrete_fields(model: type[models.Model], names: Sequence[str] | None):
    if names is None:
        return [f for f in model._meta.concrete_fields if not f.primary_key]
    return [model._meta.get_field(name) for name in names]


def _getters(fields, insert: bool):
    """One function per field returning its database value; plain attributes where psycopg adapts
    the Python value itself (the common case: this is the hot loop)."""
    getters = []
    for field in fields:
        if insert and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
            getters.append(lambda obj, f=field: f.pre_save(obj, add=True))
        elif isinstance(field, models.JSONField) or not type(field).__module__.startswith("django."):
            # JSON, and fields of other packages (a phone number) whose values psycopg cannot adapt
            getters.append(lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), connection))
        else:
            getters.append(lambda obj, name=field.attname: getattr(obj, name))
    return getters


def copy_insert(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str] | None = None) -> int:
    """Insert ``objs`` (without primary keys) and return how many."""
    if not objs:
        return 0
    concrete = _concrete_fields(model, fields)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in concrete)
    with connection.cursor() as cursor:
        getters = _getters(concrete, insert=True)
        with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
    return len(objs)


def take_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys from ``model``'s identity sequence, in increasing order."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_insert_with_ids(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    """``copy_insert`` giving each object a primary key from the sequence first (set on it, in order)."""
    for obj, pk in zip(objs, take_ids(model, len(objs)), strict=True):
        obj.pk = pk
    return copy_insert(model, objs, [model._meta.pk.attname, *(f.attname for f in _concrete_fields(model, None))])


def copy_insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples of database values, in the order of ``fields`` (attnames, e.g. ``diagnostic_id``):
    the fastest path, with no model instances at all. Returns how many.

    ``rows`` may be a generator: PostgreSQL inserts the rows already sent while the next ones are computed
    (on the machine's other core). It must not query the database (the connection is busy copying)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    qn = connection.ops.quote_name
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = ", ".join(qn(str(by_attname[name].column)) for name in fields)
    count = 1
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            copy.write_row(first)
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def copy_update(
    model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str], *, changed_only: bool = False
) -> int:
    """Update ``fields`` of ``objs`` (which have primary keys) and return how many were given.

    ``changed_only``: rows whose ``fields`` already hold the values are not written (no new row versions)."""
    if not objs:
        return 0
    concrete = _concrete_fields(model, fields)
    getters = _getters(concrete, insert=False)
    _update_from_copy(model, concrete, ([obj.pk, *(get(obj) for get in getters)] for obj in objs), changed_only)
    return len(objs)


def copy_update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple], *, changed_only: bool = False
) -> int:
    """Like ``copy_update`` from plain tuples ``(pk, *values)``, the values in the order of ``fields``
    (attnames; Python values, JSON ones as dicts or lists): no model instances."""
    if not rows:
        return 0
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    concrete = [by_attname[name] for name in fields]
    values: Iterable[Sequence] = rows
    if any(isinstance(f, models.JSONField) for f in concrete):
        preps = [json_text(f) if isinstance(f, models.JSONField) else None for f in concrete]
        values = (
            [row[0], *(v if prep is None else prep(v) for prep, v in zip(preps, row[1:], strict=True))] for row in rows
        )
    _update_from_copy(model, concrete, values, changed_only)
    return len(rows)


def json_text(field: models.JSONField):
    """The database value of a JSON field's Python value for COPY: the JSON text, encoded by orjson
    (about five times faster than the field's own ``json.dumps`` through psycopg's adapter; COPY's text
    format hands it to the column's JSON input as it is). ``None`` stays SQL NULL, as the field stores it;
    a field with its own encoder, and values orjson refuses (keys that are not strings, integers beyond
    64 bits), go through the field."""

    def prep(value):
        if value is None:
            return None
        if field.encoder is None:
            try:
                return orjson.dumps(value).decode()
            except TypeError:
                pass
        return field.get_db_prep_save(value, connection)

    return prep


def _update_from_copy(model, concrete, rows, changed_only: bool) -> None:
    """COPY ``rows`` (pk first, then ``concrete``'s values) into a temporary table, then one UPDATE ... FROM."""
    qn = connection.ops.quote_name
    pk = model._meta.pk
    table = qn(model._meta.db_table)
    temp = qn(f"_bulk_{model._meta.db_table}")
    columns = [qn(pk.column), *(qn(f.column) for f in concrete)]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY {temp} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{qn(f.column)} = t.{qn(f.column)}" for f in concrete)
        changed = ""
        if changed_only:
            changed = (
                " AND ("
                + " OR ".join(f"{table}.{qn(f.column)} IS DISTINCT FROM t.{qn(f.column)}" for f in concrete)
                + ")"
            )
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {temp} t WHERE {table}.{columns[0]} = t.{columns[0]}{changed}"
        )
        cursor.execute(f"DROP TABLE {temp}")
