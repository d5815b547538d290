"""Company classes computed and stored with their date (IFC size, women-owned / women-led; DOF size kept)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from suppliers.models import Supplier

from ..classification import ifc_size, women_class
from ..models import CompanyClass

BATCH = 2000


def _classes_of(supplier: Supplier, *, today: datetime.date, mxn_per_usd) -> CompanyClass:
    size = ifc_size(
        employees=supplier.employees,
        total_assets_mdp=supplier.total_assets_mdp,
        annual_sales_mdp=supplier.annual_sales_mdp,
        mxn_per_usd=mxn_per_usd,
    )
    women = women_class(
        women_ownership_share=supplier.women_ownership_share,
        woman_ceo_or_coo=supplier.woman_ceo_or_coo,
        has_board=supplier.has_board,
        women_board_share=supplier.women_board_share,
    )
    return CompanyClass(
        supplier_id=supplier.pk,
        dof_size=supplier.size,
        dof_size_on=today,
        ifc_size=size.size.value if size.size else "",
        ifc_size_on=today,
        ifc_size_parts={
            "employees": size.by_employees and size.by_employees.value,
            "assets": size.by_assets and size.by_assets.value,
            "sales": size.by_sales and size.by_sales.value,
        },
        mxn_per_usd=mxn_per_usd,
        women_class=women.value if women else "",
        women_class_on=today,
    )


@transaction.atomic
def company_classes_compute(
    *, actor=None, supplier_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """Compute and store the classes of ``supplier_ids`` (every supplier when ``None``); returns how many.

    Idempotent: one row per supplier, replaced with today's date. ``actor`` is who asked (a scheduled task
    passes ``None``); the classes are derived data, so no audit event is written.
    """
    today = today or timezone.localdate()
    mxn_per_usd = settings.SDP_MXN_PER_USD
    suppliers = Supplier.objects.only(
        "pk",
        "size",
        "employees",
        "annual_sales_mdp",
        "total_assets_mdp",
        "women_ownership_share",
        "woman_ceo_or_coo",
        "has_board",
        "women_board_share",
    ).order_by("pk")
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    count = 0
    rows: list[CompanyClass] = []
    fields = [
        "dof_size",
        "dof_size_on",
        "ifc_size",
        "ifc_size_on",
        "ifc_size_parts",
        "mxn_per_usd",
        "women_class",
        "women_class_on",
    ]
    for supplier in suppliers.iterator(chunk_size=BATCH):
        rows.append(_classes_of(supplier, today=today, mxn_per_usd=mxn_per_usd))
        if len(rows) >= BATCH:
            CompanyClass.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["supplier"], update_fields=fields
            )
            count += len(rows)
            rows = []
    if rows:
        CompanyClass.objects.bulk_create(rows, update_conflicts=True, unique_fields=["supplier"], update_fields=fields)
        count += len(rows)
    return count
