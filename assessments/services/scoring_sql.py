"""Set-based batch scoring: the rows the reference functions (``assessments.scoring``) compute, in one statement.

``diagnostics_score`` scores a chunk of diagnostics with one
statement (``SCORE_SQL``) whose parts are:

1. the diagnostics, locked (``FOR UPDATE``) and filtered to the rescorable statuses;
2. questions x answers (the chunk's answers read page by page, a hash join, ``GROUP BY`` diagnostic
   and dimension): each dimension's sums (weighted sum and weight sum of its rated questions, in
   integers: weights in hundredths), rated / N/A / total counts, completeness, rounded score and the
   critical questions triggered (rated at or below their trigger level);
3. the overall score (the weighted mean of the complete dimensions' unrounded scores, computed with
   40 decimals), the band holding its rounded value, gating (the lowest cap of the triggered
   critical questions, their codes in framework order) and the incomplete dimensions: the summary
   stored in ``score_details`` (``results.summary``), built as ``jsonb``'s text;
4. the ``DimensionScore`` rows that differ from the stored ones, upserted; the ``AreaAlignment`` rows
   with the supply areas each SME wants: an MD5 of each row's inputs besides the scores (the
   area's requirements and required certification codes, the standards the SME holds) is compared
   with the one stored on the row (``inputs_digest``), and only the rows whose inputs changed (that
   digest, or a dimension score of the diagnostic), that are new, or that have no digest are
   recomputed (gaps and missing certifications built as JSON) and
   upserted; those with areas no longer wanted are deleted. Dimension scores are written by this
   statement only, each time with all the diagnostic's alignments, so an
   alignment with a digest was computed from the dimension scores stored;
5. an ``UPDATE`` of only the diagnostics whose results changed (scores, level, cap, summary or a
   dimension score, then with ``scores_by_dimension``) or that move from *submitted* to *scored*,
   deciding which go back to *scored* (validated ones whose results changed) and returning the
   transitions, audited in one ``COPY``.

A rescore that changes nothing writes nothing but the row locks: no new row versions, no index
entries, no version bump. Each question's contribution (the explanation's per-question detail) is
not stored: ``assessments.selectors.diagnostic_explanation`` computes it from the answers when it is
shown (answers cannot change while a diagnostic is submitted, scored or validated).

Equal to the reference arithmetic (``assessments.scoring``, 28-digit ``Decimal``), not just close:

- a dimension score is the exact quotient of the weighted sum by the weight sum rounded half up to
  the cent, computed on integers (weights have two decimals: both sums are exact in hundredths, and
  ``(200 n + w) div (2 w)`` is ``n / w`` in cents rounded half up). The reference divides with 28
  significant digits, then rounds half up: the exact quotient is never within 1e-9 of a half cent
  unless it is one, so both give the same cent. The same holds for an alignment's fit
  (``100 * met / total``, small integers, in ``numeric``), and gaps compare the rounded scores, as
  the reference does;
- the overall score is computed here in float8 (error < 1e-12: values <= 100, a few dozen operations
  on positive terms) and by the reference with 28 significant digits (error < 1e-18 for any
  realistic framework). Both therefore round to the same cent unless the exact value lies within
  1e-9 of a half cent (the statement checks 1e-7 of a cent, with room to spare). Those
  diagnostics (exact ties such as 62.505 included), and any whose rounded score is not held by
  exactly one band, are finished in Python: the statement writes their dimension scores and
  alignments and returns their exact sums, critical questions and bands, and
  ``assessments.scoring.score_from_sums`` (the reference arithmetic) decides their overall score,
  band, level and summary (``_finish_fallbacks``).
"""

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.bulk import copy_insert
from core.models import AuditEvent
from core.rawsql import fetch_prepared
from programs.models import CriticalSupplyArea
from suppliers.models import Supplier

from .. import scoring
from ..models import Diagnostic
from .frameworks import RESCORABLE
from .results import summary, transition_events

