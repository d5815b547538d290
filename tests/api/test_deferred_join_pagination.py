"""The candidates API pages by number with the page's ids read first (core.pagination.DeferredJoinPagination):
the same pages, in the same order, as plain page-number pagination, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.api.views import CandidateViewSet
from core.pagination import PageNumberPagination
from tests.cohorts.factories import CandidateFactory, CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates():
    cohorts = [CohortFactory(), CohortFactory()]
    for i in range(13):
        CandidateFactory(cohort=cohorts[i % 2], growth_index=[40, 55, 55, 70][i % 4])  # ties: the id decides


def _pages(api, params) -> list[list[int]]:
    pages, url = [], "/api/v1/candidates/"
    while url:
        body = api.get(url, params).json()
        pages.append([row["id"] for row in body["results"]])
        url, params = body["next"], None
    return pages


@pytest.mark.parametrize(
    "params",
    [{"page_size": 4}, {"page_size": 5, "ordering": "-growth_index"}, {"page_size": 3, "ordering": "growth_index"}],
)
def test_the_pages_are_those_of_plain_pagination(api, staff_user, candidates, monkeypatch, params):
    api.force_authenticate(staff_user)
    deferred = _pages(api, params)
    monkeypatch.setattr(CandidateViewSet, "pagination_class", PageNumberPagination)
    assert _pages(api, params) == deferred
    assert sum(len(page) for page in deferred) == 13 and len({i for page in deferred for i in page}) == 13


def test_queries_do_not_grow_with_the_page_and_a_missing_page_is_404(api, staff_user, candidates):
    api.force_authenticate(staff_user)
    api.get("/api/v1/candidates/")  # the user's groups, read once
    counts = []
    for size in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/candidates/", {"page_size": size, "page": 2}).status_code == 200
        counts.append(len(queries.captured_queries))
        sqls = [q["sql"] for q in queries.captured_queries]
        # the page's ids alone (limit and offset on the candidates table), then their rows by id
        assert any(
            sql.startswith('SELECT "cohorts_candidate"."id" AS "pk" FROM "cohorts_candidate"') and "LIMIT" in sql
            for sql in sqls
        )
        assert any('"cohorts_candidate"."id" IN (' in sql and "LIMIT" not in sql for sql in sqls)
    assert counts[0] == counts[1]
    assert api.get("/api/v1/candidates/", {"page": 99}).status_code == 404


def test_ties_come_in_primary_key_order_going_the_way_of_the_last_key(api, staff_user):
    """``?ordering=-employees`` reads ``employees DESC, id DESC``: what an index on (status, employees, id)
    gives read backwards (the supplier list's), and one order for tied rows on every page."""
    from tests.suppliers.factories import SupplierFactory

    ids = [SupplierFactory(employees=30 if i % 2 else 12).pk for i in range(6)]
    api.force_authenticate(staff_user)

    def listed(ordering):
        return [row["id"] for row in api.get("/api/v1/suppliers/", {"ordering": ordering}).json()["results"]]

    big, small = [i for n, i in enumerate(ids) if n % 2], [i for n, i in enumerate(ids) if not n % 2]
    assert listed("-employees") == sorted(big, reverse=True) + sorted(small, reverse=True)
    assert listed("employees") == sorted(small) + sorted(big)
