"""API permissions of the SME's own supplier (``core.permissions.RolePermission``)."""

from core.permissions import RolePermission

from ..models import Supplier


class IsStaffOrOwnSupplier(RolePermission):
    """Staff, or the SME user for its own supplier and what belongs to it (read and write)."""

    allow_sme = True
    sme_may_write = True

    def supplier_id_of(self, obj):
        return obj.pk if isinstance(obj, Supplier) else super().supplier_id_of(obj)


class IsStaffOrOwnSupplierReadOnly(IsStaffOrOwnSupplier):
    """Staff, or the SME user reading its own supplier's objects."""

    sme_may_write = False
