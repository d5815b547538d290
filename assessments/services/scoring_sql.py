"""Set-based batch scoring on PostgreSQL: the same stored rows as the Python path, in a few statements.

``diagnostics_score(method="sql")`` (the default on PostgreSQL) scores a chunk of diagnostics with:

1. one ``SELECT ... FOR UPDATE`` of the diagnostics (id, status, framework, supplier);
2. one statement over questions x answers (hash join, ``GROUP BY`` diagnostic and dimension) that
   returns each dimension's sums (weighted sum and weight sum of its rated questions, rated / N/A /
   total counts) and its critical questions rated 1, upserts the ``DimensionScore`` rows (rows
   whose values do not change are not rewritten) and writes each diagnostic's dimensions
   explanation (every question's score and points) as JSON text to a temporary table;
3. a light Python pass over the aggregated rows, not over answers: ``assessments.scoring.
   score_from_sums`` (overall score, band, gating, completeness; the reference ``Decimal``
   arithmetic, so the results are exactly those of ``score_diagnostic``), the explanation's top
   level, and the alignments with the supply areas each SME wants (``assessments.scoring.alignment``),
   the per-diagnostic results ``COPY``-ed to a second temporary table;
4. one ``UPDATE ... FROM`` the temporary tables that parses each explanation once, decides in SQL
   whether the results changed (``scored_at``, status back to *scored*, validation cleared, the
   stored explanation kept when equal) and returns the transitions; alignments replaced (a delete
   and a ``COPY``) and the transitions audited in one ``COPY``.

Numbers computed in SQL are PostgreSQL ``numeric`` (exact sums; one division rounded half up to
0.01 with ``round``): a dimension score or a question's points is ``weighted sum / weight sum``
with weights of two decimals, so the exact quotient is never within 1e-9 of a half cent unless it
is one, and both ``numeric`` (>= 16 significant digits) and ``Decimal`` (28) round it the same.
"""
import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from core.bulk import copy_insert, copy_insert_rows
from core.models import AuditEvent

from .. import scoring
from ..models import AreaAlignment, Diagnostic, Framework
from .frameworks import RESCORABLE
from .results import ALIGNMENT_FIELDS, _FrameworkCache, alignment_context, alignment_rows, transition_events

