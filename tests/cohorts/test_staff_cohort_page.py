"""The staff cohort page at scale: candidates a page at a time, filtered, counted in one query,
and every action returns to the page and filters it was posted from."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _actions(page: str) -> set[str]:
    """The cohort actions the page offers (the last part of each cohort action form's URL)."""
    return set(re.findall(r'action="/staff/cohorts/\d+/([a-z_]+)/"', page))


def test_an_empty_cohort_says_what_to_do_and_offers_only_preparing_candidates(staff_client):
    world = World(k=2)
    page = get_ok(staff_client, reverse("cohorts:staff_cohort", args=[world.cohort.pk])).content.decode()
    assert "Esta cohorte aún no tiene candidatos" in page
    assert "Ningún candidato coincide" not in page
    assert _actions(page) == {"build"}
    assert "K=" not in page and 'class="cohort-size"' in page


def test_only_the_actions_of_the_cohort_state_are_offered(cohort, staff_client, staff_user):
    url = reverse("cohorts:staff_cohort", args=[cohort.pk])
    proposed = get_ok(staff_client, url).content.decode()
    assert _actions(proposed) == {"build", "propose", "open_review", "stage_from_proposal", "stage_many"}
    assert 'aria-current="step"' in proposed and 'id="step-review"' in proposed
    services.cohort_open_review(
        cohort=cohort, deadline=timezone.now() + timedelta(days=3), actor=staff_user, expected_version=None
    )
    services.cohort_stage_from_proposal(cohort=cohort, actor=staff_user)
    review = get_ok(staff_client, url).content.decode()
    # nothing left to prepare from the proposal
    assert _actions(review) == {"propose", "stage_many", "commit", "extend_review"}
    assert "Confirmar 6 decisiones y avisar a las PyMEs" in review
    cohort.refresh_from_db()
    services.cohort_commit_decisions(cohort=cohort, actor=staff_user, expected_version=cohort.version)
    approved = get_ok(staff_client, url).content.decode()
    assert _actions(approved) <= {"promote"}  # only the waitlist, and only when a place is free
    assert 'id="waitlist"' in approved


def test_bulk_decision_prepares_every_marked_candidate_or_none(cohort, staff_client):
    a, b, ineligible = _by_name(cohort, "pyme3"), _by_name(cohort, "pyme4"), _by_name(cohort, "grande")
    url = reverse("cohorts:staff_cohort_action", args=[cohort.pk, "stage_many"])
    response = staff_client.post(
        url,
        {
            "candidates": [f"{a.pk}:{a.version}", f"{ineligible.pk}:{ineligible.version}"],
            "status": "waitlisted",
            "reason": "Cupo lleno",
        },
        follow=True,
    )
    assert "grande" in response.content.decode()  # the refused SME is named
    assert not Candidate.objects.filter(cohort=cohort).exclude(staged_status="").exists()
    response = staff_client.post(
        url,
        {"candidates": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}"], "status": "waitlisted", "reason": "Cupo lleno"},
    )
    assert response.status_code == 302
    assert set(Candidate.objects.filter(staged_status="waitlisted").values_list("pk", flat=True)) == {a.pk, b.pk}
    stale = staff_client.post(
        url, {"candidates": [f"{a.pk}:{a.version}"], "status": "not_selected", "reason": "x"}, follow=True
    )
    assert stale.status_code == 200
    assert Candidate.objects.get(pk=a.pk).staged_status == "waitlisted"  # the page was stale: nothing changed


def test_a_requested_selection_shows_that_it_is_working(cohort, staff_client, staff_user):
    from core import audit

    audit.record(cohort, action="proposal_requested", actor=staff_user)
    page = get_ok(staff_client, reverse("cohorts:staff_cohort", args=[cohort.pk])).content.decode()
    assert "data-running" in page and 'hx-trigger="every 4s"' in page
    assert "propose/" not in page  # not asked twice while it runs
