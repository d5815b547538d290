"""Who applied: registrations over time, by geography, supply area, size and sector; the funnel."""
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from assessments.models import Diagnostic
from programs.models import Candidate, CriticalSupplyArea, Region, State
from suppliers.models import Supplier

from .scope import SCORED, ReportScope


def registrations_by_month(scope: ReportScope) -> list[dict]:
    """``[{"month": date, "count": n}]`` in the active time zone, oldest first."""
    rows = (
        scope.registered_suppliers()
        .annotate(month=TruncMonth("registered_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return [{"month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
             "count": row["count"]} for row in rows]


def registrations_by_state(scope: ReportScope) -> list[dict]:
    """Every state (zeros included), with its region: ``code, name, abbreviation, region, count``."""
    registered = scope.registered_suppliers().values("id")
    rows = (
        State.objects.annotate(count=Count("suppliers", filter=Q(suppliers__in=registered)))
        .values("code", "name", "abbreviation", "region__code", "count")
        .order_by("code")
    )
    return [{**row, "region": row.pop("region__code")} for row in rows]


def registrations_by_region(scope: ReportScope) -> list[dict]:
    registered = scope.registered_suppliers().values("id")
    regions = list(
        Region.objects.annotate(count=Count("states__suppliers", filter=Q(states__suppliers__in=registered)))
        .order_by("order", "code")
    )
    return [{"code": r.code, "name": r.name, "count": r.count} for r in regions]


def registrations_by_area(scope: ReportScope) -> list[dict]:
    """Registered suppliers that say they can serve each supply area of the program (zeros included)."""
    registered = scope.registered_suppliers().values("id")
    areas = list(
        CriticalSupplyArea.objects.filter(program=scope.program)
        .annotate(count=Count("suppliers", filter=Q(suppliers__in=registered), distinct=True))
        .order_by("code")
    )
    return [{"code": a.code, "name": a.name, "count": a.count} for a in areas]


def registrations_by_size(scope: ReportScope) -> list[dict]:
    rows = scope.registered_suppliers().values("size").annotate(count=Count("id")).order_by("size")
    labels = dict(Supplier._meta.get_field("size").choices)
    return [{"code": r["size"], "name": labels.get(r["size"], r["size"]), "count": r["count"]} for r in rows]


def registrations_by_sector(scope: ReportScope) -> list[dict]:
    rows = scope.registered_suppliers().values("sector").annotate(count=Count("id")).order_by("sector")
    labels = dict(Supplier._meta.get_field("sector").choices)
    return [{"code": r["sector"], "name": labels.get(r["sector"], r["sector"]), "count": r["count"]} for r in rows]


def funnel(scope: ReportScope) -> list[dict]:
    """Nested stages: registered ⊇ verified ⊇ diagnosed ⊇ proposed ⊇ selected (one query).

    *diagnosed* = verified with a scored baseline diagnostic; *proposed* = also a candidate in
    the optimizer proposal (or selected) in scope; *selected* = also selected in scope.
    """
    candidacies = Candidate.objects.filter(scope.candidacy_q(), supplier=OuterRef("pk"))
    verified = Q(status=Supplier.Status.VERIFIED)
    qs = scope.registered_suppliers().annotate(
        has_baseline=Exists(
            Diagnostic.objects.filter(supplier=OuterRef("pk"), status__in=SCORED, baseline__isnull=True)
        ),
        in_proposal=Exists(candidacies.filter(Q(in_proposal=True) | Q(status=Candidate.Status.SELECTED))),
        is_selected=Exists(candidacies.filter(status=Candidate.Status.SELECTED)),
    )
    counts = qs.aggregate(
        registered=Count("id"),
        verified=Count("id", filter=verified),
        diagnosed=Count("id", filter=verified & Q(has_baseline=True)),
        proposed=Count("id", filter=verified & Q(has_baseline=True, in_proposal=True)),
        selected=Count("id", filter=verified & Q(has_baseline=True, in_proposal=True, is_selected=True)),
    )
    return [{"stage": stage, "count": counts[stage]} for stage in FUNNEL_STAGES]


FUNNEL_STAGES = ("registered", "verified", "diagnosed", "proposed", "selected")