_WANTED = Supplier.supply_areas.through._meta
_REQUIRED_CERTS = CriticalSupplyArea.required_certifications.through._meta

SCORE_SQL = f"""
WITH diag AS MATERIALIZED (
    SELECT d.id, d.framework_id, d.supplier_id, d.status, d.overall_score, d.maturity_level, d.level_capped,
           d.score_details, d.scored_at
    FROM assessments_diagnostic d
    WHERE d.id = ANY(%(ids)s::bigint[]) AND d.status = ANY(%(statuses)s)
    ORDER BY d.id
    FOR UPDATE
),
answered AS (  -- the answers aggregated per dimension first (a hash join of answers x questions), in
               -- integers: weights in hundredths (two decimals), so the sums are exact and cheap
    SELECT a.diagnostic_id, q.dimension_id,
           SUM(q.cents * (25 * (a.level - 1))) AS n,
           SUM(q.cents) FILTER (WHERE a.level IS NOT NULL) AS ws,
           COUNT(a.level) AS rated,
           COUNT(*) FILTER (WHERE a.not_applicable) AS na_count,
           array_agg(q.id) FILTER (WHERE q.is_critical AND a.level <= q.trigger_level) AS hits  -- scoring.triggers
    FROM assessments_answer a
    JOIN (SELECT id, dimension_id, (weight * 100)::integer AS cents, is_critical, trigger_level
          FROM assessments_question) q ON q.id = a.question_id
    WHERE a.diagnostic_id = ANY(%(ids)s::bigint[]) AND (a.level IS NOT NULL OR a.not_applicable)  -- not drafts
    GROUP BY a.diagnostic_id, q.dimension_id
),
dims AS MATERIALIZED (  -- the dimensions of the frameworks in this chunk, with their question counts
    SELECT dim.id, dim.framework_id, dim.code, dim."order", dim.weight, dim.weight::float8 AS weight_float,
           (SELECT COUNT(*) FROM assessments_question q WHERE q.dimension_id = dim.id) AS total
    FROM assessments_dimension dim
    WHERE dim.framework_id IN (SELECT framework_id FROM diag)
),
scored AS (  -- every dimension of each diagnostic's framework, answered or not
    SELECT s.*, CASE WHEN s.rated > 0 THEN (200 * s.n + s.ws) / (2 * s.ws) * 0.01 END AS score,  -- n / ws, half up
           s.rated >= 1 AND 3 * (s.rated + s.na_count) >= 2 * s.total AS complete  -- scoring.is_complete
    FROM (
        SELECT d.id AS diagnostic_id, dim.id AS dimension_id, dim.code, dim."order", dim.weight, dim.weight_float,
               dim.total,
               COALESCE(x.n, 0) AS n, COALESCE(x.ws, 0) AS ws, COALESCE(x.rated, 0) AS rated,
               COALESCE(x.na_count, 0) AS na_count, x.hits
        FROM diag d
        JOIN dims dim ON dim.framework_id = d.framework_id
        LEFT JOIN answered x ON x.diagnostic_id = d.id AND x.dimension_id = dim.id
    ) s
),
overall AS (  -- the weighted mean of the complete dimensions' unrounded scores, in float8 (see the module)
    SELECT s.diagnostic_id,
           SUM(s.weight_float * s.n::float8 / s.ws::float8) FILTER (WHERE s.complete) AS weighted,
           SUM(s.weight_float) FILTER (WHERE s.complete) AS weights
    FROM scored s
    GROUP BY s.diagnostic_id
),
incomplete AS (  -- the incomplete dimensions' codes in framework order (few rows)
    SELECT s.diagnostic_id, jsonb_agg(s.code ORDER BY s."order", s.code) AS codes
    FROM (SELECT * FROM scored WHERE NOT complete) s
    GROUP BY s.diagnostic_id
),
gates AS (  -- triggered critical questions: the lowest cap, and their codes in framework order
    SELECT s.diagnostic_id, MIN(q.cap_level) AS cap,
           jsonb_agg(q.code ORDER BY s."order", s.code, q."order", q.code) AS reasons
    FROM (SELECT * FROM scored WHERE hits IS NOT NULL) s
    CROSS JOIN LATERAL unnest(s.hits) AS h(question_id)
    JOIN assessments_question q ON q.id = h.question_id
    GROUP BY s.diagnostic_id
),
bands AS MATERIALIZED (
    SELECT b.framework_id, b.level, b.min_score, b.max_score,
           b.max_score = MAX(b.max_score) OVER (PARTITION BY b.framework_id) AS top
    FROM assessments_maturityband b
    WHERE b.framework_id IN (SELECT framework_id FROM diag)
),
measured AS (  -- the overall score (float8, and rounded) of each diagnostic with complete dimensions
    SELECT d.id, d.framework_id, x.approx, round(x.approx::numeric, 2) AS overall
    FROM diag d
    JOIN (SELECT diagnostic_id, weighted / weights AS approx FROM overall WHERE weights > 0) x
        ON x.diagnostic_id = d.id
),
banded AS (  -- min <= score < max; the top band also holds its max
    SELECT m.id, MIN(b.level) AS level, COUNT(*) AS matches
    FROM measured m
    JOIN bands b ON b.framework_id = m.framework_id
        AND (m.overall >= b.min_score AND m.overall < b.max_score OR m.overall = b.max_score AND b.top)
    GROUP BY m.id
),
results AS (
    SELECT d.id, m.overall, i.codes AS incomplete, g.cap, g.reasons, b.level AS band_level,
           m.approx IS NOT NULL AND (abs(m.approx * 100 - floor(m.approx * 100) - 0.5) < 1e-7
                                     OR COALESCE(b.matches, 0) <> 1) AS fallback
    FROM diag d
    LEFT JOIN measured m ON m.id = d.id
    LEFT JOIN banded b ON b.id = d.id
    LEFT JOIN incomplete i ON i.diagnostic_id = d.id
    LEFT JOIN gates g ON g.diagnostic_id = d.id
),
summaries AS (
    SELECT r.id, r.overall, l.level, r.cap IS NOT NULL AS capped,
           -- jsonb's own text of the summary (keys by length, then bytes): compared with the stored one's
           -- text, parsed only for the rows written
           '{{"level": ' || COALESCE(l.level::text, 'null') || ', "capped": ' || (r.cap IS NOT NULL)::text
           || ', "complete": ' || (r.incomplete IS NULL)::text
           || ', "band_level": ' || COALESCE(r.band_level::text, 'null')
           || ', "cap_reasons": ' || COALESCE(r.reasons::text, '[]')
           || ', "overall_score": ' || COALESCE('"' || r.overall::text || '"', 'null')
           || ', "incomplete_dimensions": ' || COALESCE(r.incomplete::text, '[]') || '}}' AS details
    FROM results r
    CROSS JOIN LATERAL (SELECT CASE WHEN r.cap IS NOT NULL AND r.band_level IS NOT NULL
                                    THEN LEAST(r.band_level, r.cap) ELSE r.band_level END AS level) l
    WHERE NOT r.fallback
),
changed_dimensions AS (  -- rows that differ from the stored ones
    SELECT s.* FROM scored s
    LEFT JOIN (SELECT * FROM assessments_dimensionscore WHERE diagnostic_id = ANY(%(ids)s::bigint[])) x
        ON x.diagnostic_id = s.diagnostic_id AND x.dimension_id = s.dimension_id
    WHERE (x.id IS NULL OR (x.score, x.rated_count, x.na_count, x.total_count, x.is_complete)
                           IS DISTINCT FROM (s.score, s.rated, s.na_count, s.total, s.complete))
),
dimension_objects AS (  -- scores_by_dimension of the diagnostics whose dimension scores change
    SELECT diagnostic_id, jsonb_object_agg(code, score::text) AS scores
    FROM scored
    WHERE diagnostic_id IN (SELECT diagnostic_id FROM changed_dimensions)
    GROUP BY diagnostic_id
),
dimension_upsert AS (
    INSERT INTO assessments_dimensionscore AS s
        (diagnostic_id, dimension_id, score, rated_count, na_count, total_count, is_complete)
    SELECT diagnostic_id, dimension_id, score, rated, na_count, total, complete FROM changed_dimensions
    ON CONFLICT (diagnostic_id, dimension_id) DO UPDATE
        SET score = EXCLUDED.score, rated_count = EXCLUDED.rated_count, na_count = EXCLUDED.na_count,
            total_count = EXCLUDED.total_count, is_complete = EXCLUDED.is_complete
    RETURNING s.diagnostic_id
),
wanted AS MATERIALIZED (  -- alignments only with the areas each SME wants (an SME is a candidate only there)
    SELECT d.id AS diagnostic_id, d.supplier_id, w.{_WANTED.get_field("criticalsupplyarea").column} AS area_id
    FROM diag d
    JOIN {_WANTED.db_table} w ON w.{_WANTED.get_field("supplier").column} = d.supplier_id
),
area_inputs AS MATERIALIZED (  -- each wanted area's requirements and required certifications, as text
    SELECT a.id AS area_id,
           (SELECT COALESCE(jsonb_agg(jsonb_build_array(r.dimension_code, r.minimum_score)
                                      ORDER BY r.dimension_code COLLATE "C"), '[]'::jsonb)
            FROM programs_arearequirement r WHERE r.area_id = a.id)::text
           || (SELECT COALESCE(jsonb_agg(cs.code ORDER BY cs.code COLLATE "C"), '[]'::jsonb)
               FROM {_REQUIRED_CERTS.db_table} rc
               JOIN programs_certificationstandard cs
                   ON cs.id = rc.{_REQUIRED_CERTS.get_field("certificationstandard").column}
               WHERE rc.{_REQUIRED_CERTS.get_field("criticalsupplyarea").column} = a.id)::text AS inputs
    FROM programs_criticalsupplyarea a
    WHERE a.id IN (SELECT area_id FROM wanted)
),
held_inputs AS MATERIALIZED (  -- the standards each SME holds, as text
    SELECT supplier_id, array_agg(standard_id ORDER BY standard_id)::text AS inputs
    FROM suppliers_certification
    WHERE supplier_id = ANY(ARRAY(SELECT supplier_id FROM diag))  -- one index scan, not one per SME
    GROUP BY supplier_id
),
stored_alignments AS MATERIALIZED (
    SELECT id, diagnostic_id, area_id, inputs_digest
    FROM assessments_areaalignment WHERE diagnostic_id = ANY(%(ids)s::bigint[])
),
stale AS MATERIALIZED (  -- the alignments whose inputs are not those they were computed from: the
                        -- area's or the SME's certifications changed, or a dimension score
    SELECT i.* FROM (
        SELECT w.*, md5(ai.inputs || '|' || COALESCE(h.inputs, '{{}}'))::uuid AS digest
        FROM wanted w
        JOIN area_inputs ai ON ai.area_id = w.area_id
        LEFT JOIN held_inputs h ON h.supplier_id = w.supplier_id
    ) i
    LEFT JOIN stored_alignments x ON x.diagnostic_id = i.diagnostic_id AND x.area_id = i.area_id
    WHERE x.inputs_digest IS DISTINCT FROM i.digest
       OR i.diagnostic_id IN (SELECT diagnostic_id FROM changed_dimensions)
),
requirement_gaps AS (  -- the gaps' JSON built as text and parsed once per alignment
    SELECT g.diagnostic_id, g.area_id, COUNT(*) AS total, COUNT(*) FILTER (WHERE g.gap) AS unmet,
           ('[' || string_agg(
               '{{"dimension": ' || to_json(g.dimension_code)::text || ', "required": "' || g.minimum_score::text
               || '", "actual": ' || COALESCE('"' || g.score::text || '"', 'null') || ', "shortfall": "'
               || round(g.minimum_score - COALESCE(g.score, 0), 2)::text || '"}}',
               ', ' ORDER BY g.dimension_code COLLATE "C") FILTER (WHERE g.gap) || ']')::jsonb AS gaps
    FROM (
        SELECT w.diagnostic_id, w.area_id, r.dimension_code, r.minimum_score, sc.score,
               sc.score IS NULL OR sc.score < r.minimum_score AS gap
        FROM stale w
        JOIN programs_arearequirement r ON r.area_id = w.area_id
        LEFT JOIN scored sc ON sc.diagnostic_id = w.diagnostic_id AND sc.code = r.dimension_code
    ) g
    GROUP BY g.diagnostic_id, g.area_id
),
certification_gaps AS (  -- standard codes are unique, an area requires a standard at most once, and an
                         -- SME holds a standard at most once (certification_unique_standard)
    SELECT w.diagnostic_id, w.area_id, COUNT(*) AS total,
           jsonb_agg(cs.code ORDER BY cs.code COLLATE "C") FILTER (WHERE held.id IS NULL) AS missing
    FROM stale w
    JOIN {_REQUIRED_CERTS.db_table} rc ON rc.{_REQUIRED_CERTS.get_field("criticalsupplyarea").column} = w.area_id
    JOIN programs_certificationstandard cs ON cs.id = rc.{_REQUIRED_CERTS.get_field("certificationstandard").column}
    LEFT JOIN (SELECT id, supplier_id, standard_id FROM suppliers_certification
               WHERE supplier_id IN (SELECT supplier_id FROM stale)) held
        ON held.supplier_id = w.supplier_id AND held.standard_id = cs.id
    GROUP BY w.diagnostic_id, w.area_id
),
alignment_upsert AS (  -- the stale alignments, recomputed
    INSERT INTO assessments_areaalignment AS x
        (diagnostic_id, area_id, meets_requirements, fit_percent, gaps, missing_certifications, inputs_digest)
    SELECT a.diagnostic_id, a.area_id, a.unmet = 0,
           CASE WHEN a.total = 0 THEN 100.00 ELSE round(100.0 * (a.total - a.unmet) / a.total, 2) END,
           a.gaps, a.missing, a.digest
    FROM (
        SELECT w.diagnostic_id, w.area_id, w.digest,
               COALESCE(g.total, 0) + COALESCE(c.total, 0) AS total,
               COALESCE(g.unmet, 0) + COALESCE(jsonb_array_length(c.missing), 0) AS unmet,
               COALESCE(g.gaps, '[]'::jsonb) AS gaps, COALESCE(c.missing, '[]'::jsonb) AS missing
        FROM stale w
        LEFT JOIN requirement_gaps g ON g.diagnostic_id = w.diagnostic_id AND g.area_id = w.area_id
        LEFT JOIN certification_gaps c ON c.diagnostic_id = w.diagnostic_id AND c.area_id = w.area_id
    ) a
    ON CONFLICT (diagnostic_id, area_id) DO UPDATE
        SET meets_requirements = EXCLUDED.meets_requirements, fit_percent = EXCLUDED.fit_percent,
            gaps = EXCLUDED.gaps, missing_certifications = EXCLUDED.missing_certifications,
            inputs_digest = EXCLUDED.inputs_digest
),
alignment_delete AS (  -- areas the SME no longer wants
    DELETE FROM assessments_areaalignment
    WHERE id IN (SELECT x.id FROM stored_alignments x
                 LEFT JOIN wanted w ON w.diagnostic_id = x.diagnostic_id AND w.area_id = x.area_id
                 WHERE w.diagnostic_id IS NULL)
),
diagnostic_update AS (  -- only what changed, or moves from submitted to scored
    UPDATE assessments_diagnostic d
    SET overall_score = r.overall, maturity_level = r.level, level_capped = r.capped, score_details = r.details::jsonb,
        scores_by_dimension = COALESCE(r.scores, d.scores_by_dimension),
        scored_at = CASE WHEN r.changed THEN %(now)s ELSE d.scored_at END,
        version = d.version + 1, updated_at = %(now)s,
        status = CASE WHEN r.rescored THEN 'scored' ELSE d.status END,
        validated_at = CASE WHEN r.rescored THEN NULL ELSE d.validated_at END,
        validated_by_id = CASE WHEN r.rescored THEN NULL ELSE d.validated_by_id END,
        published_at = CASE WHEN r.rescored THEN NULL ELSE d.published_at END
    FROM (
        SELECT c.*, c.old_status = 'submitted' OR (c.old_status = 'validated' AND c.changed) AS rescored
        FROM (
            SELECT s.*, dg.status AS old_status, o.scores,
                   dg.scored_at IS NULL OR s.id IN (SELECT diagnostic_id FROM dimension_upsert)
                       OR dg.overall_score IS DISTINCT FROM s.overall OR dg.maturity_level IS DISTINCT FROM s.level
                       OR dg.level_capped IS DISTINCT FROM s.capped OR dg.score_details::text <> s.details
                       AS changed
            FROM summaries s JOIN diag dg ON dg.id = s.id LEFT JOIN dimension_objects o ON o.diagnostic_id = s.id
        ) c
        WHERE c.changed OR c.old_status = 'submitted'
    ) r
    WHERE d.id = r.id
    RETURNING d.id, r.old_status, r.rescored
),
fallback_scored AS (  -- the rows of the diagnostics left to the reference arithmetic (few)
    SELECT * FROM scored WHERE diagnostic_id IN (SELECT id FROM results WHERE fallback)
)
SELECT 'scored', id, NULL FROM diag
UNION ALL SELECT 'transition', id, old_status FROM diagnostic_update WHERE rescored
UNION ALL  -- what the reference arithmetic needs to finish a fallback (its sums, gates and bands)
SELECT 'fallback', r.id, jsonb_build_object(
    'dimensions', (SELECT jsonb_agg(jsonb_build_array(s.code, s.weight::text, (s.n * 0.01)::text,  -- hundredths
                                                      (s.ws * 0.01)::text, s.rated, s.na_count, s.total)
                                    ORDER BY s."order", s.code)
                   FROM fallback_scored s WHERE s.diagnostic_id = r.id),
    'hits', (SELECT jsonb_agg(jsonb_build_array(q.code, q.cap_level) ORDER BY s."order", s.code, q."order", q.code)
             FROM fallback_scored s CROSS JOIN LATERAL unnest(s.hits) AS h(question_id)
             JOIN assessments_question q ON q.id = h.question_id
             WHERE s.diagnostic_id = r.id),
    'bands', (SELECT jsonb_agg(jsonb_build_array(b.level, b.min_score::text, b.max_score::text) ORDER BY b.level)
              FROM assessments_maturityband b WHERE b.framework_id = dg.framework_id),
    'dimensions_changed', r.id IN (SELECT diagnostic_id FROM dimension_upsert),
    'scores_by_dimension', (SELECT o.scores FROM dimension_objects o WHERE o.diagnostic_id = r.id),
    'status', dg.status, 'overall_score', dg.overall_score::text, 'maturity_level', dg.maturity_level,
    'level_capped', dg.level_capped, 'score_details', dg.score_details, 'scored', dg.scored_at IS NOT NULL)::text
FROM results r JOIN diag dg ON dg.id = r.id
WHERE r.fallback
"""

