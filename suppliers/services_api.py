"""Writes the API needs before the registration services exist: a supplier's profile update.

Staff correct any profile field; an SME user edits its own supplier while the
program allows profile editing. The size (DOF 2009) and sector are recomputed
from the figures and the SCIAN code; every change is versioned and audited.
"""
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import roles
from core.audit import record
from core.concurrency import save_versioned

from .models import Supplier
from .stratification import company_size, sector_for_scian

PROFILE_FIELDS = (
    "legal_name", "trade_name", "state", "municipality", "scian_code", "year_founded", "employees",
    "annual_sales_mdp", "export_share",
)
PROFILE_RELATIONS = ("supply_areas", "anchor_customers")
STAFF_ONLY_FIELDS = ("legal_name",)


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def supplier_update_profile(
    *, supplier: Supplier, actor, expected_version: int, changes: dict[str, Any],
    supply_areas: Iterable | None = None, anchor_customers: Iterable | None = None,
) -> Supplier:
    """Apply ``changes`` (profile fields) if ``supplier`` still has ``expected_version``."""
    staff = roles.is_program_staff(actor)
    if not staff:
        own = roles.supplier_of(actor)
        if own is None or own.pk != supplier.pk:
            raise PermissionDenied(_("You can only edit your own company."))
        if not supplier.program.profile_editing_open:
            raise PermissionDenied(_("Profile editing is closed for this program."))
        forbidden = [f for f in STAFF_ONLY_FIELDS if f in changes]
        if forbidden:
            raise ValidationError({f: _("Only program staff can change this field.") for f in forbidden})
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})

    before = {name: _plain(getattr(supplier, name)) for name in changes}
    for name, value in changes.items():
        setattr(supplier, name, value)
    supplier.sector = sector_for_scian(supplier.scian_code).value
    supplier.size = company_size(supplier.sector, supplier.employees, supplier.annual_sales_mdp).value
    supplier.full_clean(validate_unique=True)
    fields = [*changes, "sector", "size"]
    save_versioned(supplier, expected_version=expected_version, fields=fields)

    diff = {name: [before[name], _plain(getattr(supplier, name))] for name in changes
            if before[name] != _plain(getattr(supplier, name))}
    if supply_areas is not None:
        old = sorted(supplier.supply_areas.values_list("pk", flat=True))
        supplier.supply_areas.set(supply_areas)
        new = sorted(a.pk for a in supply_areas)
        if old != new:
            diff["supply_areas"] = [old, new]
    if anchor_customers is not None:
        old = sorted(supplier.anchor_customers.values_list("pk", flat=True))
        supplier.anchor_customers.set(anchor_customers)
        new = sorted(a.pk for a in anchor_customers)
        if old != new:
            diff["anchor_customers"] = [old, new]
    record(supplier, action="profile_updated", actor=actor, changes=diff)
    return supplier
