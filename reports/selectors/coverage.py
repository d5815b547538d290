"""Coverage of the critical supply areas and of each anchor's demanded areas by the selected SMEs."""

from django.db.models import Count

from programs.models import AnchorCompany, CriticalSupplyArea
from suppliers.models import Supplier

from .registrations import area_counts
from .scope import ReportScope


def area_coverage(scope: ReportScope) -> list[dict]:
    """Per area of the program: registered suppliers that serve it, selected ones, and the anchors demanding it."""
    counts = area_counts(
        scope.program,
        registered=scope.registered_suppliers().values("id"),
        selected=scope.selected_candidates().values("supplier_id"),
    )
    areas = (
        CriticalSupplyArea.objects.filter(program=scope.program)
        .annotate(anchor_count=Count("anchors", distinct=True))
        .order_by("code")
    )
    return [
        {
            "code": a.code,
            "name": a.name,
            "registered": counts.get(a.pk, {}).get("registered", 0),
            "selected": counts.get(a.pk, {}).get("selected", 0),
            "anchors": a.anchor_count,
        }
        for a in areas
    ]


def areas_without_selected(coverage: list[dict]) -> list[dict]:
    return [row for row in coverage if row["selected"] == 0]


def anchor_coverage(scope: ReportScope) -> list[dict]:
    """Per anchor: demanded areas, how many have at least one selected SME, and distinct selected SMEs serving them.

    Two grouped queries: the anchors with their demanded areas, and the supplier-area pairs of the
    selected SMEs only, per anchor demanding the area (not every supplier of every demanded area).
    """
    selected = scope.selected_candidates().values("supplier_id")
    served: dict[int, tuple[int, int]] = {  # anchor id -> (covered areas, selected SMEs)
        row["criticalsupplyarea__anchors"]: (row["covered"], row["smes"])
        for row in Supplier.supply_areas.through.objects.filter(
            supplier_id__in=selected,
            criticalsupplyarea__program=scope.program,
            criticalsupplyarea__anchors__isnull=False,
        )
        .values("criticalsupplyarea__anchors")
        .annotate(covered=Count("criticalsupplyarea_id", distinct=True), smes=Count("supplier_id", distinct=True))
        .order_by()
    }
    anchors = list(
        AnchorCompany.objects.filter(program=scope.program)
        .annotate(demanded=Count("supply_areas", distinct=True))
        .order_by("name")
    )
    result = []
    for anchor in anchors:
        covered, smes = served.get(anchor.pk, (0, 0))
        result.append(
            {
                "id": anchor.pk,
                "name": anchor.name,
                "demanded": anchor.demanded,
                "covered": covered,
                "uncovered": anchor.demanded - covered,
                "selected_smes": smes,
            }
        )
    return result
