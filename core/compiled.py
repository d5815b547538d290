"""Querysets compiled once per shape: the ORM's own SQL with its values left open, bound per request.

Building a filtered, scoped, paginated queryset and compiling it cost about a third of a list request's
Python (the staff supplier list, docs/performance.md). A ``Slot`` stands for a value in a queryset
(``filter(status=Slot("status"))``): it compiles to a placeholder, so ``CompiledRows.of`` compiles a
queryset of ``values()`` once, and ``CompiledRows.rows`` runs that SQL with the values of one request
and converts the columns as ``QuerySet.values()`` converts them. Callers cache compiled queries by
everything that changes the SQL (which filters are given, how many values a multi-valued one has, the
ordering, the page's offset and size), never by the values themselves. ``ShapedRows`` lets DRF's
``CursorPagination`` page such a query with its own code.

Values are bound as the ORM would send them: ``bind_value`` applies the field's conversions that a
lookup applies to a value, and refuses (``None``) what the ORM would not send as a plain parameter.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Field, Model, Value

UNBOUND = object()  # ``bind_value``: the ORM would not send this value as a parameter of the same SQL


class Slot(Value):
    """A value of a queryset left open: compiles to one placeholder, filled by ``CompiledRows.rows``.
    A ``Value`` (not wrapped in parentheses by lookups), so the SQL is the one the value itself gives."""

    def __init__(self, name: str, output_field=None):
        super().__init__(name, output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]


@dataclass(frozen=True)
class CompiledRows:
    """The SQL and parameters of a ``values()`` queryset, with the names and converters of its columns."""

    alias: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple  # (column index, converters, expression)

    @classmethod
    def of(cls, queryset) -> "CompiledRows":
        """Compile ``queryset`` (a ``values()`` queryset, possibly sliced); raises ``EmptyResultSet`` as
        compiling does when it can match no row."""
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = tuple((i, tuple(c), e) for i, (c, e) in compiler.get_converters(columns).items())
        return cls(queryset.db, sql, tuple(params), names, converters)

    def rows(self, values: dict) -> list[dict]:
        """The rows as ``values()`` dictionaries, ``values`` filling the slots by name."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bound(values))
            return self.dicts(cursor.fetchall())

    def bound(self, values: dict) -> list:
        """The parameters of the SQL, ``values`` filling the slots by name."""
        return [values[p.name] if isinstance(p, Slot) else p for p in self.params]

    def dicts(self, fetched) -> list[dict]:
        """Rows of the SQL (tuples, read by the caller) as ``values()`` dictionaries."""
        connection = connections[self.alias]
        names = self.names
        if not self.converters:
            return [dict(zip(names, row, strict=True)) for row in fetched]
        out = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for i, converters, expression in self.converters:
                value = row[i]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[i] = value
            out.append(dict(zip(names, row, strict=True)))
        return out


def bind_value(field: Field, value, alias: str = "default"):
    """``value`` as a lookup on ``field`` sends it to the database (``get_prep_value``, then
    ``get_db_prep_value``), or ``UNBOUND`` when the ORM would write other SQL for it (an integer out of the
    column's range, a float rounded by integer lookups, None) or refuses it (the caller then takes the
    ORM's path, which answers as it always has)."""
    if value is None or isinstance(value, float):
        return UNBOUND
    connection = connections[alias]
    try:
        prepared = field.get_prep_value(value)
        bound = field.get_db_prep_value(prepared, connection, prepared=True)
    except Exception:  # the ORM raises the same for it: let it
        return UNBOUND
    if isinstance(bound, int) and not isinstance(bound, bool):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and bound < low) or (high is not None and bound > high):
            return UNBOUND
    return bound


class ShapedRows:
    """What ``CursorPagination.paginate_queryset`` reads of a queryset (its model, ``order_by``, one position
    filter, a slice), answered by ``fetch(ordering, position, start, stop)`` where ``position`` is the
    position lookup and its value (``("employees__lt", "12")``) or None: DRF's pagination, on rows read
    by SQL compiled once per shape."""

    def __init__(self, model: type[Model], fetch: Callable, ordering: tuple = (), position: tuple | None = None):
        self.model = model
        self.fetch = fetch
        self.ordering = ordering
        self.position = position

    def order_by(self, *ordering) -> "ShapedRows":
        return ShapedRows(self.model, self.fetch, tuple(ordering), self.position)

    def filter(self, **lookup) -> "ShapedRows":
        assert self.position is None and len(lookup) == 1, lookup
        return ShapedRows(self.model, self.fetch, self.ordering, next(iter(lookup.items())))

    def __getitem__(self, window: slice) -> list:
        assert isinstance(window, slice) and window.step is None, window
        return self.fetch(self.ordering, self.position, window.start, window.stop)
