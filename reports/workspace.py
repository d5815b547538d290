"""The staff workspace (``/staff/``): what needs program staff today, counted with indexed queries.

Each count reads at most ``CAP + 1`` rows of an index (``count_capped``), so the page costs the same at 400
SMEs as at 100,000: a count beyond the cap shows as "more than 1,000".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from assessments.models import Diagnostic
from cohorts.models import Cohort
from programs.selectors import scoped
from suppliers.models import Supplier

from .models import ReportExport

CAP = 1000
RECENT_EXPORT_DAYS = 7


@dataclass(frozen=True)
class Tally:
    value: int
    capped: bool


def count_capped(queryset: QuerySet) -> Tally:
    """How many rows, reading at most CAP + 1 of them (``SELECT count(*) FROM (... LIMIT CAP + 1)``)."""
    n = queryset.values("pk")[: CAP + 1].count()
    return Tally(value=min(n, CAP), capped=n > CAP)


def registrations_to_verify(user) -> QuerySet[Supplier]:
    return scoped(Supplier.objects.all(), user).filter(status=Supplier.Status.SUBMITTED)


def diagnostics_to_schedule(user) -> QuerySet[Supplier]:
    """Verified SMEs without any diagnostic (an index probe per SME on ``Diagnostic(supplier, status)``)."""
    return (
        scoped(Supplier.objects.all(), user)
        .filter(status=Supplier.Status.VERIFIED)
        .exclude(Exists(Diagnostic.objects.filter(supplier=OuterRef("pk"))))
    )


def diagnostics_to_validate(user) -> QuerySet[Diagnostic]:
    return scoped(Diagnostic.objects.all(), user).filter(status=Diagnostic.Status.SCORED)


def diagnostics_to_publish(user) -> QuerySet[Diagnostic]:
    return scoped(Diagnostic.objects.all(), user).filter(status=Diagnostic.Status.VALIDATED, published_at__isnull=True)


def cohorts_needing_staff(user) -> list[Cohort]:
    """The cohorts not closed yet (a program has a handful), the nearest review deadline first."""
    return list(
        scoped(Cohort.objects.all(), user)
        .exclude(status=Cohort.Status.CLOSED)
        .select_related("program")
        .order_by(F("review_deadline").asc(nulls_last=True), "-year", "pk")
    )


def exports_ready(user) -> list[ReportExport]:
    since = timezone.now() - timedelta(days=RECENT_EXPORT_DAYS)
    return list(
        scoped(ReportExport.objects.filter(requested_by=user, created_at__gte=since), user)
        .exclude(status=ReportExport.Status.FAILED)
        .order_by("-created_at")[:5]
    )


def staff_tasks(user) -> dict:
    """Everything the workspace shows, in a fixed number of queries."""
    return {
        "to_verify": count_capped(registrations_to_verify(user)),
        "to_schedule": count_capped(diagnostics_to_schedule(user)),
        "to_validate": count_capped(diagnostics_to_validate(user)),
        "to_publish": count_capped(diagnostics_to_publish(user)),
        "cohorts": cohorts_needing_staff(user),
        "exports": exports_ready(user),
        "now": timezone.now(),
    }
