"""Rank the program's SMEs for an opportunity and store each rank with its reasons.

``opportunity_rank`` scores every candidate in one SQL statement (``ranking_sql``: the candidates filtered
first, the parts and the score computed as ``sourcing.matching`` computes them) and stores the first
``SDP_SOURCING_MATCH_LIMIT`` with their reasons (shortlisted SMEs are always kept, with their flag).
``supplier_rank`` runs the same statement for one SME when its data changed and moves only its row (and the
row it displaces) in each open opportunity's stored list, ranking the whole opportunity again only when the
stored list cannot tell who follows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.bulk import copy_insert
from suppliers.models import Supplier

from ..models import AnchorVisibility, Match, Opportunity
from .profiles import candidate_suppliers, profiles_for, requirements_for, state_centroids, value_in_mxn
from .ranking_sql import Ranked, ranked_rows

RENUMBER_SQL = """
UPDATE sourcing_match m SET rank = r.n
FROM (
    SELECT id, row_number() OVER (ORDER BY meets_requirements DESC, score DESC, supplier_id) AS n
    FROM sourcing_match WHERE opportunity_id = %(opportunity)s
) r
WHERE m.id = r.id AND m.rank <> r.n
"""

# The stored top of an opportunity as seen from one SME: how many rows are within the limit, that SME's row,
# and the last row within the limit besides it.
STORED_SQL = """
SELECT (SELECT COUNT(*) FROM sourcing_match WHERE opportunity_id = %(opportunity)s AND rank <= %(limit)s),
       mine.rank, mine.meets_requirements, mine.score, mine.shortlisted,
       last.supplier_id, last.meets_requirements, last.score, last.shortlisted
