"""Reads of the support app: plan proposals from the diagnostic, who sees what, hours and progress."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, AreaAlignment, DimensionScore, Question
from assessments.selectors import current_diagnostic
from cohorts.models import Candidate
from programs.models import CertificationStandard
from programs.selectors import scoped

from .models import Assignment, Attendance, DevelopmentPlan, Milestone, PlanItem, Provider, TrainingSession, Visit

# A dimension scoring below this (0-100) is weak: it proposes a plan item even without an area's gap.
WEAK_DIMENSION_SCORE = Decimal("60")
MAX_TARGETS_PER_ITEM = 3


def _next_level_targets(diagnostic, codes: list[str]) -> dict[str, str]:
    """Per dimension code: the next level's descriptors of its lowest-rated questions (what to reach)."""
    answers = {
        a.question_id: a for a in Answer.objects.filter(diagnostic=diagnostic, question__dimension__code__in=codes)
    }
    questions = (
        Question.objects.filter(dimension__framework_id=diagnostic.framework_id, dimension__code__in=codes)
        .select_related("dimension")
        .prefetch_related("descriptors")
        .order_by("dimension__order", "order", "code")
    )
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for question in questions:
        answer = answers.get(question.pk)
        if answer is not None and answer.not_applicable:
            continue
        current = answer.level if answer and answer.level else 0
        if current >= 5:
            continue
        descriptor = next((d for d in question.descriptors.all() if d.level == current + 1), None)
        if descriptor is not None:
            candidates[question.dimension.code].append((current, descriptor.text))
    return {
        code: "\n".join(text for _level, text in sorted(rows, key=lambda r: r[0])[:MAX_TARGETS_PER_ITEM])
        for code, rows in candidates.items()
    }


def plan_proposals(candidate: Candidate) -> list[dict]:
    """The items the SME's current diagnostic proposes: one per gap of a supply area it supplies, one per
    weak dimension without such a gap, one per certification a supplied area requires and the SME lacks."""
    supplier = candidate.supplier
    diagnostic = current_diagnostic(supplier)
    if diagnostic is None:
        return []
    areas = {a.pk: a for a in supplier.supply_areas.all()}
    alignments = (
        AreaAlignment.objects.filter(diagnostic=diagnostic, area_id__in=list(areas))
        .select_related("area")
        .order_by("area__code")
    )
    scores = list(
        DimensionScore.objects.filter(diagnostic=diagnostic).select_related("dimension").order_by("dimension__order")
    )
    names = {s.dimension.code: s.dimension.name for s in scores}
    gaps: list[tuple] = []
    missing: dict[str, object] = {}
    for alignment in alignments:
        for gap in alignment.gaps:
            gaps.append((gap["dimension"], alignment.area, gap.get("required"), gap.get("actual")))
        for code in alignment.missing_certifications:
            missing.setdefault(code, alignment.area)
    weak = [
        s
        for s in scores
        if s.score is not None and s.score < WEAK_DIMENSION_SCORE and s.dimension.code not in {g[0] for g in gaps}
    ]
    targets = _next_level_targets(diagnostic, [*{g[0] for g in gaps}, *(s.dimension.code for s in weak)])
    proposals = []
    for code, area, required, actual in gaps:
        proposals.append(
            {
                "kind": PlanItem.Kind.IMPROVEMENT,
                "title": _("%(dimension)s: reach %(required)s (now %(actual)s) for %(area)s")
                % {"dimension": names.get(code, code), "required": required, "actual": actual, "area": area.name},
                "target": targets.get(code, ""),
                "dimension_code": code,
                "area": area,
                "reason": "gap",
            }
        )
    for score in weak:
        proposals.append(
            {
                "kind": PlanItem.Kind.IMPROVEMENT,
                "title": _("%(dimension)s: strengthen a weak dimension (now %(score)s)")
                % {"dimension": score.dimension.name, "score": score.score},
                "target": targets.get(score.dimension.code, ""),
                "dimension_code": score.dimension.code,
                "area": None,
                "reason": "weak",
            }
        )
    standards = {s.code: s for s in CertificationStandard.objects.filter(code__in=list(missing))}
    for code, area in missing.items():
        if code in standards:
            proposals.append(
                {
                    "kind": PlanItem.Kind.CERTIFICATION,
                    "title": _("Certification: %(standard)s") % {"standard": standards[code].name},
                    "target": "",
                    "dimension_code": "",
                    "standard": standards[code],
                    "area": area,
                    "reason": "certification",
                }
            )
    return proposals


def provider_for_user(user) -> Provider | None:
    """The active provider record of a user (``core.roles.provider_of``)."""
    return Provider.objects.filter(user=user, is_active=True).select_related("program").first()


def plan_for(plan_id: int, *, user) -> DevelopmentPlan | None:
    """The plan, when it belongs to a program ``user`` works on."""
    return (
        scoped(DevelopmentPlan.objects.all(), user)
        .select_related("candidate__supplier", "candidate__cohort__program", "diagnostic")
        .filter(pk=plan_id)
        .first()
    )


