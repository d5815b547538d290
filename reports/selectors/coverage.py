"""Coverage of the critical supply areas and of each anchor's demanded areas by the selected SMEs."""
from django.db.models import Count, Q

from programs.models import AnchorCompany, CriticalSupplyArea

from .registrations import area_counts
from .scope import ReportScope


def area_coverage(scope: ReportScope) -> list[dict]:
    """Per area of the program: registered suppliers that serve it, selected ones, and the anchors demanding it."""
    counts = area_counts(scope.program, registered=scope.registered_suppliers().values("id"),
                         selected=scope.selected_candidates().values("supplier_id"))
    areas = (
        CriticalSupplyArea.objects.filter(program=scope.program)
        .annotate(anchor_count=Count("anchors", distinct=True))
        .order_by("code")
    )
    return [
        {"code": a.code, "name": a.name, "registered": counts.get(a.pk, {}).get("registered", 0),
         "selected": counts.get(a.pk, {}).get("selected", 0),
         "anchors": a.anchor_count}
        for a in areas
    ]


def areas_without_selected(coverage: list[dict]) -> list[dict]:
    return [row for row in coverage if row["selected"] == 0]


def anchor_coverage(scope: ReportScope) -> list[dict]:
    """Per anchor: demanded areas, how many have at least one selected SME, and distinct selected SMEs serving them."""
    selected = scope.selected_candidates().values("supplier_id")
    anchors = (
        AnchorCompany.objects.filter(program=scope.program)
        .annotate(
            demanded=Count("supply_areas", distinct=True),
            covered=Count("supply_areas", filter=Q(supply_areas__suppliers__in=selected), distinct=True),
            smes=Count("supply_areas__suppliers", filter=Q(supply_areas__suppliers__in=selected), distinct=True),
        )
        .order_by("name")
    )
    return [
        {"id": a.pk, "name": a.name, "demanded": a.demanded, "covered": a.covered,
         "uncovered": a.demanded - a.covered, "selected_smes": a.smes}
        for a in anchors
    ]