# For this statement only (reset after it): JIT compiling costs more than it runs; merge joins of
# the per-dimension rows measured slower than hash joins; the sorts fit in memory. The statement is a
# prepared statement with a generic plan (core.rawsql.fetch_prepared): planned once per connection,
# under these settings; the plan measured as fast as a custom one from 1 to 1,000 diagnostics. The
# generic plan counts on a few diagnostics (it cannot see the array's length) and would read the
# chunk's 45,000 answers, 9,000 dimension scores and 1,800 alignments by index scans, one heap fetch
# per row; without index scans it reads them by bitmap scans, each table page once and in order
# (tests/assessments/test_scoring_sql.py reads the plan).
PLANNER_SQL = (
    "SET LOCAL jit = off; SET LOCAL enable_mergejoin = off; SET LOCAL work_mem = '64MB';"
    " SET LOCAL enable_indexscan = off"
)
PLANNER_RESET_SQL = "RESET jit; RESET enable_mergejoin; RESET work_mem; RESET enable_indexscan"


@transaction.atomic
def diagnostics_score_sql(*, diagnostic_ids: Iterable[int], actor=None) -> tuple[list[int], list[int]]:
    """``assessments.services.diagnostics_score`` on PostgreSQL, set-based (see the module).

    Returns (the ids scored, the ids that moved from *submitted* to *scored*)."""
    ids = sorted({int(pk) for pk in diagnostic_ids})
    if not ids:
        return [], []
    with connection.cursor() as cursor:
        cursor.execute(PLANNER_SQL)
    rows = fetch_prepared(SCORE_SQL, {"ids": ids, "statuses": [str(s) for s in RESCORABLE], "now": timezone.now()})
    with connection.cursor() as cursor:
        cursor.execute(PLANNER_RESET_SQL)
    scored = sorted(pk for kind, pk, _ in rows if kind == "scored")
    transitions = [(pk, old) for kind, pk, old in rows if kind == "transition"]
    transitions += _finish_fallbacks([(pk, json.loads(payload)) for kind, pk, payload in rows if kind == "fallback"])
    transitions.sort()
    copy_insert(AuditEvent, transition_events(transitions, actor))
    newly_scored = [pk for pk, old in transitions if old == Diagnostic.Status.SUBMITTED]
    return scored, newly_scored