def plan_items(plan: DevelopmentPlan) -> QuerySet[PlanItem]:
    return (
        plan.items.select_related("area", "standard", "provider")
        .prefetch_related("milestones", "evidence")
        .order_by("order", "id")
    )


def current_assignments(provider: Provider, today: datetime.date | None = None) -> QuerySet[Assignment]:
    today = today or timezone.localdate()
    return Assignment.objects.filter(provider=provider, starts_on__lte=today).exclude(ends_on__lt=today)


def provider_candidates(provider: Provider, today: datetime.date | None = None) -> QuerySet[Candidate]:
    """The selected SMEs assigned to the provider today."""
    ids = current_assignments(provider, today).values("candidate_id")
    return Candidate.objects.filter(pk__in=ids, status=Candidate.Status.SELECTED).select_related("supplier", "cohort")


def plans_for_provider(provider: Provider) -> QuerySet[DevelopmentPlan]:
    return DevelopmentPlan.objects.filter(candidate__in=provider_candidates(provider).values("pk"))


def visits_for_provider(provider: Provider) -> QuerySet[Visit]:
    """The provider's own visits to SMEs assigned to it today."""
    return Visit.objects.filter(provider=provider, candidate__in=provider_candidates(provider).values("pk"))


def plan_of_supplier(supplier) -> DevelopmentPlan | None:
    return (
        DevelopmentPlan.objects.filter(candidate__supplier=supplier, candidate__status=Candidate.Status.SELECTED)
        .select_related("candidate__cohort")
        .order_by("-candidate__cohort__year", "-id")
        .first()
    )


def hours_by_status(visits: QuerySet[Visit]) -> dict[str, Decimal]:
    """Confirmed hours count; logged (unconfirmed) and disputed hours are shown apart."""
    rows = visits.values("status").annotate(hours=Sum("hours"))
    by = {row["status"]: row["hours"] or Decimal("0") for row in rows}
    return {
        "confirmed": by.get(Visit.Status.CONFIRMED, Decimal("0")),
        "unconfirmed": by.get(Visit.Status.LOGGED, Decimal("0")),
        "disputed": by.get(Visit.Status.DISPUTED, Decimal("0")),
    }


def training_hours(candidate_ids) -> dict[int, Decimal]:
    """Hours of training per selected SME: each participant's present sessions, summed."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = Attendance.objects.filter(
        status=Attendance.Status.PRESENT, participant__enrolment__candidate_id__in=candidate_ids
    ).values_list("participant__enrolment__candidate_id", "session__starts_at", "session__ends_at")
    for candidate_id, starts, ends in rows:
        totals[candidate_id] += Decimal((ends - starts).total_seconds()) / 3600
    return {k: v.quantize(Decimal("0.1")) for k, v in totals.items()}


def certification_progress(*, program=None, cohort=None, standard_code: str | None = None) -> list[dict]:
    """Per certification item: the SME, the standard and the last step reached ("how many SMEs are on the way
    to IATF 16949, and at which step")."""
    items = PlanItem.objects.filter(kind=PlanItem.Kind.CERTIFICATION).exclude(status=PlanItem.Status.DROPPED)
    if program is not None:
        items = items.filter(plan__candidate__cohort__program=program)
    if cohort is not None:
        items = items.filter(plan__candidate__cohort=cohort)
    if standard_code:
        items = items.filter(standard__code=standard_code)
    items = items.select_related("standard", "plan__candidate__supplier").prefetch_related("milestones")
    rows = []
    for item in items:
        reached = [m for m in item.milestones.all() if m.reached_on]
        last = max(reached, key=lambda m: m.order) if reached else None
        rows.append(
            {
                "item": item,
                "supplier": item.plan.candidate.supplier,
                "standard": item.standard,
                "step": last.step if last else None,
            }
        )
    return rows


def certification_steps(*, cohort) -> dict[str, dict[str, int]]:
    """Standard name -> step -> how many SMEs reached it as their last step (``None`` key: not started)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in certification_progress(cohort=cohort):
        counts[row["standard"].name][row["step"] or ""] += 1
    return {k: dict(v) for k, v in counts.items()}


def attendance_rates(*, cohort) -> list[dict]:
    """Per course: marks present over marks recorded."""
    sessions = TrainingSession.objects.filter(course__cohort=cohort)
    rows = (
        Attendance.objects.filter(session__in=sessions)
        .values("session__course_id", "session__course__title")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
        .order_by("session__course__title")
    )
    return [
        {
            "course": row["session__course__title"],
            "present": row["present"],
            "total": row["total"],
            "rate": (Decimal(100) * row["present"] / row["total"]).quantize(Decimal("0.1")) if row["total"] else None,
        }
        for row in rows
    ]


def milestone_steps() -> list[tuple[str, object]]:
    return list(Milestone.Step.choices)


def account_plan_context(supplier) -> dict:
    """The SME account page's plan section: the plan and how many of its items are open."""
    plan = plan_of_supplier(supplier)
    open_items = plan.items.filter(status__in=PlanItem.OPEN_STATUSES).count() if plan else 0
    return {"plan": plan, "open_items": open_items}
