"""Staff decisions on registrations, and the SME's own profile edits."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import StaleObjectError, save_versioned

from ..models import Supplier
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
def supplier_verify(*, supplier: Supplier, actor, reason: str = "",
                    expected_version: int | None = None) -> Supplier:
    supplier = _locked(supplier, expected_version)
    if supplier.status != Supplier.Status.VERIFIED:
        clash = (Supplier.objects.filter(rfc=supplier.rfc, status__in=Supplier.RFC_UNIQUE_STATUSES)
                 .exclude(pk=supplier.pk).first())
        if clash is not None:
            raise ValidationError(
                _("Another live registration has this RFC (%(other)s); reject or mark one of them as duplicate first.")
                % {"other": clash}, code="rfc_clash")
    supplier.verified_at = timezone.now()
    supplier.status_reason = reason
    audit.transition(supplier, to=Supplier.Status.VERIFIED, allowed=Supplier.TRANSITIONS, actor=actor,
                     reason=reason, extra_fields=("verified_at", "status_reason"))
    _bump_version(supplier)
    _notify_contact(supplier, "registration_verified")
    return supplier


@transaction.atomic
def supplier_reject(*, supplier: Supplier, actor, reason: str, expected_version: int | None = None) -> Supplier:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the registration is rejected; the SME will read it.")})
    supplier = _locked(supplier, expected_version)
    supplier.status_reason = reason
    audit.transition(supplier, to=Supplier.Status.REJECTED, allowed=Supplier.TRANSITIONS, actor=actor,
                     reason=reason, extra_fields=("status_reason",))
    _bump_version(supplier)
    _notify_contact(supplier, "registration_rejected", reason=reason)
    return supplier


@transaction.atomic
def supplier_mark_duplicate(*, supplier: Supplier, actor, original: Supplier, reason: str = "",
                            expected_version: int | None = None) -> Supplier:
    supplier = _locked(supplier, expected_version)
    if original.pk == supplier.pk:
        raise ValidationError({"original": _("A registration cannot be a duplicate of itself.")})
    supplier.duplicate_of = original
    supplier.status_reason = reason
    audit.transition(supplier, to=Supplier.Status.DUPLICATE, allowed=Supplier.TRANSITIONS, actor=actor,
                     reason=reason, extra_fields=("duplicate_of", "status_reason"))
    _bump_version(supplier)
    _notify_contact(supplier, "registration_duplicate")
    return supplier


PROFILE_FIELDS = tuple(f for f in COMPANY_FIELDS)


@transaction.atomic
def supplier_update_profile(
    *, supplier: Supplier, actor, expected_version: int, data: dict, supply_areas=None, anchor_customers=None,
    certifications=None, annual_figures=None,
) -> Supplier:
    """The SME edits its company profile while the program allows it (optimistic locking on ``version``)."""
    if not supplier.program.profile_editing_open:
        raise ValidationError(_("The program does not accept profile changes at the moment."), code="closed")
    if supplier.status in (Supplier.Status.REJECTED, Supplier.Status.DUPLICATE):
        raise ValidationError(_("This registration cannot be edited; program staff will contact you."),
                              code="not_editable")
    before = {name: str(getattr(supplier, name)) for name in (*PROFILE_FIELDS, "size")}
    data = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    apply_company_data(supplier, data)
    supplier.full_clean()
    save_versioned(supplier, expected_version=expected_version, fields=[*PROFILE_FIELDS, "sector", "size"])
    _save_related(supplier, annual_figures=annual_figures, supply_areas=supply_areas,
                  anchor_customers=anchor_customers, certifications=certifications)
    after = {name: str(getattr(supplier, name)) for name in (*PROFILE_FIELDS, "size")}
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    audit.record(supplier, action="profile_updated", actor=actor, changes=changes)
    return supplier
