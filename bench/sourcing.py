"""Sourcing benchmark: ranking one opportunity over every SME of the seeded program.

Usage (against a seeded database, e.g. ``manage.py seed_demo --size 100000``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 .venv/bin/python bench/run.py sourcing

In one transaction rolled back afterwards, every verified SME agrees to be visible to anchors (one
``INSERT ... SELECT``) and the first anchor posts an opportunity in *every* supply area of the program with
a required certification and a minimum level (the worst case: every SME is a candidate, every fact is read).
Figures: ``sourcing.rank`` times ``sourcing.services.opportunity_rank`` (one statement scores every candidate
in SQL, ``sourcing.services.ranking_sql``; the first ``SDP_SOURCING_MATCH_LIMIT`` are stored with their
reasons: when at least that many meet the hard requirements, only those are scored), target under 1 s;
``sourcing.rank_all_scored`` the same opportunity without hard requirements (every candidate scored,
informative); ``sourcing.rank_one_sme`` times ``supplier_rank`` (what a change of one SME's data
costs per open opportunity: the same statement restricted to that SME), target under 0.1 s.
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

from bench.common import Verdict, limit_verdict

RANK_LIMIT = 1.0
ONE_SME_LIMIT = 0.1


def measure(repeat: int = 3) -> list[Verdict]:
    from django.db import connection, transaction
    from django.utils import timezone

    from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea
    from sourcing.models import Match, Opportunity
    from sourcing.services.matching import candidate_suppliers, opportunity_rank, supplier_rank

    anchor = AnchorCompany.objects.order_by("pk").first()
    if anchor is None:
        return []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO sourcing_anchorvisibility (supplier_id, visible, changed_at) "
                "SELECT id, true, now() FROM suppliers_supplier WHERE status = 'verified' "
                "ON CONFLICT (supplier_id) DO UPDATE SET visible = true"
            )
            cursor.execute("ANALYZE sourcing_anchorvisibility")
        today = timezone.localdate()
        opportunity = Opportunity.objects.create(
            anchor=anchor,
            title="Bench",
            description="Bench",
            part_family="Bench",
            process="Bench",
            annual_volume=100_000,
            annual_value=Decimal("5000000"),
            delivery_state_id=anchor.state_id or 1,
            delivery_plant="Bench",
            start_date=today + datetime.timedelta(days=90),
            response_deadline=today + datetime.timedelta(days=30),
            visibility=Opportunity.Visibility.OPEN,
            minimum_maturity_level=2,
        )
        opportunity.areas.set(CriticalSupplyArea.objects.filter(program_id=anchor.program_id))
        opportunity.required_certifications.set(CertificationStandard.objects.order_by("pk")[:1])
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            stored = opportunity_rank(opportunity_id=opportunity.pk)
            timings.append(time.perf_counter() - start)
        candidates = candidate_suppliers(opportunity, opportunity.areas.values_list("pk", flat=True)).count()
        eligible = Match.objects.filter(opportunity=opportunity, meets_requirements=True).count()
        # One SME's data changed: the first ranked one (its row moves in place) and one not stored.
        first = Match.objects.filter(opportunity=opportunity).order_by("rank").values_list("supplier_id", flat=True)[0]
        outside = (
            candidate_suppliers(opportunity, opportunity.areas.values_list("pk", flat=True))
            .exclude(pk__in=Match.objects.filter(opportunity=opportunity).values("supplier_id"))
            .values_list("pk", flat=True)
            .first()
        )
        one_sme = []
        for supplier_id in [first, outside] * repeat:
            if supplier_id is None:
                continue
            start = time.perf_counter()
            supplier_rank(opportunity_id=opportunity.pk, supplier_id=supplier_id)
            one_sme.append(time.perf_counter() - start)
        # Every candidate meets the hard requirements (none asked): every one is scored.
        Opportunity.objects.filter(pk=opportunity.pk).update(minimum_maturity_level=None)
        opportunity.required_certifications.set([])
        all_scored = []
        for _ in range(repeat):
            start = time.perf_counter()
            opportunity_rank(opportunity_id=opportunity.pk)
            all_scored.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    best = min(timings)
    verdict = limit_verdict("sourcing.rank", best, RANK_LIMIT)
    one = limit_verdict("sourcing.rank_one_sme", max(one_sme), ONE_SME_LIMIT)
    return [
        Verdict(
            verdict.name,
            f"{verdict.text}  [best of {repeat}; {candidates:,} SMEs ranked ({candidates / best:,.0f} per second), "
            f"{stored} stored, {eligible} meeting the requirements; rolled back]",
            verdict.ratio,
            verdict.passed,
        ),
        Verdict(one.name, f"{one.text}  [slowest of {len(one_sme)}; rolled back]", one.ratio, one.passed),
        Verdict(
            "sourcing.rank_all_scored",
            f"{min(all_scored):.3f} s, best of {repeat}: no hard requirement, all {candidates:,} scored "
            f"({candidates / min(all_scored):,.0f} per second; informative)",
            min(all_scored) / RANK_LIMIT,
            None,
        ),
    ]
