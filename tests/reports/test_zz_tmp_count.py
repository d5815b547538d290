import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.builders import build_report_data


@pytest.mark.parametrize("kind", ["cohort", "program"])
def test_print_queries(staff_client, kind):
    from django.core.cache import cache

    cache.clear()
    small = build_report_data(n_suppliers=10, seed=1)
    url = reverse("reports:cohort", args=[small.cohort.pk]) if kind == "cohort" else reverse("reports:program", args=[small.program.pk])
    with CaptureQueriesContext(connection) as q:
        assert staff_client.get(url).status_code == 200
    for i, x in enumerate(q.captured_queries):
        print(i, x["sql"][:160].replace("\n", " "))
    print("TOTAL", len(q))