AGGREGATE_SQL = """
WITH qs AS MATERIALIZED (  -- each question's constant JSON prefix, built once per question, not per answer
    SELECT q.id, q.dimension_id, q.code, q.weight, q."order", q.is_critical,
           '{"code": ' || to_json(q.code)::text || ', "weight": "' || q.weight::text || '", "level": ' AS prefix
    FROM assessments_question q
    WHERE q.dimension_id IN (SELECT dim.id FROM assessments_dimension dim WHERE dim.framework_id IN (
        SELECT framework_id FROM assessments_diagnostic WHERE id = ANY(%(ids)s)))
),
qa AS (
    SELECT d.id AS diagnostic_id, dim.id AS dimension_id, q.id AS question_id, q.code, q.weight, q."order" AS q_order,
           q.is_critical, q.prefix, a.level, COALESCE(a.not_applicable, false) AS na,
           SUM(q.weight) FILTER (WHERE a.level IS NOT NULL AND NOT a.not_applicable)
               OVER (PARTITION BY d.id, dim.id) AS ws
    FROM assessments_diagnostic d
    JOIN assessments_dimension dim ON dim.framework_id = d.framework_id
    LEFT JOIN qs q ON q.dimension_id = dim.id  -- a dimension without questions still has a row
    LEFT JOIN (SELECT * FROM assessments_answer WHERE diagnostic_id = ANY(%(ids)s)) a
        ON a.diagnostic_id = d.id AND a.question_id = q.id
    WHERE d.id = ANY(%(ids)s)
),
dims AS (
    SELECT diagnostic_id, dimension_id,
           COALESCE(SUM(weight * (25 * (level - 1))) FILTER (WHERE NOT na), 0) AS n,
           COALESCE(MAX(ws), 0) AS ws,
           COUNT(level) FILTER (WHERE NOT na) AS rated,
           COUNT(*) FILTER (WHERE na) AS na_count,
           COUNT(question_id) AS total,
           array_agg(question_id) FILTER (WHERE is_critical AND level = 1 AND NOT na) AS hits,
           string_agg(prefix || CASE
               WHEN level IS NULL AND na THEN 'null, "na": true, "score": null, "points": null}'
               WHEN level IS NULL THEN 'null, "na": false, "score": null, "points": null}'
               ELSE level || ', "na": ' || na::text || ', "score": "' || 25 * (level - 1) || '", "points": "'
                   || round(weight * (25 * (level - 1)) / ws, 2) || '"}'
               END, ', ' ORDER BY q_order, code) FILTER (WHERE question_id IS NOT NULL) AS questions
    FROM qa
    GROUP BY diagnostic_id, dimension_id
),
scored AS (
    SELECT dims.*, CASE WHEN rated > 0 THEN round(n / ws, 2) END AS score,
           rated >= 1 AND 3 * (rated + na_count) >= 2 * total AS complete
    FROM dims
),
upsert AS (
    INSERT INTO assessments_dimensionscore AS s
        (diagnostic_id, dimension_id, score, rated_count, na_count, total_count, is_complete)
    SELECT diagnostic_id, dimension_id, score, rated, na_count, total, complete FROM scored
    ON CONFLICT (diagnostic_id, dimension_id) DO UPDATE
        SET score = EXCLUDED.score, rated_count = EXCLUDED.rated_count, na_count = EXCLUDED.na_count,
            total_count = EXCLUDED.total_count, is_complete = EXCLUDED.is_complete
        WHERE (s.score, s.rated_count, s.na_count, s.total_count, s.is_complete)
            IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rated_count, EXCLUDED.na_count, EXCLUDED.total_count,
                              EXCLUDED.is_complete)
),
explained AS (
    INSERT INTO _score_dimensions (diagnostic_id, dimensions)
    SELECT sc.diagnostic_id, string_agg(
               to_json(dim.code)::text || ': {"score": ' || COALESCE('"' || sc.score::text || '"', 'null')
               || ', "weight": "' || dim.weight::text || '", "rated": ' || sc.rated || ', "na": ' || sc.na_count
               || ', "total": ' || sc.total || ', "complete": ' || sc.complete::text
               || ', "questions": [' || COALESCE(sc.questions, '') || ']}', ', ')
    FROM scored sc JOIN assessments_dimension dim ON dim.id = sc.dimension_id
    GROUP BY sc.diagnostic_id
)
SELECT diagnostic_id, dimension_id, n, ws, rated, na_count, total, hits FROM scored
"""

# For these statements only (reset after them): JIT compiling costs more than they run; a merge join
# of questions x answers on the diagnostic alone filters 45 x 45 pairs per diagnostic, a hash join
# on (diagnostic, question) does not; the sort by (diagnostic, dimension) fits in memory.
# Explanations (~5 kB of JSON per diagnostic) are compressed with lz4 rather than pglz: several times
# faster to write, and read back transparently.
PLANNER_SQL = ("SET LOCAL jit = off; SET LOCAL enable_mergejoin = off; SET LOCAL work_mem = '64MB'; "
               "SET LOCAL default_toast_compression = 'lz4'")
PLANNER_RESET_SQL = "RESET jit; RESET enable_mergejoin; RESET work_mem; RESET default_toast_compression"

TEMP_TABLES_SQL = """
CREATE TEMP TABLE IF NOT EXISTS _score_dimensions (diagnostic_id bigint, dimensions text)
    ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS _score_results (id bigint, overall numeric, level int, capped bool, top text)
    ON COMMIT DELETE ROWS;
TRUNCATE _score_dimensions, _score_results
"""

UPDATE_SQL = """
WITH r AS (
    SELECT t.id, t.overall, t.level, t.capped, t.details, t.status AS old_status, t.details_changed,
           t.details_changed OR t.results_changed AS changed,
           t.status = 'submitted' OR (t.status = 'validated' AND (t.details_changed OR t.results_changed))
               AS rescored
    FROM (
        SELECT t.*, d.status, t.details IS DISTINCT FROM d.score_details AS details_changed,
               d.scored_at IS NULL OR d.overall_score IS DISTINCT FROM t.overall
                   OR d.maturity_level IS DISTINCT FROM t.level AS results_changed
        FROM (
            SELECT t.id, t.overall, t.level, t.capped,
                   (t.top || ', "dimensions": {' || COALESCE(x.dimensions, '') || '}}')::jsonb AS details
            FROM _score_results t LEFT JOIN _score_dimensions x ON x.diagnostic_id = t.id
        ) t JOIN assessments_diagnostic d ON d.id = t.id
    ) t
)
UPDATE assessments_diagnostic d
SET overall_score = r.overall, maturity_level = r.level, level_capped = r.capped,
    score_details = CASE WHEN r.details_changed THEN r.details ELSE d.score_details END,
    scored_at = CASE WHEN r.changed THEN %(now)s ELSE d.scored_at END,
    version = d.version + 1, updated_at = %(now)s,
    status = CASE WHEN r.rescored THEN 'scored' ELSE d.status END,
    validated_at = CASE WHEN r.rescored THEN NULL ELSE d.validated_at END,
    validated_by_id = CASE WHEN r.rescored THEN NULL ELSE d.validated_by_id END,
    published_at = CASE WHEN r.rescored THEN NULL ELSE d.published_at END
FROM r
WHERE d.id = r.id
RETURNING d.id, r.old_status, r.rescored
"""


