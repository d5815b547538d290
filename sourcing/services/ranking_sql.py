"""The fit of every candidate SME for one opportunity, in one SQL statement (``sourcing.matching`` is the reference).

``ranked_rows`` runs one statement, built for the opportunity's requirements (a few areas, certifications
and dimension minimums: each becomes a parameter of a fixed expression):

1. ``cand``: the candidates, filtered first: verified SMEs of the anchor's program, not erased, that agreed to
   be visible to anchors and supply at least one of the opportunity's areas (optionally one SME only);
2. one grouped pass per kind of fact over the candidates, counting only what the opportunity asks for: areas
   supplied, required certifications held (valid today) and only planned (a certification item of a
   development plan, planned, in progress or done), purchase orders won, a cohort selection; the current
   baseline diagnostic (its level and ``scores_by_dimension``) and the SME's sales and state;
3. ``scored``: the six parts, each rounded as ``matching.round2`` rounds, the weighted mean of the rounded
   parts and whether the hard requirements are met;
4. ``kept``: the first ``limit`` in the ranking order (requirements met first, then score, then id) plus the
   ``keep`` ids (the shortlist), read back with the facts ``sourcing.matching`` needs to state the reasons of
   those rows only.

Equal to the reference, not just close: every part is the same IEEE double operation sequence as
``sourcing.matching`` (PostgreSQL's ``float8`` arithmetic, ``power``, ``least``; the operands are the same
doubles, the numeric columns and the JSON texts converted to the nearest double on both sides), and
``round2`` reads the shortest decimal of a double, which is ``float8::text`` (``extra_float_digits`` >= 1,
set for the transaction) and ``repr``. The distance part depends on the SME's state alone: it is computed by
``matching.distance_part`` for each of the 32 centroids and passed in. ``tests/sourcing/test_ranking_sql.py``
compares both on random data.
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


def _round2(expression: str) -> str:
    """SQL of ``matching.round2`` of a float8 expression, as float8 again (the part is stored as a double)."""
    return f"round(({expression})::text::numeric, 2)"


def _fixed(value: float) -> str:
    """A float8 constant, exactly the double ``value`` (``repr`` reads back as it)."""
    return f"{float(value)!r}::float8"


def _maturity_expression(codes: list[str]) -> str:
    """``matching.maturity_part``: the mean of ``min(1, actual / required)`` over the dimension minimums in code
    order, summed one term at a time."""
    if not codes:
        return "100.0::float8"
    total = "0.0::float8"
    for i in range(len(codes)):
        required, actual = f"%(req_{i})s::float8", f"(f.scores_by_dimension ->> %(code_{i})s)::float8"
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


def statement(codes: list[str], certifications: int, areas: int) -> str:
    certification_part = (
        "100.0::float8"
        if not certifications
        else f"100.0::float8 * (f.held::float8 + 0.5::float8 * f.planned::float8) / {certifications}::float8"
    )
    area_part = "100.0::float8" if not areas else f"100.0::float8 * f.supplied::float8 / {areas}::float8"
    weighted = "0.0::float8"
    for name in matching.PARTS:
        weighted = f"({weighted} + {matching.WEIGHTS[name]}::float8 * p_{name})"
    total_weight = sum(matching.WEIGHTS.values())
    return f"""
