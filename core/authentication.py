"""API token authentication in one query, by SQL built once per process.

An ORM lookup of the token and its user is compiled on every request, and the role checks
(``core.roles.group_names``) then compile and run a second query for the user's groups: on a staff API
detail request the two compilations were about a third of the application's time.
``TokenAuthentication`` here finds the token by the SHA-256 of the presented key (``core.tokens``; the
key itself is never stored), reads the token, its user (every column) and the names of the user's
groups in one statement whose SQL is built from the models' metadata once per process, builds the
``User`` and ``ApiToken`` instances (``core.rawsql``) and primes the group-name cache of
``core.roles``. The same statement stamps the token's ``last_used_at`` when it is older than
``LAST_USED_EVERY`` seconds (a data-modifying CTE: at most one small write a minute per token, no
second round trip), prepared once per database connection (``core.rawsql.fetch_by_prepared_statement``:
parsing and planning it on every request took longer than running it). Its answers are DRF's: the same 401
messages for an unknown key and for an inactive user, ``request.user`` and ``request.auth`` (the
``ApiToken``) as DRF sets them. Revocation and rotation take effect on the next request (nothing is cached
across requests).

A view that knows before authentication which row it will read can have it read by the same statement
(``read_with_token``): the row is joined to the token's user, so its SQL may scope by that user, and the
request makes one round trip to the database instead of two (the diagnostic detail); so can a view that
knows which rows (``many=True``: the staff supplier list's page, ``suppliers.api.listing``).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Field
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import roles
from .models import ApiToken
from .rawsql import fetch_by_prepared_statement, from_row
from .tokens import key_hash

_SEPARATOR = 31  # ASCII unit separator between group names
LAST_USED_EVERY = 60  # seconds between two stamps of a token's last use
TOKEN_USER = "token_user"  # the alias of the token's user in the token statement (``read_with_token``)
_COMPANION = "_sdp_read_with_token"  # request attribute: the query to read with the token, then its row
NOT_READ = object()  # ``read_with_token_row``: the request was not authenticated by a token
_ORDINAL = "sdp_ordinal"  # the number of a companion's row (``many``)


def _column(model, name: str) -> str:
    """The database column of a concrete field."""
    field = model._meta.get_field(name)
    assert field.concrete and field.column, f"{model.__name__}.{name} has no column"
    return field.column


@cache
def _token_sql(companion: str | None = None, many: bool = False) -> tuple[str, list[str], list[str]]:
    """(SQL, user field names, token field names); ``companion``: the SQL of a row read with it, joined
    laterally after the group names (``read_with_token``). ``many``: the companion's rows, each after the
    token's columns, which only the first row carries (NULL after it, not converted again)."""
    qn = connection.ops.quote_name
    user_model = get_user_model()
    user_fields = [f for f in user_model._meta.concrete_fields]
    token_fields = list(ApiToken._meta.concrete_fields)  # Model.from_db takes values in this order
    memberships = user_model.groups.through._meta
    member_user = _column(user_model.groups.through, str(user_model._meta.model_name))
    member_group = _column(user_model.groups.through, "group")
    names = f"string_agg(g.{qn('name')}, chr({_SEPARATOR}))"
    u = TOKEN_USER
    columns = [f"{u}.{qn(_column(user_model, f.name))}" for f in user_fields]
    columns += [f"t.{qn(_column(ApiToken, f.name))}" for f in token_fields]
    user_pk = f"{u}.{qn(_column(user_model, user_model._meta.pk.name))}"
    groups = (
        f"(SELECT {names} FROM {qn(Group._meta.db_table)} g JOIN {qn(memberships.db_table)} m "
        f"ON m.{qn(member_group)} = g.{qn(_column(Group, Group._meta.pk.name))} WHERE m.{qn(member_user)} = {user_pk})"
    )
    if many:  # the token's columns on the first row only: the companion's rows are numbered
        first = f"COALESCE(companion.{qn(_ORDINAL)}, 1) = 1"  # its first row, or no row
        columns = [f"CASE WHEN {first} THEN {column} END" for column in [*columns, groups]]
        companion = f"SELECT c.*, row_number() OVER () AS {qn(_ORDINAL)} FROM ({companion}) c"
    else:
        columns.append(groups)
    token_table, token_pk = qn(ApiToken._meta.db_table), qn(_column(ApiToken, ApiToken._meta.pk.name))
    last_used = qn(_column(ApiToken, "last_used_at"))
    sql = (
        # The lookup by hash, and a stamp of the last use when it is stale (run even though unread).
        f"WITH t AS (SELECT * FROM {token_table} WHERE {qn(_column(ApiToken, 'key_hash'))} = %s), "
        f"touched AS (UPDATE {token_table} SET {last_used} = now() "
        f"WHERE {token_pk} = (SELECT {token_pk} FROM t) "
        f"AND ({last_used} IS NULL OR {last_used} < now() - %s * interval '1 second') RETURNING 1) "
        f"SELECT {', '.join(columns)}"
        + (", companion.*" if companion else "")
        + f" FROM t JOIN {qn(user_model._meta.db_table)} {u} ON {user_pk} = t.{qn(_column(ApiToken, 'user'))}"
        + (f" LEFT JOIN LATERAL ({companion}) companion ON true" if companion else "")
    )
    return sql, [f.attname for f in user_fields], [f.attname for f in token_fields]


