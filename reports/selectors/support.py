"""The support section of a report: plan progress by dimension, confirmed hours by kind and by provider,
attendance per course and certification steps reached, for the selected SMEs of the scope."""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from support.models import Attendance, Milestone, PlanItem, Visit

from .maturity import dimension_labels
from .scope import ReportScope
from .together import compiled, read_together


def _sum(values: list):
    """The sum of grouped SQL sums as SQL's SUM gives it over their rows: ``None`` when every one is ``None``."""
    present = [v for v in values if v is not None]
    return sum(present[1:], present[0]) if present else None


def support_progress(scope: ReportScope) -> dict:
    figures = support_by_code(scope)
    return named_support(figures, dimension_labels({r["code"] for r in figures["by_dimension"] if r["code"]}))


def named_support(figures: dict, labels: dict[str, dict]) -> dict:
    """``support_by_code`` with each dimension's name (``labels``: ``dimension_labels`` of at least its codes)."""
    by_dimension = [
        {
            "code": r["code"],
            "name": labels.get(r["code"], {}).get("name", r["code"]) if r["code"] else "",
            **{k: r[k] for k in ("done", "due", "overdue")},
        }
        for r in figures["by_dimension"]
    ]
    return {**figures, "by_dimension": by_dimension}


def support_by_code(scope: ReportScope) -> dict:
    """``support_progress`` with its dimensions by code, unnamed (a report section: the names come from the labels
    section, ``named_support``)."""
    selected = scope.selected_candidates().values("id")
    today = timezone.localdate()
    items = PlanItem.objects.filter(plan__candidate__in=selected).exclude(status=PlanItem.Status.DROPPED)
    open_ = Q(status__in=PlanItem.OPEN_STATUSES)
    queries = {
        "items": compiled(
            items.values(dimension=F("dimension_code"))
            .annotate(
                done=Count("id", filter=Q(status=PlanItem.Status.DONE)),
                due=Count("id", filter=open_ & (Q(due_date__gte=today) | Q(due_date__isnull=True))),
                overdue=Count("id", filter=open_ & Q(due_date__lt=today)),
            )
            .order_by("dimension_code")
        ),
        # One grouped pass over the visits gives the confirmed hours by kind and by provider and the hours apart.
        "visits": compiled(
            Visit.objects.filter(candidate__in=selected)
            .values("kind", "status", provider_name=F("provider__name"))
            .annotate(hours=Sum("hours"))
            .order_by()
        ),
        "attendance": compiled(
            Attendance.objects.filter(participant__enrolment__candidate__in=selected)
            .values(course_title=F("session__course__title"))
            .annotate(total=Count("id"), present=Count("id", filter=Q(status=Attendance.Status.PRESENT)))
            .order_by("session__course__title")
        ),
    }
    if scope.cohort is not None:
        queries["certifications"] = compiled(certification_rows(scope))
    rows = read_together(queries)  # one statement
    by_dimension = [
        {"code": r["dimension"], "done": r["done"], "due": r["due"], "overdue": r["overdue"]} for r in rows["items"]
    ]
    kinds = dict(Visit.Kind.choices)
    by_kind: dict[str, list] = {}
    by_provider: dict[str | None, list] = {}
    by_status: dict[str, list] = {}
    for r in rows["visits"]:
        by_status.setdefault(r["status"], []).append(r["hours"])
        if r["status"] == Visit.Status.CONFIRMED:
            by_kind.setdefault(r["kind"], []).append(r["hours"])
            by_provider.setdefault(r["provider_name"], []).append(r["hours"])
    hours_by_kind = [{"name": kinds.get(kind, kind), "hours": _sum(by_kind[kind])} for kind in sorted(by_kind)]
    hours_by_provider = sorted(
        ({"name": name, "hours": _sum(hours)} for name, hours in by_provider.items()),
        # as ORDER BY hours DESC, name: no hours (NULL) first, no name (NULL) last
        key=lambda r: (r["hours"] is not None, -(r["hours"] or 0), r["name"] is None, r["name"] or ""),
    )
    apart = {
        "unconfirmed": _sum(by_status.get(Visit.Status.LOGGED, [])),
        "disputed": _sum(by_status.get(Visit.Status.DISPUTED, [])),
    }
    attendance = [
        {
            "course": r["course_title"],
            "rate": round(100 * r["present"] / r["total"], 1) if r["total"] else None,
            "total": r["total"],
        }
        for r in rows["attendance"]
    ]
    steps = dict(Milestone.Step.choices)
    certifications = []
    if scope.cohort is not None:
        for standard, counts in sorted(steps_of(rows["certifications"]).items()):
            certifications.append(
                {
                    "standard": standard,
                    "steps": [
                        {"name": steps.get(step, "") if step else "", "count": count}
                        for step, count in sorted(
                            counts.items(),
                            key=lambda kv: Milestone.ORDER.index(kv[0]) if kv[0] in Milestone.ORDER else -1,
                        )
                    ],
                }
            )
    return {
        "by_dimension": by_dimension,
        "hours_by_kind": hours_by_kind,
        "hours_by_provider": hours_by_provider,
        "unconfirmed_hours": apart["unconfirmed"] or 0,
        "disputed_hours": apart["disputed"] or 0,
        "attendance": attendance,
        "certifications": certifications,
    }


def certification_rows(scope: ReportScope):
    """The certification items of the cohort's plans (dropped ones left out) counted by standard and last step
    reached (``None``: none)."""
    last = Milestone.objects.filter(item=OuterRef("pk"), reached_on__isnull=False).order_by("-order", "pk")
    return (
        PlanItem.objects.filter(kind=PlanItem.Kind.CERTIFICATION, plan__candidate__cohort=scope.cohort)
        .exclude(status=PlanItem.Status.DROPPED)
        .annotate(last=Subquery(last.values("step")[:1]))
        .values("last", standard_name=F("standard__name"))
        .annotate(items=Count("id"))
        .order_by()
    )


def steps_of(rows) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        steps = counts.setdefault(row["standard_name"], {})
        steps[row["last"] or ""] = steps.get(row["last"] or "", 0) + row["items"]
    return counts


def certification_steps(scope: ReportScope) -> dict[str, dict[str, int]]:
    """Standard name -> last step reached -> certification items of the cohort's plans (``""``: none reached), as
    ``support.selectors.certification_steps`` counts them, in one grouped query (nothing of the SMEs is read)."""
    return steps_of(certification_rows(scope))
