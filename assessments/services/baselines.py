"""``Diagnostic.is_current_baseline``: each supplier's latest scored baseline, denormalised.

A supplier's *current baseline* is its latest (by ``scheduled_for``, then ``id``) diagnostic that
is scored or validated and has no baseline of its own. Reports read the flag through a partial
index instead of ranking every supplier's diagnostics on each render.

``refresh_current_baselines`` is the one place the flag is written. Every write that can change
which diagnostic is current calls it for the suppliers touched: scoring (both methods of
``diagnostics_score``), reopen, update (date or baseline changed) and delete. Validation and
publication keep a diagnostic scored-or-validated, so they cannot change it.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import Diagnostic


def latest_diagnostic_ids(*, follow_up: bool, supplier_ids) -> QuerySet:
    """Ids of each supplier's latest scored baseline (or follow-up) diagnostic, as a subquery.

    ``supplier_ids``: a list or a subquery of supplier ids; ``None`` for every supplier. One
    ``DISTINCT ON (supplier_id)`` pass in index order (the partial index ``diagnostic_latest_baseline``
    for baselines).
    """
    scored = Diagnostic.objects.filter(status__in=Diagnostic.SCORED_STATUSES, baseline__isnull=not follow_up)
    if supplier_ids is not None:
        scored = scored.filter(supplier__in=supplier_ids)
    return scored.order_by("supplier_id", "-scheduled_for", "-id").distinct("supplier_id").values("id")


def refresh_current_baselines(*, supplier_ids: Iterable[int] | QuerySet | None) -> int:
    """Set ``is_current_baseline`` right for these suppliers (``None``: all); returns the rows changed.

    ``supplier_ids``: ids, a ``values("supplier_id")``-style subquery, or ``None``. Two set-based
    updates (clear the stale flags, set the missing ones) whatever the number of suppliers; rows
    already right are not written.
    """
    if supplier_ids is not None and not isinstance(supplier_ids, QuerySet):
        supplier_ids = sorted({int(s) for s in supplier_ids if s is not None})
        if not supplier_ids:
            return 0
    current = latest_diagnostic_ids(follow_up=False, supplier_ids=supplier_ids)
    flagged = Diagnostic.objects.filter(is_current_baseline=True)
    unflagged = Diagnostic.objects.filter(is_current_baseline=False)
    if supplier_ids is not None:
        flagged = flagged.filter(supplier_id__in=supplier_ids)
        unflagged = unflagged.filter(supplier_id__in=supplier_ids)
    cleared = flagged.exclude(id__in=current).update(is_current_baseline=False)
    return cleared + unflagged.filter(id__in=current).update(is_current_baseline=True)