def token_user(key: str, *, companion: tuple[str, list] | None = None, many: bool = False):
    """(user, token) of an API token key with the user's group names cached, or None. ``companion``: the
    SQL and parameters of a row read by the same statement (``read_with_token``); then (user, token, its row
    or None), or with ``many`` (user, token, its rows)."""
    sql, user_names, token_names = _token_sql(companion[0] if companion else None, many)
    params = [key_hash(key), LAST_USED_EVERY, *(companion[1] if companion else ())]
    rows = fetch_by_prepared_statement(sql, params)
    row = rows[0] if rows else None
    if row is None:
        return None
    user_model = get_user_model()
    n, m = len(user_names), len(user_names) + len(token_names)
    user = from_row(user_model, user_names, row[:n])
    token = from_row(ApiToken, token_names, row[n:m])
    token.user = user
    groups = row[m]
    roles.prime_group_names(user, groups.split(chr(_SEPARATOR)) if groups else ())
    if companion is None:
        return user, token
    if many:
        return user, token, ([r[m + 1 : -1] for r in rows] if row[m + 1] is not None else [])
    read = row[m + 1 :]
    return user, token, (read if read[0] is not None else None)


def read_with_token(request, sql: str, params: list, *, many: bool = False) -> None:
    """Have the token authentication of ``request`` (if it is one) read a row by ``sql`` in its own
    statement: ``sql`` is a query of at most one row whose first column is never NULL, joined laterally
    to the token's user, which it may name ``token_user`` (``token_user_column``). With ``many``, a query
    of any number of rows, whose first column is never NULL, read in its order. Call before
    ``request.user`` is read; ``read_with_token_row`` gives the row (or the rows) afterwards."""
    setattr(request, _COMPANION, (sql, params, many))


def read_with_token_row(request):
    """The row ``read_with_token`` asked for (a tuple, or None when the query found none; with ``many`` a
    list of tuples), or ``NOT_READ`` when the request was not authenticated by a token (nor refused by
    one)."""
    found = getattr(request, _COMPANION, None)
    return found[0] if isinstance(found, list) else NOT_READ


def token_user_column(name: str) -> RawSQL:
    """A column of the token's user, as an expression of a query read with the token (``read_with_token``),
    e.g. ``ProgramStaff.objects.filter(user_id=token_user_column("id"))``."""
    field = get_user_model()._meta.get_field(name)
    assert isinstance(field, Field), name
    return RawSQL(f"{TOKEN_USER}.{connection.ops.quote_name(_column(get_user_model(), name))}", (), output_field=field)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication (``Authorization: Token <key>``) in one query (see the module)."""

    def authenticate(self, request):
        self.request = request  # what ``read_with_token`` asked of it
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        request = getattr(self, "request", None)
        companion = getattr(request, _COMPANION, None)
        if isinstance(companion, tuple):
            sql, params, many = companion
            found = token_user(key, companion=(sql, params), many=many)
            if found is not None:
                setattr(request, _COMPANION, [found[2]])
                found = found[:2]
        else:
            found = token_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
