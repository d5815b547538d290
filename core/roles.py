"""The roles of DESIGN.md as groups, and who a user is in the program.

- Program staff: members of the ``program_staff`` group (or superusers).
- Anchor reviewer: members of ``anchor_reviewer`` linked to an anchor company
  (the lookup is provided by ``programs``, see ``core.registry``).
- SME user: members of ``sme_user`` linked to a supplier through one of its
  contacts (the lookup is provided by ``suppliers``).
- Provider (consultant, mentor, trainer): members of ``provider`` linked to a provider record
  (the lookup is provided by ``support``).
"""

from django.contrib.auth.models import Group, Permission

from . import registry

STAFF_GROUP = "program_staff"
ANCHOR_GROUP = "anchor_reviewer"
SME_GROUP = "sme_user"
PROVIDER_GROUP = "provider"
ROLE_GROUPS = (STAFF_GROUP, ANCHOR_GROUP, SME_GROUP, PROVIDER_GROUP)
# Besides the apps registered with ``core.registry.register_staff_app``: core itself.
CORE_STAFF_APPS = ("core",)
# Permissions of those apps that program staff never hold: the audit trail is append-only (only a
# superuser may delete an event), outbox rows and queued tasks are written by the code that sends
# them (staff see the messages to the people of their programs and use their admin actions; queued tasks are
# a superuser's alone), and API tokens are made and removed only by
# ``core.tokens`` (staff see their metadata; the admin's revoke action calls the service).
STAFF_WITHHELD = frozenset(
    {
        "core.add_auditevent",
        "core.change_auditevent",
        "core.delete_auditevent",
        "core.add_outboundmessage",
        "core.delete_outboundmessage",
        "core.view_queuedtask",
        "core.add_queuedtask",
        "core.change_queuedtask",
        "core.delete_queuedtask",
        "core.add_apitoken",
        "core.change_apitoken",
        "core.delete_apitoken",
    }
)


def staff_apps() -> tuple[str, ...]:
    """The apps whose model permissions the program staff group has."""
    return (*CORE_STAFF_APPS, *registry.staff_apps())


def staff_permissions():
    """The model permissions of the program staff group: those of the staff apps but ``STAFF_WITHHELD``
    (never an ``auth``, ``admin`` or ``sessions`` permission: users, groups, the admin's log and
    sessions are a superuser's)."""
    perms = Permission.objects.filter(content_type__app_label__in=staff_apps()).select_related("content_type")
    withheld = STAFF_WITHHELD | registry.withheld_permissions()
    return [p for p in perms if f"{p.content_type.app_label}.{p.codename}" not in withheld]


def ensure_role_groups(sender=None, **kwargs) -> None:
    """Create the role groups and give program staff exactly ``staff_permissions()`` (a permission
    granted before and now withheld is taken back)."""
    if sender is not None and sender.label not in staff_apps():
        return
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    groups[STAFF_GROUP].permissions.set(staff_permissions())


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


def has_staff_or_anchor_role(user) -> bool:
    """An account of program staff, an administrator (``is_staff`` or superuser), an anchor reviewer or a
    provider. An account has one role: such an account never becomes an SME's contact."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or {STAFF_GROUP, ANCHOR_GROUP, PROVIDER_GROUP} & group_names(user))


def anchor_of(user):
    """The AnchorCompany the user reviews for, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if ANCHOR_GROUP not in group_names(user):
        return None
    return registry.anchor_lookup.function(user)


def supplier_of(user):
    """The Supplier whose contact the user is, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return registry.supplier_lookup.function(user)


def provider_of(user):
    """The Provider (consultant, mentor, trainer) the user is, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if PROVIDER_GROUP not in group_names(user):
        return None
    return registry.provider_lookup.function(user)
