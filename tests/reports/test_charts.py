"""Charts that say everything: labels never cut, an empty chart says so, months without gaps, readable figures."""

import datetime

from django.utils import translation

from reports import charts
from reports.selectors.registrations import choice_rows, month_rows


def test_long_labels_wrap_and_are_never_cut():
    label = "Estampado, troquelado y ensamble de piezas metálicas de carrocería"
    svg = str(charts.bar_chart([(label, 3), ("Plásticos", 1)], title="Áreas"))
    shown = " ".join(part.split("<")[0] for part in svg.split("<tspan")[1:] if ">" in part)
    for word in label.split():
        assert word in svg
    assert svg.count("<tspan") >= 3  # the long label takes more than one line
    column = str(charts.column_chart([("septiembre de 2026", 4)], title="Meses"))
    assert "septiembre" in column and "2026" in column
    assert shown


def test_an_empty_chart_says_so():
    with translation.override("es-mx"):
        for svg in (
            charts.bar_chart([], title="x"),
            charts.bar_chart([("A", 0)], title="x"),
            charts.column_chart([], title="x"),
            charts.funnel_chart([], title="x"),
            charts.grouped_bars(["A"], [("s", [None])], title="x"),
        ):
            assert "Aún no hay datos para esta gráfica." in str(svg)


def test_months_without_registrations_are_on_the_axis():
    rows = month_rows({datetime.date(2026, 11, 1): 2, datetime.date(2027, 2, 1): 5})
    assert [(r["month"], r["count"]) for r in rows] == [
        (datetime.date(2026, 11, 1), 2),
        (datetime.date(2026, 12, 1), 0),
        (datetime.date(2027, 1, 1), 0),
        (datetime.date(2027, 2, 1), 5),
    ]


def test_sizes_are_named_with_their_spelling():
    with translation.override("es-mx"):
        assert {r["name"] for r in choice_rows("size", {"pequena": 3, "mediana": 1})} == {"Pequeña", "Mediana"}


def test_figures_on_the_map_have_a_halo():
    svg = str(charts.tile_map([{"code": "11", "abbreviation": "GTO", "name": "Guanajuato", "count": 9}], title="x"))
    assert 'paint-order="stroke"' in svg


def test_the_exports_list_says_an_export_is_being_prepared(staff_client, staff_user, db):
    from django.urls import reverse

    from reports.models import ReportExport
    from tests.conftest import get_ok
    from tests.programs.factories import ProgramFactory

    ReportExport.objects.create(
        program=ProgramFactory(), kind=ReportExport.Kind.choices[0][0], file_format="csv", requested_by=staff_user
    )
    page = get_ok(staff_client, reverse("reports:exports")).content.decode()
    assert "data-preparing" in page and 'hx-trigger="every 3s"' in page
    ReportExport.objects.update(status=ReportExport.Status.READY, file="exports/x.csv")
    page = get_ok(staff_client, reverse("reports:exports")).content.decode()
    assert "data-preparing" not in page and "Descargar" in page
