"""Reads of the catalogue."""

from .models import AnchorCompany, AnchorReviewer


def anchor_of_user(user) -> AnchorCompany | None:
    """The active anchor company ``user`` reviews for (through an active link), or None."""
    link = (
        AnchorReviewer.objects.select_related("anchor")
        .filter(user=user, is_active=True, anchor__is_active=True)
        .first()
    )
    return link.anchor if link else None