def _finish_fallbacks(fallbacks: list[tuple[int, dict]]) -> list[tuple[int, str]]:
    """Score the diagnostics the statement left to the reference arithmetic (``scoring.score_from_sums``
    on their exact sums) and write those whose results changed; returns their transitions to *scored*.
    Their dimension scores and alignments were written by the statement."""
    transitions, now = [], timezone.now()
    for pk, data in fallbacks:
        dimensions, sums = [], {}
        for code, weight, n, ws, rated, na, total in data["dimensions"] or ():
            dimensions.append(scoring.DimensionSpec(code, Decimal(weight)))
            sums[code] = scoring.DimensionSums(Decimal(n), Decimal(ws), rated, na, total)
        hits = [
            scoring.QuestionSpec(
                id=code, dimension_code="", code=code, weight=Decimal(1), is_critical=True, cap_level=cap
            )
            for code, cap in data["hits"] or ()
        ]
        bands = [scoring.Band(level, Decimal(low), Decimal(high)) for level, low, high in data["bands"] or ()]
        result = scoring.score_from_sums(dimensions, sums, hits, bands)
        details = summary(result)
        changed = (
            not data["scored"]
            or data["dimensions_changed"]
            or data["score_details"] != details
            or _decimal(data["overall_score"]) != result.overall_score
            or data["maturity_level"] != result.level
            or data["level_capped"] != result.capped
        )
        status = data["status"]
        if not changed and status != Diagnostic.Status.SUBMITTED:
            continue
        rescored = status == Diagnostic.Status.SUBMITTED or (status == Diagnostic.Status.VALIDATED and changed)
        fields: dict[str, Any] = {  # QuerySet.update() keywords
            "overall_score": result.overall_score,
            "maturity_level": result.level,
            "level_capped": result.capped,
            "score_details": details,
            "version": F("version") + 1,
            "updated_at": now,
        }
        if data["scores_by_dimension"] is not None:  # its dimension scores changed
            fields["scores_by_dimension"] = data["scores_by_dimension"]
        if changed:
            fields["scored_at"] = now
        if rescored:
            fields.update(status=Diagnostic.Status.SCORED, validated_at=None, validated_by=None, published_at=None)
            transitions.append((pk, status))
        Diagnostic.objects.filter(pk=pk).update(**fields)
    return transitions


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