def _str(value) -> str | None:
    return None if value is None else str(value)


def _top_level(result: scoring.DiagnosticResult) -> str:
    """The explanation's top level as JSON text without its closing brace (SQL adds the dimensions)."""
    return json.dumps({
        "complete": result.complete,
        "incomplete_dimensions": list(result.incomplete_dimensions),
        "overall_score": _str(result.overall_score),
        "band_level": result.band_level,
        "level": result.level,
        "capped": result.capped,
        "cap_reasons": list(result.cap_reasons),
    })[:-1]


@transaction.atomic
def diagnostics_score_sql(*, diagnostic_ids: Iterable[int], actor=None) -> list[int]:
    """``assessments.services.diagnostics_score`` on PostgreSQL, set-based (see the module)."""
    locked = list(
        Diagnostic.objects.select_for_update(of=("self",)).filter(pk__in=list(diagnostic_ids), status__in=RESCORABLE)
        .order_by("pk").values_list("pk", "status", "framework_id", "supplier_id")
    )
    if not locked:
        return []
    ids = [row[0] for row in locked]
    specs, frameworks = _FrameworkCache(), {}
    for framework in Framework.objects.filter(pk__in={row[2] for row in locked}):
        dimensions, questions, bands, dimension_ids = specs.get_specs(framework)
        frameworks[framework.pk] = (
            dimensions, bands, {pk: code for code, pk in dimension_ids.items()},
            {q.id: (q, i) for i, q in enumerate(questions) if q.is_critical},
        )
    sums, hits = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(f"{PLANNER_SQL}; {TEMP_TABLES_SQL}")
        cursor.execute(AGGREGATE_SQL, {"ids": ids})
        rows = cursor.fetchall()
    framework_of = {row[0]: row[2] for row in locked}
    for diagnostic_id, dimension_id, n, ws, rated, na, total, critical in rows:
        code = frameworks[framework_of[diagnostic_id]][2][dimension_id]
        sums.setdefault(diagnostic_id, {})[code] = scoring.DimensionSums(n, ws, rated, na, total)
        if critical:
            hits.setdefault(diagnostic_id, []).extend(critical)

    context = alignment_context({row[3] for row in locked})
    results, alignments = [], []
    for diagnostic_id, _status, framework_id, supplier_id in locked:
        dimensions, bands, _codes, critical = frameworks[framework_id]
        hit = sorted((critical[q] for q in hits.get(diagnostic_id, ())), key=lambda spec_index: spec_index[1])
        result = scoring.score_from_sums(dimensions, sums.get(diagnostic_id, {}), [q for q, _ in hit], bands)
        results.append((diagnostic_id, result.overall_score, result.level, result.capped, _top_level(result)))
        alignments += alignment_rows(diagnostic_id, supplier_id, {d.code: d.score for d in result.dimensions},
                                     context)

    with connection.cursor() as cursor:
        with cursor.cursor.copy("COPY _score_results (id, overall, level, capped, top) FROM STDIN") as copy:
            for row in results:
                copy.write_row(row)
        cursor.execute(UPDATE_SQL, {"now": timezone.now()})
        transitions = [(pk, old) for pk, old, rescored in cursor.fetchall() if rescored]
        cursor.execute(PLANNER_RESET_SQL)
    AreaAlignment.objects.filter(diagnostic_id__in=ids).delete()
    copy_insert_rows(AreaAlignment, ALIGNMENT_FIELDS,  # JSON columns as JSON text: no model instances
                     [(*row[:4], json.dumps(row[4]), json.dumps(row[5])) for row in alignments])
    copy_insert(AuditEvent, transition_events(sorted(transitions), actor))
    return ids
