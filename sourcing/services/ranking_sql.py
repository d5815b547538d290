"""The fit of every candidate SME for one opportunity, in one SQL statement (``sourcing.matching`` is the reference).

``ranked_rows`` runs one statement, built for the opportunity's requirements (its dimension minimums and
required certifications become parameters of fixed expressions):

1. ``cand``: the candidates, filtered first: verified SMEs of the anchor's program, not erased, that agreed to
   be visible to anchors and supply at least one of the opportunity's areas (how many: one grouped pass over
   the SME-area pairs), optionally one SME only;
2. ``facts``: one grouped pass per kind of fact over the candidates, reading only what the opportunity asks
   for: required certifications held (valid today) and only planned (a certification item of a development
   plan, planned, in progress or done), purchase orders won, a cohort selection, the current baseline's level;
   and whether the hard requirements are met;
3. ``chosen``: the hard requirements filter before any score is computed: when at least ``limit`` candidates
   meet them, the others can only be kept because they are in ``keep`` (the shortlist);
4. the six parts of the chosen candidates: maturity (from ``scores_by_dimension``, read once per dimension)
   and capacity computed as ``matching`` computes them; area, certifications and distance, which take few
   values (the number of areas supplied, of certifications held and planned, the SME's state), looked up in
   figures the reference functions computed for this opportunity (``reference_parts``); history from two
   flags. The weighted mean of the rounded parts, rounded, is the score;
5. ``kept``: the first ``limit`` in the ranking order (requirements met first, then score, then id) plus the
   ``keep`` ids, returned with the facts ``sourcing.matching`` needs to state the reasons of those rows only.

Equal to the reference, not just close: maturity, capacity and the mean are the same IEEE double operation
sequences as ``sourcing.matching`` (PostgreSQL's ``float8`` arithmetic and ``least``; the operands are the same
doubles: numeric columns and JSON texts are converted to the nearest double on both sides), and ``_round2``
gives what ``matching.round2`` gives (see it). ``tests/sourcing/test_ranking_sql.py`` compares both on random
data, and the ranks kept up to date one SME at a time with a full ranking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from programs.models import State

from .. import matching
from ..models import Opportunity
from .profiles import WON, state_centroids


def _round2(column: str) -> str:
    """SQL of ``float(matching.round2(x))`` for a column ``x`` >= 0 (evaluated once: a column, not an expression).

    ``round2`` rounds half-up the shortest decimal of ``x``, which is within 2e-12 of ``x * 100`` (a double
    below 10,000, computed with one rounding): away from a half cent (more than 1e-6 from it) the nearest
    integer of ``x * 100`` divided by 100 is the same double (both the nearest double to ``n / 100``); near one,
    the shortest decimal itself is rounded (``float8::text``, ``extra_float_digits`` >= 1)."""
    cents = f"({column} * 100.0::float8)"
    return (
        f"(CASE WHEN abs({cents} - floor({cents}) - 0.5::float8) < 1e-6::float8 "
        f"THEN round({column}::text::numeric, 2)::float8 ELSE round({cents}) / 100.0::float8 END)"
    )


def _fixed(value: float) -> str:
    """A float8 constant, exactly the double ``value`` (``repr`` reads back as it)."""
    return f"{float(value)!r}::float8"


def _maturity_expression(codes: list[str]) -> str:
    """``matching.maturity_part``: the mean of ``min(1, actual / required)`` over the dimension minimums in code
    order, summed one term at a time (``f.a_<i>``: the SME's score in the i-th dimension, read once)."""
    if not codes:
        return "100.0::float8"
    total = "0.0::float8"
    for i in range(len(codes)):
        required, actual = f"%(req_{i})s::float8", f"f.a_{i}"
        share = (
            f"(CASE WHEN {required} <= 0 THEN 1.0::float8 WHEN {actual} IS NULL THEN 0.0::float8 "
            f"ELSE least(1.0::float8, {actual} / {required}) END)"
        )
        total = f"({total} + {share})"
    return f"100.0::float8 * {total} / {len(codes)}::float8"


def _capacity_expression() -> str:
    """``matching.capacity_part`` of ``share = value / sales``."""
    comfortable, limit = _fixed(matching.CAPACITY_COMFORTABLE), _fixed(matching.CAPACITY_LIMIT)
    share = "(%(value)s::float8 / f.sales)"
    return (
        f"CASE WHEN %(value)s::float8 <= 0 THEN 100.0::float8 WHEN f.sales <= 0 THEN 0.0::float8 "
        f"WHEN {share} <= {comfortable} THEN 100.0::float8 WHEN {share} >= {limit} THEN 0.0::float8 "
        f"ELSE 100.0::float8 * ({limit} - {share}) / ({limit} - {comfortable}) END"
    )


def statement(codes: list[str], certifications: int) -> str:
    """The ranking statement for an opportunity with these dimension minimums and this many required
    certifications (its parameters: ``ranked_rows``)."""
    weighted = "0.0::float8"
    for name in matching.PARTS:
        weighted = f"({weighted} + {matching.WEIGHTS[name]}::float8 * p_{name})"
    total_weight = sum(matching.WEIGHTS.values())
    scores = "".join(f", (d.scores_by_dimension ->> %(code_{i})s)::float8 AS a_{i}" for i in range(len(codes)))
    won = ", ".join(f"'{status}'" for status in WON)
    return f"""
WITH cand AS MATERIALIZED (  -- the candidates, with how many of the opportunity's areas each supplies
    SELECT s.id, s.state_id, COALESCE(s.annual_sales_mdp, 0)::float8 * 1000000.0::float8 AS sales,
           COUNT(*) AS supplied
    FROM suppliers_supplier_supply_areas sa
    JOIN suppliers_supplier s ON s.id = sa.supplier_id
    JOIN sourcing_anchorvisibility v ON v.supplier_id = s.id AND v.visible
    WHERE sa.criticalsupplyarea_id = ANY(%(areas)s::bigint[])
      AND s.program_id = %(program)s AND s.status = 'verified' AND s.personal_data_erased_at IS NULL
      AND (%(supplier)s::bigint IS NULL OR s.id = %(supplier)s::bigint)
    GROUP BY s.id
),
held AS (  -- the required certifications held, valid today
    SELECT c.supplier_id, array_agg(c.standard_id ORDER BY c.standard_id) AS ids
    FROM suppliers_certification c JOIN cand ON cand.id = c.supplier_id
    WHERE c.standard_id = ANY(%(certifications)s::bigint[]) AND (c.expires_on IS NULL OR c.expires_on >= %(today)s)
    GROUP BY c.supplier_id
),
planned AS (  -- the required certifications in a development plan (planned, in progress or done)
    SELECT k.supplier_id, array_agg(DISTINCT i.standard_id) AS ids
    FROM support_planitem i
    JOIN support_developmentplan p ON p.id = i.plan_id
    JOIN cohorts_candidate k ON k.id = p.candidate_id
    JOIN cand ON cand.id = k.supplier_id
    WHERE i.kind = 'certification' AND i.standard_id = ANY(%(certifications)s::bigint[])
      AND i.status IN ('planned', 'in_progress', 'done')
    GROUP BY k.supplier_id
),
won AS (
    SELECT i.supplier_id, COUNT(*) AS n
    FROM sourcing_invitation i JOIN cand ON cand.id = i.supplier_id
    WHERE i.status IN ({won})
    GROUP BY i.supplier_id
),
selected AS (
    SELECT DISTINCT k.supplier_id FROM cohorts_candidate k JOIN cand ON cand.id = k.supplier_id
    WHERE k.status = 'selected'
),
facts AS MATERIALIZED (  -- what the hard requirements read, for every candidate
    SELECT cand.id, cand.state_id, cand.sales, cand.supplied, held.ids AS held_ids, planned.ids AS planned_ids,
           COALESCE(cardinality(held.ids), 0) AS held,
           CASE WHEN planned.ids IS NULL THEN 0
                ELSE cardinality(ARRAY(SELECT unnest(planned.ids) EXCEPT SELECT unnest(held.ids))) END AS planned,
           d.id AS diagnostic_id, d.maturity_level AS level,
           selected.supplier_id IS NOT NULL AS selected_before, COALESCE(won.n, 0) AS won,
           cand.supplied > 0 AND COALESCE(cardinality(held.ids), 0) = {certifications}
               AND (%(minimum_level)s::int IS NULL OR COALESCE(d.maturity_level >= %(minimum_level)s::int, false))
               AS meets
    FROM cand
    LEFT JOIN held ON held.supplier_id = cand.id
    LEFT JOIN planned ON planned.supplier_id = cand.id
    LEFT JOIN won ON won.supplier_id = cand.id
    LEFT JOIN selected ON selected.supplier_id = cand.id
    LEFT JOIN assessments_diagnostic d ON d.supplier_id = cand.id AND d.is_current_baseline
),
chosen AS (  -- when at least ``limit`` meet the hard requirements, the others can only be kept ones
    SELECT f.* FROM facts f
    WHERE f.meets OR f.id = ANY(%(keep)s::bigint[]) OR (SELECT COUNT(*) FROM facts WHERE meets) < %(limit)s
),
raw AS (  -- the parts before rounding (a subquery kept apart: each is computed once)
    SELECT f.*, d.scores_by_dimension,
           CASE WHEN f.level IS NULL THEN 0.0::float8 ELSE {_maturity_expression(codes)} END AS raw_maturity,
           {_capacity_expression()} AS raw_capacity
    FROM (SELECT c.*{scores} FROM chosen c LEFT JOIN assessments_diagnostic d ON d.id = c.diagnostic_id OFFSET 0) f
    LEFT JOIN assessments_diagnostic d ON d.id = f.diagnostic_id
    OFFSET 0
),
parts AS (  -- area, certifications and distance take few values: looked up in the reference's figures
    SELECT r.*,
           (%(area_parts)s::float8[])[r.supplied + 1] AS p_area,
           (%(certification_parts)s::float8[])[r.held * ({certifications} + 1) + r.planned + 1] AS p_certifications,
           {_round2("r.raw_maturity")} AS p_maturity,
           {_round2("r.raw_capacity")} AS p_capacity,
           COALESCE((%(distance_parts)s::float8[])[array_position(%(state_ids)s::bigint[], r.state_id)], 0.0::float8)
               AS p_distance,
           (CASE WHEN r.selected_before THEN 50.0::float8 ELSE 0.0::float8 END
            + CASE WHEN r.won > 0 THEN 50.0::float8 ELSE 0.0::float8 END) AS p_history
    FROM raw r
    OFFSET 0
),
weighted AS (
    SELECT p.*, {weighted} / {total_weight}::float8 AS raw_score FROM parts p OFFSET 0
),
scored AS MATERIALIZED (
    SELECT w.*, {_round2("w.raw_score")} AS score FROM weighted w
),
kept AS MATERIALIZED (
    (SELECT * FROM scored ORDER BY meets DESC, score DESC, id LIMIT %(limit)s)
    UNION ALL
    (SELECT * FROM scored WHERE id = ANY(%(keep)s::bigint[]) ORDER BY meets DESC, score DESC, id OFFSET 0)
)
SELECT DISTINCT ON (k.meets, k.score, k.id)
       k.id, round(k.score::numeric, 2), k.meets, k.p_area, k.p_certifications, k.p_maturity, k.p_capacity,
       k.p_distance, k.p_history,
       (SELECT array_agg(sa.criticalsupplyarea_id) FROM suppliers_supplier_supply_areas sa
        WHERE sa.supplier_id = k.id AND sa.criticalsupplyarea_id = ANY(%(areas)s::bigint[])) AS area_ids,
       k.held_ids, k.planned_ids, k.level, k.scores_by_dimension, k.sales,
       (SELECT st.code FROM programs_state st WHERE st.id = k.state_id) AS state_code, k.selected_before, k.won
FROM kept k
ORDER BY k.meets DESC, k.score DESC, k.id
"""


@dataclass(frozen=True)
class Ranked:
    """One kept row: the figures computed in SQL and the reasons ``sourcing.matching`` gives from its facts."""

    supplier_id: int
    score: Decimal
    meets_requirements: bool
    parts: dict[str, float]
    reasons: list[dict]

    @property
    def key(self) -> tuple:
        """The ranking order: requirements met first, then the score (high first), then the id."""
        return (not self.meets_requirements, -self.score, self.supplier_id)


def _part(function, req: matching.Requirements, profile: matching.Profile) -> float:
    """A part as ``matching.fit`` stores it (rounded by ``round2``)."""
    return float(matching.round2(function(req, profile)[0]))


def reference_parts(req: matching.Requirements) -> dict:
    """The parts that take few values, from the reference functions: the area part for each number of the
    areas supplied, the certification part for each number held and only planned (``held * (n + 1) +
    planned``), and the distance part of an SME in each state."""
    areas, certifications = sorted(req.area_ids), sorted(req.certification_ids)
    area_parts = [
        _part(matching.area_part, req, matching.Profile(0, area_ids=frozenset(areas[:n])))
        for n in range(len(areas) + 1)
    ]
    certification_parts = []
    for held in range(len(certifications) + 1):
        for planned in range(len(certifications) + 1):
            profile = matching.Profile(
                0,
                held_certification_ids=frozenset(certifications[:held]),
                planned_certification_ids=frozenset(certifications[held : held + planned]),
            )
            certification_parts.append(
                _part(matching.certification_part, req, profile) if held + planned <= len(certifications) else 0.0
            )
    centroids = state_centroids()
    state_ids, distance_parts = [], []
    for state_id, code in State.objects.values_list("pk", "code"):
        state_ids.append(state_id)
        distance_parts.append(_part(matching.distance_part, req, matching.Profile(0, location=centroids.get(code))))
    return {
        "area_parts": area_parts,
        "certification_parts": certification_parts,
        "state_ids": state_ids,
        "distance_parts": distance_parts,
    }


def ranked_rows(
    opportunity: Opportunity,
    req: matching.Requirements,
    *,
    limit: int,
    keep: frozenset[int] | set[int] = frozenset(),
    supplier_id: int | None = None,
) -> list[Ranked]:
    """The first ``limit`` candidates of ``opportunity`` in ranking order, plus those in ``keep`` (restricted
    to ``supplier_id`` when given), with their parts, score and reasons. Runs inside a transaction."""
    codes = sorted(req.dimension_minimums)
    certifications = sorted(req.certification_ids)
    params: dict = {
        **reference_parts(req),
        "program": opportunity.anchor.program_id,
        "supplier": supplier_id,
        "areas": sorted(req.area_ids),
        "certifications": certifications,
        "today": timezone.localdate(),
        "minimum_level": req.minimum_level,
        "value": float(req.annual_value_mxn),
        "limit": limit,
        "keep": sorted(keep),
    }
    for i, code in enumerate(codes):
        params[f"code_{i}"] = code
        params[f"req_{i}"] = float(req.dimension_minimums[code])
    sql = statement(codes, len(certifications))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL extra_float_digits = 1")  # float8::text is the shortest exact decimal
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    centroids = state_centroids()
    out = []
    for (
        pk,
        score,
        meets,
        *part_values,
        area_ids,
        held_ids,
        planned_ids,
        level,
        scores,
        sales,
        state_code,
        selected_before,
        won,
    ) in rows:
        if isinstance(scores, str):  # a JSON text when the driver leaves jsonb undecoded
            scores = json.loads(scores)
        profile = matching.Profile(
            supplier_id=pk,
            area_ids=frozenset(area_ids or ()),
            held_certification_ids=frozenset(held_ids or ()),
            planned_certification_ids=frozenset(planned_ids or ()),
            maturity_level=level,
            dimension_scores={c: (None if v is None else float(v)) for c, v in (scores or {}).items()},
            annual_sales_mxn=sales,
            location=centroids.get(state_code),
            selected_before=selected_before,
            purchase_orders_won=won,
        )
        out.append(
            Ranked(
                supplier_id=pk,
                score=score,
                meets_requirements=meets,
                parts=dict(zip(matching.PARTS, part_values, strict=True)),
                reasons=matching.fit(req, profile).reasons,
            )
        )
    return out
