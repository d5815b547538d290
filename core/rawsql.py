"""Model instances from rows read by hand-written SQL, converted as the ORM converts them.

For the few hot paths whose SQL is built once per process instead of compiled per request
(``core.authentication``, ``assessments.selectors.diagnostic_detail_get``): each value goes through
the converters the ORM applies to that column (e.g. JSON text decoded), then ``Model.from_db`` builds
the instance (or the converted values are read as they are: ``converted``). Also: prepared
statements (``fetch_prepared``, ``fetch_by_prepared_statement``) and planner settings local to a block
(``planner_settings``).
"""

from contextlib import contextmanager
from functools import cache

from django.db import connection, transaction


def model_order(model, names) -> list[str]:
    """``names`` (attnames) in the model's concrete field order: the order ``Model.from_db`` reads values in."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


@cache
def _converters(model, names: tuple[str, ...]) -> tuple:
    out = []
    for name in names:
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        column = field.get_col(model._meta.db_table)
        out.append((column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))))
    return tuple(out)


def converted(model, names: list[str] | tuple[str, ...], values) -> list:
    """``values`` of ``names`` (in ``model_order``) converted as the ORM reads them (no instance built)."""
    out = []
    for value, (column, converters) in zip(values, _converters(model, tuple(names)), strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        out.append(value)
    return out


def from_row(model, names: list[str], values):
    """An instance of ``model`` with ``names`` (in ``model_order``) set from ``values``, converted."""
    return model.from_db(connection.alias, names, converted(model, names, values))


def fetch_prepared(sql: str, params: dict, *, generic_plan: bool = True) -> list[tuple]:
    """Run ``sql`` as a server-side prepared statement and return its rows.

    For a large statement run many times with parameters of the same shape (the batch scoring
    statement): PostgreSQL plans it once per connection (``generic_plan``: ``plan_cache_mode =
    force_generic_plan`` for the current transaction) instead of on every run; planning that statement
    cost about 5% of a chunk. The query goes through Django's execute wrappers and, when
    queries are being recorded (``DEBUG``, ``CaptureQueriesContext``), is logged like any other.
    Prepared statements live on the database connection: behind a pooler in transaction mode use one
    that tracks them (PgBouncer >= 1.21 with ``max_prepared_statements``). Must run inside a transaction.
    """
    with connection.cursor() as wrapper:
        if generic_plan:
            wrapper.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        rows = _prepared_rows(wrapper, sql, params)
        if generic_plan:
            wrapper.execute("RESET plan_cache_mode")
        return rows


def fetch_by_prepared_statement(sql: str, params: list) -> list[tuple]:
    """Run ``sql`` as a statement prepared once per database connection and return its rows.

    For short statements run on every request (the API's token statements, ``core.authentication``): their
    SQL is parsed and analysed once per connection instead of on every run, and PostgreSQL plans them
    once when a generic plan costs no more than planning each run (``plan_cache_mode = auto``, the
    server's default). Django's connections disable psycopg's prepared statements (``prepare_threshold``
    None, so ``prepare=True`` prepares nothing); they are enabled for this statement only, while it runs,
    so that no other query is prepared. psycopg names the statement, keeps at most ``prepared_max`` per
    connection and drops the oldest. Logged like any other query (``DEBUG``, ``CaptureQueriesContext``).
    Behind a pooler in transaction mode use one that tracks prepared statements (PgBouncer >= 1.21 with
    ``max_prepared_statements``)."""
    with connection.cursor() as wrapper:
        return _prepared_rows(wrapper, sql, params)


def _prepared_rows(wrapper, sql: str, params) -> list[tuple]:
    """Run ``sql`` on ``wrapper``'s connection as a prepared statement, through Django's execute wrappers
    (logged when queries are recorded), with psycopg's preparing enabled for this statement only."""
    import psycopg

    raw = connection.connection
    server = psycopg.Cursor(raw)  # server-side binding: the SQL text stays the same

    def run(sql, params, many, context):
        connection.validate_no_broken_transaction()
        threshold = raw.prepare_threshold  # None on Django's connections: nothing prepared
        raw.prepare_threshold = _PREPARED_ONLY_WHEN_ASKED
        try:
            with connection.wrap_database_errors:
                return server.execute(sql, params, prepare=True)
        finally:
            raw.prepare_threshold = threshold

    debug = getattr(wrapper, "debug_sql", None)
    try:
        if debug is not None:
            with debug(sql, params):
                wrapper._execute_with_wrappers(sql, params, False, run)
        else:
            wrapper._execute_with_wrappers(sql, params, False, run)
        return server.fetchall()
    finally:
        server.close()


_PREPARED_ONLY_WHEN_ASKED = 2**31 - 1  # psycopg prepares a query after this many runs, or when asked


@contextmanager
def planner_settings(*, savepoint: bool = True, **settings):
    """Run the block in a transaction with PostgreSQL settings (e.g. ``work_mem="64MB"``) local to it:
    set with ``set_config(..., true)`` and put back as they were when the block ends, so that a caller's
    own transaction keeps its settings. ``savepoint=False``: inside a caller's transaction, no savepoint of its
    own (two statements fewer); an error then leaves that transaction to be rolled back, settings included."""
    with transaction.atomic(savepoint=savepoint):
        if not settings:
            yield
            return
        with connection.cursor() as cursor:
            # One statement: the CTE's row (the current values) is read before the projection sets the new ones.
            names = ", ".join(f"current_setting(%s) AS v{i}" for i in range(len(settings)))
            sets = ", ".join("set_config(%s, %s, true)" for _ in settings)
            olds = ", ".join(f"v{i}" for i in range(len(settings)))
            cursor.execute(
                f"WITH previous AS MATERIALIZED (SELECT {names}) SELECT {olds}, {sets} FROM previous",
                [*settings, *(x for name, value in settings.items() for x in (name, str(value)))],
            )
            previous = dict(zip(settings, cursor.fetchone()[: len(settings)], strict=True))
        yield  # an error rolls the block back, its settings with it (savepoint or transaction)
        with connection.cursor() as cursor:
            set_local(cursor, previous)


def set_local(cursor, settings: dict) -> None:
    """PostgreSQL ``settings`` for the current transaction only (``set_config(name, value, true)``)."""
    if not settings:
        return
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
        [x for name, value in settings.items() for x in (name, str(value))],
    )
