"""Independent reads of one section in one statement.

``read_together({name: (sql, params)})`` runs every query as a scalar subquery of one ``SELECT`` that gives its rows
as a JSON array (``json_agg``, fed in the query's own order by its sorted subquery), and returns ``{name: [row as a
dict keyed by the query's column names]}``: one statement instead of one per query, the same rows. Numbers come
back as ``int`` or ``Decimal`` (as written, scale included), text as ``str``, ``NULL`` as ``None``; a query whose
rows hold dates or intervals is read apart (JSON gives them as text).
"""

import json
from collections.abc import Mapping
from decimal import Decimal

from django.db import connection


def read_together(queries: Mapping[str, tuple]) -> dict[str, list[dict]]:
    """``queries``: ``{name: (sql, params)}``, or ``(sql, params, column names)`` to name the query's columns."""
    if not queries:
        return {}
    columns: list[str] = []
    params: list = []
    for sql, query_params, *names in queries.values():
        renamed = f" ({', '.join(names[0])})" if names else ""
        columns.append(f"(SELECT COALESCE(json_agg(t), '[]')::text FROM ({sql}) t{renamed})")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        texts = cursor.fetchone()
    return {name: json.loads(text, parse_float=Decimal) for name, text in zip(queries, texts, strict=True)}


def compiled(queryset) -> tuple[str, tuple]:
    """The SQL and parameters of ``queryset`` (a ``values()`` query whose columns are named by its aliases)."""
    return queryset.query.sql_with_params()
