"""Coverage of the critical supply areas and of each anchor's demanded areas by the selected SMEs."""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from programs.models import AnchorCompany, CriticalSupplyArea
from suppliers.models import Supplier

from .registrations import area_counts_query
from .scope import ReportScope

AREAS_SQL = """
SELECT a.id, a.code, a.name_es, a.name_en, COALESCE(c.registered, 0), COALESCE(c.selected, 0),
       (SELECT COUNT(*) FROM {anchors} x WHERE x.criticalsupplyarea_id = a.id)
FROM {areas} a LEFT JOIN ({counts}) c (area_id, registered, selected) ON c.area_id = a.id
WHERE a.program_id = %s
ORDER BY a.code
"""


def area_coverage(scope: ReportScope) -> list[dict]:
    """Per area of the program: registered suppliers that serve it, selected ones, and the anchors demanding it
    (one query: the areas LEFT JOIN the counts of ``area_counts``)."""
    counts, params = area_counts_query(
        scope.program,
        registered=scope.registered_suppliers().values("id"),
        selected=scope.selected_candidates().values("supplier_id"),
    ).query.sql_with_params()
    sql = AREAS_SQL.format(
        anchors=connection.ops.quote_name(CriticalSupplyArea.anchors.through._meta.db_table),
        areas=connection.ops.quote_name(CriticalSupplyArea._meta.db_table),
        counts=counts,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, scope.program.pk])
        rows = cursor.fetchall()
    return [
        {
            "code": code,
            "name": CriticalSupplyArea(name_es=name_es, name_en=name_en).name,
            "registered": registered,
            "selected": selected,
            "anchors": anchors,
        }
        for _pk, code, name_es, name_en, registered, selected, anchors in rows
    ]


def areas_without_selected(coverage: list[dict]) -> list[dict]:
    return [row for row in coverage if row["selected"] == 0]


def anchor_coverage(scope: ReportScope) -> list[dict]:
    """Per anchor: demanded areas, how many have at least one selected SME, and distinct selected SMEs serving them.

    One query: the anchors with their demanded areas, and for each, from the supplier-area pairs of the selected
    SMEs only (not every supplier of every demanded area), the areas covered and the SMEs serving them.
    """
    selected_pairs = Supplier.supply_areas.through.objects.filter(
        supplier_id__in=scope.selected_candidates().values("supplier_id"),
        criticalsupplyarea__program=scope.program,
        criticalsupplyarea__anchors=OuterRef("pk"),
    )

    def served(**count) -> Coalesce:
        return Coalesce(
            Subquery(
                selected_pairs.values("criticalsupplyarea__anchors").annotate(**count).values(*count)[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    anchors = (
        AnchorCompany.objects.filter(program=scope.program)
        .annotate(
            demanded=Count("supply_areas", distinct=True),
            covered=served(n=Count("criticalsupplyarea_id", distinct=True)),
            smes=served(n=Count("supplier_id", distinct=True)),
        )
        .order_by("name")
        .values_list("pk", "name", "demanded", "covered", "smes")
    )
    return [
        {
            "id": pk,
            "name": name,
            "demanded": demanded,
            "covered": covered,
            "uncovered": demanded - covered,
            "selected_smes": smes,
        }
        for pk, name, demanded, covered, smes in anchors
    ]
