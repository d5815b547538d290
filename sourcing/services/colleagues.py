"""An anchor company's users: its administrator invites colleagues, each sets a password from the email."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core import audit, roles
from core.notifications import notify
from core.text import refuse_control_characters
from programs.models import AnchorCompany, AnchorReviewer


def _may_manage(actor, anchor: AnchorCompany) -> bool:
    if roles.is_program_staff(actor):
        return True
    return AnchorReviewer.objects.filter(
        user=actor, anchor=anchor, is_active=True, is_administrator=True, anchor__is_active=True
    ).exists()


def invitation_url(user) -> str:
    """The one-time link where an invited colleague chooses a password (Django's reset confirmation)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def anchor_colleague_invite(
    *, anchor: AnchorCompany, actor, name: str, email: str, language: str = "es-mx"
) -> AnchorReviewer:
    """A new account for a colleague of ``anchor`` (anchor role, no password yet) and the invitation email
    with the link to choose one. Only the anchor's administrator or program staff invite."""
    if not _may_manage(actor, anchor):
        raise ValidationError(_("Only your company's administrator in the program can invite colleagues."))
    email = (email or "").strip().lower()
    name = (name or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    if not name:
        errors["name"] = _("Write your colleague's name.")
    else:
        try:
            refuse_control_characters(name)
        except ValidationError as exc:
            errors["name"] = exc.messages[0]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose Spanish or English.")
    User = get_user_model()
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("This email already has an account in the program.")
    if errors:
        raise ValidationError(errors)
    user = User(username=email, email=email, first_name=name[:150])
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.ANCHOR_GROUP)[0])
    link = AnchorReviewer(user=user, anchor=anchor, language=language)
    link.full_clean()
    link.save()
    audit.record(link, action="anchor_colleague_invited", actor=actor, changes={"email": email, "anchor": anchor.pk})
    notify(
        template="anchor_colleague_invited",
        recipient=email,
        language=language,
        context={
            "name": name,
            "anchor": anchor.name,
            "invited_by": actor.get_full_name() or actor.email,
            "accept_url": invitation_url(user),
        },
        dedupe_key=f"anchor_colleague_invited:{link.pk}",
    )
    return link


@transaction.atomic
def anchor_colleague_deactivate(*, link: AnchorReviewer, actor) -> AnchorReviewer:
    """Withdraw a colleague's access (the administrator cannot withdraw its own)."""
    if not _may_manage(actor, link.anchor):
        raise ValidationError(_("Only your company's administrator in the program can manage colleagues."))
    if link.user_id == actor.pk:
        raise ValidationError(_("You cannot withdraw your own access."))
    link = AnchorReviewer.objects.select_for_update().get(pk=link.pk)
    if link.is_active:
        link.is_active = False
        link.save(update_fields=["is_active"])
        audit.record(link, action="anchor_colleague_deactivated", actor=actor)
    return link


@transaction.atomic
def anchor_administrator_set(*, link: AnchorReviewer, actor) -> AnchorReviewer:
    """Make ``link`` its anchor's administrator (program staff only); the previous one stays a colleague."""
    if not roles.is_program_staff(actor):
        raise ValidationError(_("Only program staff name an anchor's administrator."))
    AnchorReviewer.objects.select_for_update().filter(anchor_id=link.anchor_id, is_administrator=True).exclude(
        pk=link.pk
    ).update(is_administrator=False)
    AnchorReviewer.objects.filter(pk=link.pk).update(is_administrator=True)
    link.is_administrator = True
    audit.record(link, action="anchor_administrator_set", actor=actor)
    return link
