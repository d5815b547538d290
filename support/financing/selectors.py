"""Reads of the financing cases: who sees which case, the pipeline's funnel, cases stuck in a step."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cohorts.models import Candidate

from .models import FinancingCase

Status = FinancingCase.Status
STUCK_AFTER_DAYS = 30


def cases_for_staff() -> QuerySet[FinancingCase]:
    return FinancingCase.objects.select_related("candidate__supplier", "candidate__cohort", "anchor")


def cases_of_supplier(supplier) -> QuerySet[FinancingCase]:
    """The SME's own cases, whatever became of its candidacy."""
    return FinancingCase.objects.filter(candidate__supplier=supplier).select_related("candidate__cohort", "anchor")


def case_detail(queryset: QuerySet[FinancingCase], pk: int) -> FinancingCase | None:
    return queryset.prefetch_related("steps", "disbursements", "documents").filter(pk=pk).first()


def selected_candidates_of(supplier) -> QuerySet[Candidate]:
    """The SME's selected candidacies, newest cohort first: a case is opened on the newest."""
    return (
        Candidate.objects.filter(supplier=supplier, status=Candidate.Status.SELECTED)
        .select_related("cohort__program")
        .order_by("-cohort__year", "-cohort_id")
    )


def funnel(cases: QuerySet[FinancingCase]) -> list[dict]:
    """Counts and amounts (MXN) at each step, in one query. A case counts at every step it has passed:

    - referred: every case; the amount requested;
    - applied: cases with an application (applied, approved, disbursed, or rejected after applying);
      the amount requested;
    - approved: approved or disbursed; the amount approved;
    - disbursed: at least one disbursement; the amount disbursed.
    Rejected cases are counted apart, with the amount they requested."""
    applied = Q(applied_on__isnull=False)
    approved = Q(status__in=[Status.APPROVED, Status.DISBURSED])
    disbursed = Q(status=Status.DISBURSED)
    rejected = Q(status=Status.REJECTED)
    row = cases.aggregate(
        referred=Count("id"),
        referred_amount=Sum("amount_requested"),
        applied=Count("id", filter=applied),
        applied_amount=Sum("amount_requested", filter=applied),
        approved=Count("id", filter=approved),
        approved_amount=Sum("amount_approved", filter=approved),
        disbursed=Count("id", filter=disbursed),
        disbursed_amount=Sum("amount_disbursed", filter=disbursed),
        rejected=Count("id", filter=rejected),
        rejected_amount=Sum("amount_requested", filter=rejected),
    )
    labels = {
        "referred": Status.REFERRAL.label,
        "applied": Status.APPLICATION.label,
        "approved": Status.APPROVED.label,
        "disbursed": Status.DISBURSED.label,
        "rejected": Status.REJECTED.label,
    }
    referred = row["referred"]
    return [
        {
            "step": step,
            "name": str(label),
            "count": row[step],
            "amount_mxn": row[f"{step}_amount"] or Decimal("0"),
            "share": (Decimal(100) * row[step] / referred).quantize(Decimal("0.1")) if referred else None,
        }
        for step, label in labels.items()
    ]


def stuck_cases(*, today: datetime.date | None = None) -> QuerySet[FinancingCase]:
    """Open cases that have not moved for 30 days or more."""
    today = today or timezone.localdate()
    return FinancingCase.objects.filter(
        status__in=FinancingCase.OPEN_STATUSES, step_since__lte=today - datetime.timedelta(days=STUCK_AFTER_DAYS)
    )


def banks(cases: QuerySet[FinancingCase]) -> list[str]:
    """The intermediary banks named on ``cases`` (a staff member's: those of their programs), for the
    pipeline's filter."""
    return list(cases.exclude(bank="").order_by("bank").values_list("bank", flat=True).distinct())


def account_financing_context(supplier) -> dict:
    """The SME account page's financing section: how many cases it has, how many are open."""
    counts = FinancingCase.objects.filter(candidate__supplier=supplier).aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=FinancingCase.OPEN_STATUSES))
    )
    selected = selected_candidates_of(supplier).exists() if not counts["total"] else True
    return {"financing_cases": counts["total"], "financing_open": counts["open"], "financing_available": selected}
