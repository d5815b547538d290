"""Coverage of the critical supply areas and of each anchor's demanded areas by the selected SMEs."""

from django.db import connection
from django.db.models import Count

from programs.models import AnchorCompany, CriticalSupplyArea
from suppliers.models import Supplier

from .registrations import area_counts_query
from .scope import ReportScope

AREAS_SQL = """
SELECT a.id, a.code, a.name_es, a.name_en, (SELECT COUNT(*) FROM {anchors} x WHERE x.criticalsupplyarea_id = a.id),
       {counted}
FROM {areas} a LEFT JOIN ({counts}) c (area_id, {columns}) ON c.area_id = a.id
WHERE a.program_id = %s
ORDER BY a.code
"""


def area_coverage(scope: ReportScope) -> list[dict]:
    """Per area of the program: registered suppliers that serve it, selected ones, and the anchors demanding it
    (one query: the areas LEFT JOIN the counts of ``area_counts``)."""
    return [
        {key: value for key, value in row.items() if key != "id"}
        for row in _areas(
            scope,
            registered=scope.registered_suppliers().values("id"),
            selected=scope.selected_candidates().values("supplier_id"),
        )
    ]


def area_registrations(scope: ReportScope) -> list[dict]:
    """``area_coverage`` without the selected SMEs (``id``: the area's), which no candidacy changes: with
    ``area_selections``, ``coverage_of`` gives ``area_coverage``."""
    return _areas(scope, registered=scope.registered_suppliers().values("id"))


def area_selections(scope: ReportScope) -> dict[int, int]:
    """``{area id: selected SMEs serving it}``, from the supply areas of the selected SMEs only."""
    pairs = Supplier.supply_areas.through.objects.filter(
        criticalsupplyarea__program=scope.program, supplier_id__in=scope.selected_candidates().values("supplier_id")
    )
    rows = pairs.values("criticalsupplyarea_id").annotate(n=Count("supplier_id")).order_by()
    return {row["criticalsupplyarea_id"]: row["n"] for row in rows}


def coverage_of(areas: list[dict], selections: dict[int, int]) -> list[dict]:
    """``area_coverage`` from ``area_registrations`` and ``area_selections``."""
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "registered": row["registered"],
            "selected": selections.get(row["id"], 0),
            "anchors": row["anchors"],
        }
        for row in areas
    ]


def _areas(scope: ReportScope, **supplier_sets) -> list[dict]:
    counts, params = area_counts_query(scope.program, **supplier_sets).query.sql_with_params()
    names = list(supplier_sets)
    sql = AREAS_SQL.format(
        anchors=connection.ops.quote_name(CriticalSupplyArea.anchors.through._meta.db_table),
        areas=connection.ops.quote_name(CriticalSupplyArea._meta.db_table),
        counts=counts,
        columns=", ".join(names),
        counted=", ".join(f"COALESCE(c.{name}, 0)" for name in names),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, scope.program.pk])
        rows = cursor.fetchall()
    return [
        {
            "id": pk,
            "code": code,
            "name": CriticalSupplyArea(name_es=name_es, name_en=name_en).name,
            **dict(zip(names, counted, strict=True)),
            "anchors": anchors,
        }
        for pk, code, name_es, name_en, anchors, *counted in rows
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
