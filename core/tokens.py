"""API tokens: program staff issue and revoke per-user tokens for integrations and SME clients.

One token per user (``core.models.ApiToken``). A key is 256 random bits; only its SHA-256 hash and its
first characters are stored, so the key is shown once, by the call that issues it, and never again (not
in the API, the admin or the admin's log). Issuing again rotates the token: the old key stops working
at once. ``token_issue`` and ``token_revoke`` are the only ways a token is made or removed for a person
(the API and the admin call them); each is written to the audit log of the user it belongs to (never
the key).
"""

import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .audit import record
from .models import ApiToken

PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    """The stored form of a key: its SHA-256, hex (a key has 256 random bits, so no salt or stretching)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: Any) -> tuple[ApiToken, str]:
    """Store a new token for ``user`` (replacing any) and return it with its key. No rules, no audit:
    the primitive under ``token_issue``, also used to seed benchmark and test data."""
    ApiToken.objects.filter(user=user).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=key_hash(key), prefix=key[:PREFIX_LENGTH])
    return token, key


def _check_actor(actor, user) -> None:
    if not roles.is_program_staff(actor):
        raise PermissionDenied(_("Only program staff manage API tokens."))
    if user.pk == actor.pk:
        # The key in use must not be destroyed or replaced by a request it authenticates.
        raise PermissionDenied(_("You cannot issue or revoke your own token."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can issue or revoke a superuser's token."))


def _check_issue(actor, user) -> None:
    """Issuing returns the key to the caller, who could then act as the user: a staff member or an
    anchor reviewer (whose reviews carry the anchor's name) gets a token only from a superuser."""
    _check_actor(actor, user)
    groups = roles.group_names(user)
    if not actor.is_superuser and (user.is_staff or roles.STAFF_GROUP in groups or roles.ANCHOR_GROUP in groups):
        raise PermissionDenied(_("Only a superuser can issue a token for program staff or an anchor reviewer."))


def may_revoke(*, user: Any, actor) -> tuple[bool, str]:
    """(allowed, reason) for revoking ``user``'s token."""
    try:
        _check_actor(actor, user)
    except PermissionDenied as exc:
        return False, str(exc)
    return True, ""


@transaction.atomic
def token_issue(*, user: Any, actor) -> ApiToken:
    """Create the user's token, replacing any previous one. The returned token carries its key in
    ``token.key`` (in memory only): show it once."""
    _check_issue(actor, user)
    if not user.is_active:
        raise ValidationError({"user": _("This account is inactive.")})
    replaced = ApiToken.objects.filter(user=user).exists()
    token, key = create_token(user)
    token.key = key  # type: ignore[attr-defined]
    record(user, action="api_token_issued", actor=actor, changes={"replaced": replaced, "prefix": token.prefix})
    return token


@transaction.atomic
def token_revoke(*, user: Any, actor) -> bool:
    """Delete the user's token; False when it had none."""
    _check_actor(actor, user)
    deleted = ApiToken.objects.filter(user=user).delete()[0] > 0
    if deleted:
        record(user, action="api_token_revoked", actor=actor)
    return deleted