FROM (SELECT 1) one
LEFT JOIN sourcing_match mine ON mine.opportunity_id = %(opportunity)s AND mine.supplier_id = %(supplier)s
LEFT JOIN LATERAL (
    SELECT supplier_id, meets_requirements, score, shortlisted FROM sourcing_match
    WHERE opportunity_id = %(opportunity)s AND rank <= %(limit)s AND supplier_id <> %(supplier)s
    ORDER BY rank DESC LIMIT 1
) last ON true
"""


def _locked(opportunity_id: int) -> Opportunity | None:
    return (
        Opportunity.objects.select_for_update(of=("self",)).select_related("anchor").filter(pk=opportunity_id).first()
    )


def _match(opportunity_id: int, row: Ranked, *, position: int, shortlisted: bool, now) -> Match:
    return Match(
        opportunity_id=opportunity_id,
        supplier_id=row.supplier_id,
        rank=position,
        score=row.score,
        meets_requirements=row.meets_requirements,
        parts=row.parts,
        reasons=row.reasons,
        shortlisted=shortlisted,
        computed_at=now,
    )


@transaction.atomic
def opportunity_rank(*, opportunity_id: int) -> int:
    """Compute and store the ranks of one opportunity; returns how many were stored. Idempotent."""
    opportunity = _locked(opportunity_id)
    if opportunity is None:
        return 0
    shortlisted = set(
        Match.objects.filter(opportunity=opportunity, shortlisted=True).values_list("supplier_id", flat=True)
    )
    kept = ranked_rows(
        opportunity, requirements_for(opportunity), limit=settings.SDP_SOURCING_MATCH_LIMIT, keep=shortlisted
    )
    now = timezone.now()
    Match.objects.filter(opportunity=opportunity).delete()
    copy_insert(  # COPY: a statement of 500 rows with their reasons costs more to build than to run
        Match,
        [
            _match(opportunity.pk, row, position=position, shortlisted=row.supplier_id in shortlisted, now=now)
            for position, row in enumerate(kept, start=1)
        ],
    )
    Opportunity.objects.filter(pk=opportunity.pk).update(matched_at=now)
    return len(kept)


def _key(meets: bool, score, supplier_id: int) -> tuple:
    return (not meets, -score, supplier_id)


@transaction.atomic
def supplier_rank(*, opportunity_id: int, supplier_id: int) -> str:
    """Bring one SME's stored rank in an opportunity up to date after its data changed, with the ranking
    statement restricted to that SME. The stored list (the first ``limit`` rows and the shortlisted ones)
    stays what ``opportunity_rank`` would store: the SME's row is written, moved or removed, the row it pushes
    out of the limit removed (unless shortlisted), the ranks renumbered. When the SME leaves a full list (or
    falls behind its last row) the SME that follows is not stored: the opportunity is ranked again.

    Returns what was done: ``"unchanged"``, ``"updated"`` or ``"ranked"`` (the whole opportunity)."""
    opportunity = _locked(opportunity_id)
    if opportunity is None:
        return "unchanged"
    limit = settings.SDP_SOURCING_MATCH_LIMIT
    rows = ranked_rows(opportunity, requirements_for(opportunity), limit=1, supplier_id=supplier_id)
    new = rows[0] if rows else None
    with connection.cursor() as cursor:
        cursor.execute(STORED_SQL, {"opportunity": opportunity.pk, "supplier": supplier_id, "limit": limit})
        within, my_rank, my_meets, my_score, shortlisted, last_id, last_meets, last_score, last_shortlisted = (
            cursor.fetchone()
        )
    shortlisted = bool(shortlisted)
    in_top = my_rank is not None and my_rank <= limit
    full = within >= limit
    last = None if last_id is None else _key(last_meets, last_score, last_id)
    mine = Match.objects.filter(opportunity=opportunity, supplier_id=supplier_id)
    if new is None:  # no longer a candidate
        if my_rank is None:
            return "unchanged"
        if in_top and full:
            opportunity_rank(opportunity_id=opportunity.pk)
            return "ranked"
        mine.delete()
    else:
        key = new.key
        if not full:  # every candidate is stored
            enters = True
        elif in_top:
            # Every SME not stored ranks behind the list's last row before the change (this SME's own former
            # row, or the last of the others): it stays within the limit when it is not behind that row.
            former = _key(my_meets, my_score, supplier_id)
            enters = key <= (former if last is None else max(last, former))
        else:
            enters = last is not None and key < last
        if in_top and not enters:
            opportunity_rank(opportunity_id=opportunity.pk)
            return "ranked"
        if not enters and not shortlisted:
            if my_rank is None:
                return "unchanged"
            mine.delete()
        else:
            if enters and full and not in_top and last_id is not None and not last_shortlisted:
                Match.objects.filter(opportunity=opportunity, supplier_id=last_id).delete()  # pushed out
            mine.delete()
            _match(opportunity.pk, new, position=limit + 1, shortlisted=shortlisted, now=timezone.now()).save()
    with connection.cursor() as cursor:
        cursor.execute(RENUMBER_SQL, {"opportunity": opportunity.pk})
    return "updated"


def open_opportunities_for_supplier(supplier_id: int) -> list[int]:
    """The open opportunities of the supplier's program in the areas it supplies, and those where it has a
    stored rank (to rank it again after its data changed)."""
    supplier = Supplier.objects.filter(pk=supplier_id).values("program_id").first()
    if supplier is None:
        return []
    return list(
        Opportunity.objects.filter(status=Opportunity.Status.OPEN, anchor__program_id=supplier["program_id"])
        .filter(Q(areas__suppliers__pk=supplier_id) | Q(matches__supplier_id=supplier_id))
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def anchor_visibility_set(*, supplier: Supplier, visible: bool, actor) -> AnchorVisibility:
    """The SME agrees (or stops agreeing) to be shown to the program's anchors; audited; ranks follow."""
    from core import audit

    from ..tasks import rank_supplier_after_commit

    row, _created = AnchorVisibility.objects.select_for_update().get_or_create(
        supplier=supplier, defaults={"visible": visible, "changed_at": timezone.now(), "changed_by": actor}
    )
    before = None if _created else row.visible
    if not _created and row.visible != visible:
        row.visible, row.changed_at, row.changed_by = visible, timezone.now(), actor
        row.save()
    if before != visible:
        audit.record(row, action="anchor_visibility_set", actor=actor, changes={"visible": [before, visible]})
        rank_supplier_after_commit(supplier.pk)
    return row


__all__ = [
    "anchor_visibility_set",
    "candidate_suppliers",
    "open_opportunities_for_supplier",
    "opportunity_rank",
    "profiles_for",
    "requirements_for",
    "state_centroids",
    "supplier_rank",
    "value_in_mxn",
]
