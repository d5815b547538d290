"""The staff diagnostics list: paged, searched by SME name or RFC, filtered by status, in bounded queries."""

import re

import pytest
from django.urls import reverse

from assessments import views
from tests.assessments.factories import DiagnosticFactory
from tests.conftest import get_ok
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def _rows(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/staff/diagnostics/(\d+)/"', page)]


@pytest.fixture
def diagnostics(monkeypatch):
    monkeypatch.setattr(views, "DIAGNOSTICS_PER_PAGE", 3)
    made = []
    for i in range(7):
        supplier = SupplierFactory(trade_name=f"Taller {i}", legal_name=f"Taller {i}, S.A. de C.V.")
        made.append(DiagnosticFactory(supplier=supplier, status="scored" if i % 2 else "scheduled"))
    return made


def test_the_list_is_paged_and_every_diagnostic_is_reachable(staff_client, diagnostics):
    url = reverse("assessments:staff-list")
    seen = []
    for n in (1, 2, 3):
        seen += _rows(get_ok(staff_client, url, {"page": n}).content.decode())
    assert sorted(seen) == sorted(d.pk for d in diagnostics)
    assert "Página 1 de 3 (7 en total)" in get_ok(staff_client, url).content.decode()


def test_search_by_name_and_filter_by_status(staff_client, diagnostics):
    url = reverse("assessments:staff-list")
    assert _rows(get_ok(staff_client, url, {"q": "taller 3"}).content.decode()) == [diagnostics[3].pk]
    scored = _rows(get_ok(staff_client, url, {"status": "scored", "page": 1}).content.decode())
    assert set(scored) <= {d.pk for d in diagnostics if d.status == "scored"} and len(scored) == 3
    empty = get_ok(staff_client, url, {"q": "nadie"}).content.decode()
    assert "Ningún diagnóstico coincide con esta búsqueda." in empty
    assert '<option value="" selected>Todos</option>' in get_ok(staff_client, url).content.decode()


def test_the_list_queries_do_not_grow_with_rows(staff_client, diagnostics, django_assert_max_num_queries):
    url = reverse("assessments:staff-list")
    with django_assert_max_num_queries(15) as few:
        get_ok(staff_client, url, {"page": 3})  # one row
    with django_assert_max_num_queries(len(few.captured_queries)):
        get_ok(staff_client, url, {"page": 1})  # three rows


@pytest.mark.sql
def test_a_page_of_the_list_is_read_in_index_order_without_sorting_every_diagnostic(diagnostics):
    """The newest-first order of the staff list is served by an index: PostgreSQL's plan for a page scans
    ``diagnostic_newest_first`` and has no Sort node (sequential scans are switched off so that the plan on a
    handful of rows is the one chosen at 100,000)."""
    from django.db import connection

    from assessments import selectors
    from tests.programs.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True)  # every program: the list without a program filter
    page = selectors.diagnostic_list(root).order_by("-scheduled_for", "-id")[:25]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "diagnostic_newest_first" in plan, plan
    assert "Sort" not in plan.split("diagnostic_newest_first")[0], plan
