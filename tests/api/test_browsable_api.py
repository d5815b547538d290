"""The browsable API stays bounded whatever the number of rows: no filter form or related-field
<select> listing every candidate, supplier or diagnostic (core.renderers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessments.factories import DiagnosticFactory, FrameworkFactory
from tests.cohorts.factories import CandidateFactory, CohortFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/diagnostics/",
    "/api/v1/anchor-reviews/",
    "/api/v1/candidates/",
    "/api/v1/suppliers/",
    "/api/v1/cohorts/",
]


def _grow(n: int) -> None:
    cohort, framework = CohortFactory(), FrameworkFactory()
    for _ in range(n):
        candidate = CandidateFactory(cohort=cohort)
        DiagnosticFactory(supplier=candidate.supplier, framework=framework)


def _html(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("url", URLS)
def test_html_pages_do_not_grow_with_the_rows_they_could_name(staff_client, url):
    _grow(2)
    _, few = _html(staff_client, url)
    _grow(12)
    page, many = _html(staff_client, url)
    assert many <= few
    assert page.count("<option") <= 10  # no list of the rows a filter or a related field could name
    assert 'name="_content"' in page or "POST" not in page  # writes keep the raw JSON form
