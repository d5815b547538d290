"""Impact: what changed for the selected SMEs (follow-up vs baseline) and the support delivered."""

from django.db.models import Avg, Count, Sum

from assessments.models import Diagnostic, DimensionScore
from cohorts.models import Intervention

from .maturity import _round, dimension_labels
from .scope import ReportScope, latest_diagnostic_ids


def follow_up_ids(scope: ReportScope):
    """Latest scored follow-up diagnostic of each selected SME in scope."""
    return latest_diagnostic_ids(follow_up=True, supplier_ids=scope.selected_candidates().values("supplier_id"))


def maturity_change(scope: ReportScope) -> dict:
    """Average overall score and per-dimension score before (baseline) and after (follow-up).

    Only selected SMEs with a scored follow-up count; "before" is the baseline the follow-up names.
    """
    follow_ups = follow_up_ids(scope)
    after = Diagnostic.objects.filter(id__in=follow_ups).aggregate(
        smes=Count("id"), overall=Avg("overall_score"), level=Avg("maturity_level")
    )
    before = Diagnostic.objects.filter(follow_ups__in=follow_ups).aggregate(
        overall=Avg("overall_score"), level=Avg("maturity_level")
    )
    after_dims = {
        r["dimension__code"]: r["average"]
        for r in DimensionScore.objects.filter(diagnostic_id__in=follow_ups, score__isnull=False)
        .values("dimension__code")
        .annotate(average=Avg("score"))
    }
    before_dims = {
        r["dimension__code"]: r["average"]
        for r in DimensionScore.objects.filter(diagnostic__follow_ups__in=follow_ups, score__isnull=False)
        .values("dimension__code")
        .annotate(average=Avg("score"))
    }
    codes = set(after_dims) | set(before_dims)
    labels = dimension_labels(codes)
    dimensions = []
    for code in sorted(codes, key=lambda c: (labels[c]["order"], c)):
        b, a = _round(before_dims.get(code)), _round(after_dims.get(code))
        dimensions.append(
            {
                "code": code,
                "name": labels[code]["name"],
                "before": b,
                "after": a,
                "change": None if a is None or b is None else a - b,
            }
        )
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


def interventions_delivered(scope: ReportScope) -> dict:
    """Completed interventions of the selected SMEs: hours by kind and financing referred by institution."""
    delivered = Intervention.objects.filter(
        candidate__in=scope.selected_candidates().values("id"), status=Intervention.Status.COMPLETED
    )
    kinds = dict(Intervention.Kind.choices)
    institutions = dict(Intervention.Institution.choices)
    by_kind = [
        {
            "code": r["kind"],
            "name": kinds.get(r["kind"], r["kind"]),
            "count": r["count"],
            "hours": r["hours"],
            "smes": r["smes"],
        }
        for r in delivered.values("kind")
        .annotate(count=Count("id"), hours=Sum("hours"), smes=Count("candidate", distinct=True))
        .order_by("kind")
    ]
    financing = [
        {
            "code": r["institution"],
            "name": institutions.get(r["institution"], r["institution"]),
            "count": r["count"],
            "amount_mxn": r["amount"],
        }
        for r in delivered.filter(kind=Intervention.Kind.FINANCING)
        .values("institution")
        .annotate(count=Count("id"), amount=Sum("amount_mxn"))
        .order_by("institution")
    ]
    totals = delivered.aggregate(hours=Sum("hours"), smes=Count("candidate", distinct=True))
    return {
        "by_kind": by_kind,
        "financing": financing,
        "total_hours": totals["hours"],
        "smes": totals["smes"],
        "total_financing_mxn": sum((f["amount_mxn"] or 0) for f in financing),
    }
