"""Staff decisions on registrations, and the one profile update (web form and API)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from core.concurrency import StaleObjectError, save_versioned

from ..models import Contact, Supplier
from .company import company_data_save
from .registration import COMPANY_FIELDS, _notify_contact, _save_related, apply_company_data


def _locked(supplier: Supplier, expected_version: int | None = None) -> Supplier:
    """Lock the row; refuse when the caller read an older ``version`` than the one stored."""
    locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleObjectError(locked, locked.version)
    return locked


def _bump_version(supplier: Supplier) -> None:
    # The row is locked by ``_locked``: no check needed, only the increment.
    save_versioned(supplier, expected_version=None, fields=())


@transaction.atomic
def supplier_verify(*, supplier: Supplier, actor, reason: str = "", expected_version: int | None = None) -> Supplier:
    supplier = _locked(supplier, expected_version)
    if supplier.status != Supplier.Status.VERIFIED:
        clash = (
            Supplier.objects.filter(
                program_id=supplier.program_id, rfc=supplier.rfc, status__in=Supplier.RFC_UNIQUE_STATUSES
            )
            .exclude(pk=supplier.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("Another live registration has this RFC (%(other)s); reject or mark one of them as duplicate first.")
                % {"other": clash},
                code="rfc_clash",
            )
    supplier.verified_at = timezone.now()
    supplier.status_reason = reason
    audit.transition(
        supplier,
        to=Supplier.Status.VERIFIED,
        allowed=Supplier.TRANSITIONS,
        actor=actor,
        reason=reason,
        extra_fields=("verified_at", "status_reason"),
    )
    _bump_version(supplier)
    # Verified, what the registration says of the company is the company's in every program.
    company_data_save(supplier=supplier, actor=actor, trusted=True)
    _notify_contact(supplier, "registration_verified")
    return supplier


@transaction.atomic
def supplier_reject(*, supplier: Supplier, actor, reason: str, expected_version: int | None = None) -> Supplier:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the registration is rejected; the SME will read it.")})
    supplier = _locked(supplier, expected_version)
    supplier.status_reason = reason
    audit.transition(
        supplier,
        to=Supplier.Status.REJECTED,
        allowed=Supplier.TRANSITIONS,
        actor=actor,
        reason=reason,
        extra_fields=("status_reason",),
    )
    _bump_version(supplier)
    _notify_contact(supplier, "registration_rejected", reason=reason)
    return supplier


@transaction.atomic
def supplier_mark_duplicate(
    *, supplier: Supplier, actor, original: Supplier, reason: str = "", expected_version: int | None = None
) -> Supplier:
    supplier = _locked(supplier, expected_version)
    if original.pk == supplier.pk:
        raise ValidationError({"original": _("A registration cannot be a duplicate of itself.")})
    if original.program_id != supplier.program_id:
        raise ValidationError({"original": _("The original registration must be in the same program.")})
    supplier.duplicate_of = original
    supplier.status_reason = reason
    audit.transition(
        supplier,
        to=Supplier.Status.DUPLICATE,
        allowed=Supplier.TRANSITIONS,
        actor=actor,
        reason=reason,
        extra_fields=("duplicate_of", "status_reason"),
    )
    _bump_version(supplier)
    _notify_contact(supplier, "registration_duplicate")
    return supplier


PROFILE_FIELDS = COMPANY_FIELDS
STAFF_ONLY_FIELDS = ("legal_name",)
NOT_EDITABLE_STATUSES = (Supplier.Status.REJECTED, Supplier.Status.DUPLICATE)


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def _check_may_edit(supplier: Supplier, actor, changes: dict[str, Any]) -> None:
    """Staff correct any registration; an SME edits only its own, while open, and not once rejected/duplicate."""
    if roles.is_program_staff(actor):
        return
    if not getattr(actor, "pk", None) or not Contact.objects.filter(user=actor, supplier=supplier).exists():
        raise PermissionDenied(_("You can only edit your own company."))
    if not supplier.program.profile_editing_open:
        raise PermissionDenied(_("Profile editing is closed for this program."))
    if supplier.status in NOT_EDITABLE_STATUSES:
        raise PermissionDenied(_("This registration cannot be edited; program staff will contact you."))
    forbidden = [f for f in STAFF_ONLY_FIELDS if f in changes and _plain(changes[f]) != _plain(getattr(supplier, f))]
    if forbidden:
        raise ValidationError({f: _("Only program staff can change this field.") for f in forbidden})


@transaction.atomic
def supplier_update_profile(
    *,
    supplier: Supplier,
    actor,
    expected_version: int,
    changes: dict[str, Any],
    supply_areas: Iterable | None = None,
    anchor_customers: Iterable | None = None,
    certifications=None,
    annual_figures=None,
) -> Supplier:
    """The one profile update (web form and API): apply ``changes`` if ``supplier`` still has ``expected_version``.

    Staff correct any profile field; an SME edits its own supplier while the program
    allows it and the registration is not rejected or a duplicate. Sector and size are
    recomputed (a large company is refused); the change is versioned and audited.
    """
    _check_may_edit(supplier, actor, changes)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    tracked = [*changes, "size", "employee_range"]
    before = {name: _plain(getattr(supplier, name)) for name in tracked}
    apply_company_data(supplier, changes)
    supplier.full_clean(validate_unique=True)
    company_data_save(supplier=supplier, actor=actor)
    save_versioned(supplier, expected_version=expected_version, fields=[*changes, "sector", "size", "employee_range"])
    diff = {
        name: [before[name], _plain(getattr(supplier, name))]
        for name in tracked
        if before[name] != _plain(getattr(supplier, name))
    }
    for name, wanted in (("supply_areas", supply_areas), ("anchor_customers", anchor_customers)):
        if wanted is not None:
            old = sorted(getattr(supplier, name).values_list("pk", flat=True))
            new = sorted(item.pk for item in wanted)
            if old != new:
                diff[name] = [old, new]
    _save_related(
        supplier,
        annual_figures=annual_figures,
        supply_areas=supply_areas,
        anchor_customers=anchor_customers,
        certifications=certifications,
    )
    audit.record(supplier, action="profile_updated", actor=actor, changes=diff)
    return supplier
