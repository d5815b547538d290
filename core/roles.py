"""The roles of DESIGN.md as groups, and who a user is in the program.

- Program staff: members of the ``program_staff`` group (or superusers).
- Anchor reviewer: members of ``anchor_reviewer`` linked to an anchor company
  through ``programs.AnchorReviewer``.
- SME user: members of ``sme_user`` linked to a supplier through
  ``suppliers.Contact.user``.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

STAFF_GROUP = "program_staff"
ANCHOR_GROUP = "anchor_reviewer"
SME_GROUP = "sme_user"
ROLE_GROUPS = (STAFF_GROUP, ANCHOR_GROUP, SME_GROUP)
STAFF_APPS = ("core", "programs", "suppliers", "assessments", "reports", "authtoken")


def ensure_role_groups(sender=None, **kwargs) -> None:
    """Create the role groups and give program staff every permission of the program apps."""
    if sender is not None and sender.label not in {"core", "programs", "suppliers", "assessments", "reports"}:
        return
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    perms = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    groups[STAFF_GROUP].permissions.add(*perms)


def prime_group_names(user, names) -> None:
    """Cache the names of the user's groups, read by the caller with the user (``core.authentication``)."""
    user._sdp_groups = frozenset(names)


def group_names(user) -> frozenset[str]:
    cached = getattr(user, "_sdp_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        user._sdp_groups = cached
    return cached


def is_program_staff(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or STAFF_GROUP in group_names(user)


def anchor_of(user):
    """The AnchorCompany the user reviews for, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if ANCHOR_GROUP not in group_names(user):
        return None
    reviewer_model = apps.get_model("programs", "AnchorReviewer")
    link = (
        reviewer_model.objects.select_related("anchor")
        .filter(user=user, is_active=True, anchor__is_active=True)
        .first()
    )
    return link.anchor if link else None


def supplier_of(user):
    """The Supplier whose contact the user is, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    contact_model = apps.get_model("suppliers", "Contact")
    contact = contact_model.objects.select_related("supplier").filter(user=user).first()
    return contact.supplier if contact else None
