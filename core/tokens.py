"""API tokens: program staff issue and revoke per-user tokens for integrations and SME clients.

One token per user (DRF authtoken). Issuing again rotates it: the old key stops
working at once. Each issue and revocation is written to the audit log of the
user it belongs to (never the key itself).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import roles
from .audit import record


def _check_actor(actor, user) -> None:
    if not roles.is_program_staff(actor):
        raise PermissionDenied(_("Only program staff manage API tokens."))
    if user.pk == actor.pk:
        # The key in use must not be destroyed by a request it authenticates; the admin can do it.
        raise PermissionDenied(_("You cannot issue or revoke your own token through the API."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can issue or revoke a superuser's token."))


def _check_issue(actor, user) -> None:
    """Issuing returns the key to the caller, who could then act as the user: a staff member or an
    anchor reviewer (whose reviews carry the anchor's name) gets a token only from a superuser."""
    _check_actor(actor, user)
    groups = roles.group_names(user)
    if not actor.is_superuser and (user.is_staff or roles.STAFF_GROUP in groups or roles.ANCHOR_GROUP in groups):
        raise PermissionDenied(_("Only a superuser can issue a token for program staff or an anchor reviewer."))


@transaction.atomic
def token_issue(*, user: Any, actor) -> Token:
    """Create the user's token, replacing any previous one; returns it (the key is shown once)."""
    _check_issue(actor, user)
    if not user.is_active:
        raise ValidationError({"user": _("This account is inactive.")})
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    record(user, action="api_token_issued", actor=actor, changes={"replaced": replaced})
    return token


@transaction.atomic
def token_revoke(*, user: Any, actor) -> bool:
    """Delete the user's token; False when it had none."""
    _check_actor(actor, user)
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        record(user, action="api_token_revoked", actor=actor)
    return deleted
