"""Impact: what changed for the selected SMEs (follow-up vs baseline) and the support delivered."""

from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from assessments.models import Diagnostic, DimensionScore
from cohorts.models import Candidate
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


def maturity_change_by_code(scope: ReportScope) -> dict:
    """``maturity_change`` with its dimensions by code, unnamed and unordered (a report section: the names and
    order come from the labels section, ``named_maturity_change``)."""
    follow_ups = follow_up_ids(scope)
    after_q = Q(id__in=follow_ups)
    before_q = Q(id__in=Diagnostic.objects.filter(after_q).values("baseline_id"))  # the baselines they name
    both = Diagnostic.objects.filter(after_q | before_q).aggregate(
        smes=Count("id", filter=after_q),
        overall_after=Avg("overall_score", filter=after_q),
        level_after=Avg("maturity_level", filter=after_q),
        overall_before=Avg("overall_score", filter=before_q),
        level_before=Avg("maturity_level", filter=before_q),
    )
    after_dims, before_dims = {}, {}
    for r in (
        DimensionScore.objects.filter(
            Q(diagnostic_id__in=follow_ups) | Q(diagnostic_id__in=Diagnostic.objects.filter(before_q).values("id")),
            score__isnull=False,
        )
        .values("dimension__code")
        .annotate(
            after=Avg("score", filter=Q(diagnostic_id__in=follow_ups)),
            before=Avg("score", filter=Q(diagnostic_id__in=Diagnostic.objects.filter(before_q).values("id"))),
        )
        .order_by()
    ):  # one row per dimension code with a score before or after
        if r["after"] is not None:
            after_dims[r["dimension__code"]] = r["after"]
        if r["before"] is not None:
            before_dims[r["dimension__code"]] = r["before"]
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


def hours_delivered(scope: ReportScope) -> dict:
    """Confirmed hours of support delivered to the selected SMEs, by kind: consulting and mentoring
    visits the SME confirmed, and training sessions attended (present) by its participants."""
    selected = scope.selected_candidates().values("id")
    confirmed = Visit.objects.filter(candidate__in=selected, status=Visit.Status.CONFIRMED)
    attended = Attendance.objects.filter(
        participant__enrolment__candidate__in=selected, status=Attendance.Status.PRESENT
    )
    kinds = dict(Visit.Kind.choices)
    by_kind = [
        {
            "code": r["kind"],
            "name": kinds.get(r["kind"], r["kind"]),
            "count": r["count"],
            "hours": r["hours"],
            "smes": r["smes"],
        }
        for r in confirmed.values("kind")
        .annotate(count=Count("id"), hours=Sum("hours"), smes=Count("candidate", distinct=True))
        .order_by("kind")
    ]
    training = attended.aggregate(
        count=Count("id"),
        length=Sum(F("session__ends_at") - F("session__starts_at")),
        smes=Count("participant__enrolment__candidate", distinct=True),
    )
    if training["count"]:
        seconds = Decimal(training["length"].total_seconds())
        by_kind.append(
            {
                "code": "training",
                "name": _("Training"),
                "count": training["count"],
                "hours": (seconds / 3600).quantize(Decimal("0.1")),
                "smes": training["smes"],
            }
        )
    smes = (
        Candidate.objects.filter(id__in=selected)
        .filter(
            Exists(confirmed.filter(candidate=OuterRef("pk")))
            | Exists(attended.filter(participant__enrolment__candidate=OuterRef("pk")))
        )
        .count()
    )
    return {
        "by_kind": by_kind,
        "total_hours": sum((r["hours"] for r in by_kind), Decimal("0")) if by_kind else None,
        "smes": smes,
    }
