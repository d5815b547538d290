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
