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
second round trip). Its answers are DRF's: the same 401 messages for an unknown key and for an
inactive user, ``request.user`` and ``request.auth`` (the ``ApiToken``) as DRF sets them. Revocation
and rotation take effect on the next request (nothing is cached across requests).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import roles
from .models import ApiToken
from .rawsql import from_row
from .tokens import key_hash

_SEPARATOR = 31  # ASCII unit separator between group names
LAST_USED_EVERY = 60  # seconds between two stamps of a token's last use


def _column(model, name: str) -> str:
    """The database column of a concrete field."""
    field = model._meta.get_field(name)
    assert field.concrete and field.column, f"{model.__name__}.{name} has no column"
    return field.column


@cache
def _token_sql() -> tuple[str, list[str], list[str]]:
    """(SQL, user field names, token field names)."""
    qn = connection.ops.quote_name
    user_model = get_user_model()
    user_fields = [f for f in user_model._meta.concrete_fields]
    token_fields = list(ApiToken._meta.concrete_fields)  # Model.from_db takes values in this order
    memberships = user_model.groups.through._meta
    member_user = _column(user_model.groups.through, str(user_model._meta.model_name))
    member_group = _column(user_model.groups.through, "group")
    names = f"string_agg(g.{qn('name')}, chr({_SEPARATOR}))"
    columns = [f"u.{qn(_column(user_model, f.name))}" for f in user_fields]
    columns += [f"t.{qn(_column(ApiToken, f.name))}" for f in token_fields]
    user_pk = f"u.{qn(_column(user_model, user_model._meta.pk.name))}"
    token_table, token_pk = qn(ApiToken._meta.db_table), qn(_column(ApiToken, ApiToken._meta.pk.name))
    last_used = qn(_column(ApiToken, "last_used_at"))
    sql = (
        # The lookup by hash, and a stamp of the last use when it is stale (run even though unread).
        f"WITH t AS (SELECT * FROM {token_table} WHERE {qn(_column(ApiToken, 'key_hash'))} = %s), "
        f"touched AS (UPDATE {token_table} SET {last_used} = now() "
        f"WHERE {token_pk} = (SELECT {token_pk} FROM t) "
        f"AND ({last_used} IS NULL OR {last_used} < now() - %s * interval '1 second') RETURNING 1) "
        f"SELECT {', '.join(columns)}, "
        f"(SELECT {names} FROM {qn(Group._meta.db_table)} g JOIN {qn(memberships.db_table)} m "
        f"ON m.{qn(member_group)} = g.{qn(_column(Group, Group._meta.pk.name))} WHERE m.{qn(member_user)} = {user_pk}) "
        f"FROM t JOIN {qn(user_model._meta.db_table)} u "
        f"ON {user_pk} = t.{qn(_column(ApiToken, 'user'))}"
    )
    return sql, [f.attname for f in user_fields], [f.attname for f in token_fields]


def token_user(key: str):
    """(user, token) of an API token key with the user's group names cached, or None."""
    sql, user_names, token_names = _token_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash(key), LAST_USED_EVERY])
        row = cursor.fetchone()
    if row is None:
        return None
    user_model = get_user_model()
    n = len(user_names)
    user = from_row(user_model, user_names, row[:n])
    token = from_row(ApiToken, token_names, row[n : n + len(token_names)])
    token.user = user
    groups = row[-1]
    roles.prime_group_names(user, groups.split(chr(_SEPARATOR)) if groups else ())
    return user, token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication (``Authorization: Token <key>``) in one query (see the module)."""

    def authenticate_credentials(self, key):
        found = token_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
