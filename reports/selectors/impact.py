"""Impact: what changed for the selected SMEs (follow-up vs baseline) and the support delivered."""

from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from support.models import Attendance, Visit

from .maturity import _round, dimension_labels
from .scope import ReportScope, latest_diagnostic_ids


def follow_up_ids(scope: ReportScope):
    """Latest scored follow-up diagnostic of each selected SME in scope."""
    return latest_diagnostic_ids(follow_up=True, supplier_ids=scope.selected_candidates().values("supplier_id"))


def maturity_change(scope: ReportScope) -> dict:
    """Average overall score and per-dimension score before (baseline) and after (follow-up).

    Only selected SMEs with a scored follow-up count; "before" is the baseline the follow-up names.
    """
    change = maturity_change_by_code(scope)
    return named_maturity_change(change, dimension_labels({row["code"] for row in change["dimensions"]}))


# The follow-ups (f), the baselines they name (b): their overall scores and levels, then their dimension scores by
# code, in one statement (the levels' averages in double precision, as Django's Avg of an integer column reads them).
CHANGE_SQL = """
WITH f AS MATERIALIZED ({follow_ups}),
b AS MATERIALIZED (
    SELECT d.baseline_id AS id FROM "assessments_diagnostic" d WHERE d.id IN (SELECT id FROM f)
)
SELECT NULL, COUNT(*) FILTER (WHERE d.id IN (SELECT id FROM f)),
       AVG(d.overall_score) FILTER (WHERE d.id IN (SELECT id FROM f)),
       (AVG(d.maturity_level) FILTER (WHERE d.id IN (SELECT id FROM f)))::double precision,
       AVG(d.overall_score) FILTER (WHERE d.id IN (SELECT id FROM b)),
       (AVG(d.maturity_level) FILTER (WHERE d.id IN (SELECT id FROM b)))::double precision
FROM "assessments_diagnostic" d
WHERE d.id IN (SELECT id FROM f) OR d.id IN (SELECT id FROM b)
UNION ALL
SELECT m.code, NULL, AVG(s.score) FILTER (WHERE s.diagnostic_id IN (SELECT id FROM f)), NULL,
       AVG(s.score) FILTER (WHERE s.diagnostic_id IN (SELECT id FROM b)), NULL
FROM "assessments_dimensionscore" s JOIN "assessments_dimension" m ON m.id = s.dimension_id
WHERE (s.diagnostic_id IN (SELECT id FROM f) OR s.diagnostic_id IN (SELECT id FROM b)) AND s.score IS NOT NULL
GROUP BY m.code
"""


def maturity_change_by_code(scope: ReportScope) -> dict:
    """``maturity_change`` with its dimensions by code, unnamed and unordered (a report section: the names and
    order come from the labels section, ``named_maturity_change``)."""
    follow_ups, params = follow_up_ids(scope).query.sql_with_params()
    after_dims, before_dims = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(CHANGE_SQL.format(follow_ups=follow_ups), params)
        rows = cursor.fetchall()
    both: dict = {}
    for code, smes, overall_after, level_after, overall_before, level_before in rows:
        if code is None:  # the diagnostics' row
            both = {
                "smes": smes,
                "overall_after": overall_after,
                "level_after": level_after,
                "overall_before": overall_before,
                "level_before": level_before,
            }
            continue
        if overall_after is not None:  # one row per dimension code with a score before or after
            after_dims[code] = overall_after
        if overall_before is not None:
            before_dims[code] = overall_before
    after = {"smes": both["smes"], "overall": both["overall_after"], "level": both["level_after"]}
    before = {"overall": both["overall_before"], "level": both["level_before"]}
    dimensions = []
    for code in sorted(set(after_dims) | set(before_dims)):
        b, a = _round(before_dims.get(code)), _round(after_dims.get(code))
        dimensions.append({"code": code, "before": b, "after": a, "change": None if a is None or b is None else a - b})
    overall_before, overall_after = _round(before["overall"]), _round(after["overall"])
    return {
        "smes": after["smes"],
        "overall_before": overall_before,
        "overall_after": overall_after,
        "overall_change": None if overall_before is None or overall_after is None else overall_after - overall_before,
        "level_before": _round(before["level"]),
        "level_after": _round(after["level"]),
        "dimensions": dimensions,
    }


def named_maturity_change(change: dict, labels: dict[str, dict]) -> dict:
    """``maturity_change_by_code`` with each dimension's name, in the dimensions' order (``labels``:
    ``dimension_labels`` of at least its codes)."""
    dimensions = [
        {"code": row["code"], "name": labels[row["code"]]["name"], **{k: row[k] for k in ("before", "after", "change")}}
        for row in sorted(change["dimensions"], key=lambda r: (labels[r["code"]]["order"], r["code"]))
    ]
    return {**change, "dimensions": dimensions}


# The confirmed visits by kind, the training attended, and the SMEs (candidacies) behind either, in one statement.
HOURS_SQL = """
WITH v (kind, candidate, hours) AS ({visits}), t (candidate, length) AS ({training})
SELECT 'visit', kind, COUNT(*), SUM(hours), NULL::interval, COUNT(DISTINCT candidate) FROM v GROUP BY kind
UNION ALL
SELECT 'training', NULL, COUNT(*), NULL, SUM(length), COUNT(DISTINCT candidate) FROM t
UNION ALL
SELECT 'all', NULL, NULL, NULL, NULL, COUNT(*) FROM (SELECT candidate FROM v UNION SELECT candidate FROM t) c
"""


def hours_delivered(scope: ReportScope) -> dict:
    """Confirmed hours of support delivered to the selected SMEs, by kind: consulting and mentoring
    visits the SME confirmed, and training sessions attended (present) by its participants (one query)."""
    selected = scope.selected_candidates().values("id")
    confirmed = Visit.objects.filter(candidate__in=selected, status=Visit.Status.CONFIRMED)
    attended = Attendance.objects.filter(
        participant__enrolment__candidate__in=selected, status=Attendance.Status.PRESENT
    )
    visits, visit_params = confirmed.values_list("kind", "candidate_id", "hours").order_by().query.sql_with_params()
    training, training_params = (
        attended.annotate(length=F("session__ends_at") - F("session__starts_at"))
        .values_list("participant__enrolment__candidate_id", "length")
        .order_by()
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(HOURS_SQL.format(visits=visits, training=training), [*visit_params, *training_params])
        rows = cursor.fetchall()
    kinds = dict(Visit.Kind.choices)
    by_kind = [
        {"code": kind, "name": kinds.get(kind, kind), "count": count, "hours": hours, "smes": smes}
        for source, kind, count, hours, _length, smes in sorted(rows, key=lambda row: row[1] or "")
        if source == "visit"
    ]
    smes = 0
    for source, _kind, count, _hours, length, candidates in rows:
        if source == "training" and count:
            seconds = Decimal(length.total_seconds())
            by_kind.append(
                {
                    "code": "training",
                    "name": _("Training"),
                    "count": count,
                    "hours": (seconds / 3600).quantize(Decimal("0.1")),
                    "smes": candidates,
                }
            )
        elif source == "all":
            smes = candidates
    return {
        "by_kind": by_kind,
        "total_hours": sum((r["hours"] for r in by_kind), Decimal("0")) if by_kind else None,
        "smes": smes,
    }
