"""Permission checks of the sourcing pages: plain functions returning ``(allowed, reason)``."""

from django.utils.translation import gettext as _

from core import roles
from programs.models import AnchorReviewer


def anchor_link(user) -> AnchorReviewer | None:
    """The user's active link to an active anchor company, or None."""
    if roles.anchor_of(user) is None:
        return None
    return AnchorReviewer.objects.select_related("anchor").filter(user=user, is_active=True).first()


def is_anchor_administrator(user) -> tuple[bool, str]:
    link = anchor_link(user)
    if link is not None and link.is_administrator:
        return True, ""
    return False, _("Only your company's administrator in the program can invite colleagues.")