WITH cand AS MATERIALIZED (
    SELECT s.id, s.state_id, COALESCE(s.annual_sales_mdp, 0)::float8 * 1000000.0::float8 AS sales
    FROM suppliers_supplier s
    JOIN sourcing_anchorvisibility v ON v.supplier_id = s.id AND v.visible
    WHERE s.program_id = %(program)s AND s.status = 'verified' AND s.personal_data_erased_at IS NULL
      AND (%(supplier)s::bigint IS NULL OR s.id = %(supplier)s::bigint)
      AND EXISTS (
          SELECT 1 FROM suppliers_supplier_supply_areas sa
          WHERE sa.supplier_id = s.id AND sa.criticalsupplyarea_id = ANY(%(areas)s::bigint[])
      )
),
supplied AS (
    SELECT sa.supplier_id, COUNT(DISTINCT sa.criticalsupplyarea_id) AS n
    FROM suppliers_supplier_supply_areas sa JOIN cand ON cand.id = sa.supplier_id
    WHERE sa.criticalsupplyarea_id = ANY(%(areas)s::bigint[])
    GROUP BY sa.supplier_id
),
held AS (
    SELECT c.supplier_id, array_agg(DISTINCT c.standard_id) AS ids
    FROM suppliers_certification c JOIN cand ON cand.id = c.supplier_id
    WHERE c.standard_id = ANY(%(certifications)s::bigint[]) AND (c.expires_on IS NULL OR c.expires_on >= %(today)s)
    GROUP BY c.supplier_id
),
planned AS (
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
    WHERE i.status IN ({", ".join(f"'{s}'" for s in WON)})
    GROUP BY i.supplier_id
),
selected AS (
    SELECT DISTINCT k.supplier_id FROM cohorts_candidate k JOIN cand ON cand.id = k.supplier_id
    WHERE k.status = 'selected'
),
distance AS (
    SELECT * FROM unnest(%(state_ids)s::bigint[], %(distance_parts)s::float8[]) AS x(state_id, part)
),
facts AS (
    SELECT cand.id, cand.sales, COALESCE(supplied.n, 0) AS supplied,
           COALESCE(cardinality(held.ids), 0) AS held,
           (SELECT COUNT(*) FROM unnest(planned.ids) AS x(id) WHERE held.ids IS NULL OR NOT x.id = ANY(held.ids))
               AS planned,
           d.maturity_level AS level, d.scores_by_dimension, COALESCE(distance.part, 0.0::float8) AS p_distance,
           selected.supplier_id IS NOT NULL AS selected_before, COALESCE(won.n, 0) AS won
    FROM cand
    LEFT JOIN supplied ON supplied.supplier_id = cand.id
    LEFT JOIN held ON held.supplier_id = cand.id
    LEFT JOIN planned ON planned.supplier_id = cand.id
    LEFT JOIN won ON won.supplier_id = cand.id
    LEFT JOIN selected ON selected.supplier_id = cand.id
    LEFT JOIN distance ON distance.state_id = cand.state_id
    LEFT JOIN assessments_diagnostic d ON d.supplier_id = cand.id AND d.is_current_baseline
),
parts AS (
    SELECT f.id,
           {_round2(area_part)}::float8 AS p_area,
           {_round2(certification_part)}::float8 AS p_certifications,
           {_round2(f"CASE WHEN f.level IS NULL THEN 0.0::float8 ELSE {_maturity_expression(codes)} END")}::float8
               AS p_maturity,
           {_round2(_capacity_expression())}::float8 AS p_capacity,
           f.p_distance,
           (CASE WHEN f.selected_before THEN 50.0::float8 ELSE 0.0::float8 END
            + CASE WHEN f.won > 0 THEN 50.0::float8 ELSE 0.0::float8 END) AS p_history,
           (f.supplied > 0 OR {areas} = 0) AND f.held = {certifications}
               AND (%(minimum_level)s::int IS NULL OR COALESCE(f.level >= %(minimum_level)s::int, false)) AS meets
    FROM facts f
),
scored AS MATERIALIZED (
    SELECT p.*, {_round2(f"{weighted} / {total_weight}::float8")} AS score FROM parts p
),
kept AS (
    (SELECT id FROM scored ORDER BY meets DESC, score DESC, id LIMIT %(limit)s)
    UNION
    SELECT id FROM scored WHERE id = ANY(%(keep)s::bigint[])
)
SELECT s.id, s.score, s.meets, s.p_area, s.p_certifications, s.p_maturity, s.p_capacity, s.p_distance, s.p_history,
       (SELECT array_agg(sa.criticalsupplyarea_id) FROM suppliers_supplier_supply_areas sa
        WHERE sa.supplier_id = s.id AND sa.criticalsupplyarea_id = ANY(%(areas)s::bigint[])) AS area_ids,
       held.ids AS held_ids, planned.ids AS planned_ids, f.level, f.scores_by_dimension, f.sales, st.code,
       f.selected_before, f.won
FROM scored s
JOIN kept ON kept.id = s.id
JOIN facts f ON f.id = s.id
JOIN suppliers_supplier sup ON sup.id = s.id
JOIN programs_state st ON st.id = sup.state_id
LEFT JOIN held ON held.supplier_id = s.id
LEFT JOIN planned ON planned.supplier_id = s.id
ORDER BY s.meets DESC, s.score DESC, s.id
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


def _distance_parts(req: matching.Requirements) -> tuple[list[int], list[float]]:
    """The distance part of an SME in each state (``matching.distance_part``, rounded as a part)."""
    centroids = state_centroids()
    ids, parts = [], []
    for state_id, code in State.objects.values_list("pk", "code"):
        score, _why = matching.distance_part(req, matching.Profile(0, location=centroids.get(code)))
        ids.append(state_id)
        parts.append(float(matching.round2(score)))
    return ids, parts


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
    state_ids, distance_parts = _distance_parts(req)
    params: dict = {
        "program": opportunity.anchor.program_id,
        "supplier": supplier_id,
        "areas": sorted(req.area_ids),
        "certifications": certifications,
        "today": timezone.localdate(),
        "minimum_level": req.minimum_level,
        "value": float(req.annual_value_mxn),
        "state_ids": state_ids,
        "distance_parts": distance_parts,
        "limit": limit,
        "keep": sorted(keep),
    }
    for i, code in enumerate(codes):
        params[f"code_{i}"] = code
        params[f"req_{i}"] = float(req.dimension_minimums[code])
    sql = statement(codes, len(certifications), len(req.area_ids))
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
