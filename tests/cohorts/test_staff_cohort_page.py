"""The staff cohort page at scale: candidates a page at a time, filtered, counted in one query,
and every action returns to the page and filters it was posted from."""

import re

import pytest
from django.urls import reverse

from cohorts import services
from cohorts.models import Candidate
from cohorts.views import staff as staff_views
from tests.cohorts.world import World
from tests.conftest import get_ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(staff_user, monkeypatch):
    monkeypatch.setattr(staff_views, "CANDIDATES_PER_PAGE", 3)
    world = World(k=2)
    for i, score in enumerate([95, 90, 85, 80, 75, 70]):
        world.sme(score=score, name=f"pyme{i}")
    world.sme(score=99, name="grande", size="grande")  # not eligible
    services.cohort_build_candidates(cohort=world.cohort, actor=staff_user)
    services.cohort_propose(cohort=world.cohort, actor=staff_user, time_limit=10)
    return world.cohort


def _rows(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="candidate-(\d+)"', page)]


def _by_name(cohort, name) -> Candidate:
    return Candidate.objects.get(cohort=cohort, supplier__trade_name=name)


def test_candidates_come_a_page_at_a_time_in_bounded_queries(cohort, staff_client, django_assert_max_num_queries):
    url = reverse("cohorts:staff_cohort", args=[cohort.pk])
    first = staff_client.get(url).content.decode()
    assert "7 candidatas: 6 elegibles, 2 en la propuesta, 0 con una decisión preparada." in first
    assert _rows(first) == [_by_name(cohort, n).pk for n in ("pyme0", "pyme1", "pyme2")]  # proposal first
    with django_assert_max_num_queries(40) as queries:
        last = get_ok(staff_client, url, {"page": 3}).content.decode()
    one_row = len(queries.captured_queries)  # read now: the next request resets the query log
    assert _rows(last) == [_by_name(cohort, "grande").pk]
    assert staff_client.get(url, {"page": 99}).status_code == 200  # out of range: the last page
    all_rows = set(_rows(first)) | set(_rows(staff_client.get(url, {"page": 2}).content.decode())) | set(_rows(last))
    assert all_rows == set(Candidate.objects.filter(cohort=cohort).values_list("pk", flat=True))
    with django_assert_max_num_queries(one_row):
        get_ok(staff_client, url, {"page": 1})  # three rows with their reviews and areas: no more queries than one


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"show": "proposal"}, ["pyme0", "pyme1"]),
        ({"show": "ineligible"}, ["grande"]),
        ({"q": "pyme4"}, ["pyme4"]),
        ({"status": "proposed", "q": "pyme5"}, ["pyme5"]),
        ({"status": "selected"}, []),
    ],
)
def test_filters(cohort, staff_client, params, names):
    page = staff_client.get(reverse("cohorts:staff_cohort", args=[cohort.pk]), params).content.decode()
    assert _rows(page) == [_by_name(cohort, n).pk for n in names]


def test_an_invalid_filter_is_said_and_not_applied(cohort, staff_client):
    response = staff_client.get(
        reverse("cohorts:staff_cohort", args=[cohort.pk]), {"show": "everything"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert len(_rows(response.content.decode())) == 3
    assert response.context["filters"].errors["show"]


def test_an_action_returns_to_the_filters_and_page_it_came_from(cohort, staff_client):
    candidate = _by_name(cohort, "pyme4")
    url = reverse("cohorts:staff_candidate_action", args=[candidate.pk, "pin"])
    back = "show=eligible&page=2&next=//evil.example"  # only the page's own filters go back
    response = staff_client.post(url, {"version": candidate.version, "back": back})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("cohorts:staff_cohort", args=[cohort.pk]) + f"?show=eligible&page=2#candidate-{candidate.pk}"
    )
    assert Candidate.objects.get(pk=candidate.pk).pinned
    page = staff_client.get(reverse("cohorts:staff_cohort", args=[cohort.pk]), {"show": "pinned"}).content.decode()
    assert _rows(page) == [candidate.pk]
    assert 'name="back" value="show=pinned&amp;page=1"' in page  # what the page's forms post back
    response = staff_client.post(
        reverse("cohorts:staff_cohort_action", args=[cohort.pk, "stage_from_proposal"]), {"back": "show=staged"}
    )
    assert response["Location"] == reverse("cohorts:staff_cohort", args=[cohort.pk]) + "?show=staged"
