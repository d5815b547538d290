"""The staff cohort page at scale: candidates a page at a time, filtered, counted in one query,
and every action returns to the page and filters it was posted from."""

import re
from datetime import timedelta
from html.parser import HTMLParser

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


class _Forms(HTMLParser):
    """The forms of a page as a browser sends them: each form's fields, and the fields and buttons that belong
    to a form from outside it (``form="..."``), by the form's id or action."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.buttons: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"id": attrs.get("id", ""), "action": attrs.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif tag in ("input", "select"):
            field = dict(attrs)
            if tag == "select":
                field["value"], self._select = "", field
            if self._form is not None and "form" not in attrs:
                self._form["fields"].append(field)
            else:
                self.buttons.append(field)
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select["value"] = attrs.get("value", "")
        elif tag == "button":
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def form(self, *, id: str = "", action: str = "") -> dict:
        (found,) = [f for f in self.forms if (id and f["id"] == id) or (action and f["action"] == action)]
        return {f["name"]: f.get("value", "") for f in found["fields"] if f.get("name")}


def _page_forms(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


@pytest.fixture
def under_review(cohort, staff_user):
    services.cohort_open_review(
        cohort=cohort, deadline=timezone.now() + timedelta(days=3), actor=staff_user, expected_version=None
    )
    cohort.refresh_from_db()
    return cohort


def test_under_review_a_full_page_reads_no_more_queries_than_one_row(
    under_review, staff_client, staff_user, django_assert_max_num_queries
):
    cohort = under_review
    world_reviewer = cohort.program.anchors.get(name="Ancla A").reviewers.get().user
    services.anchor_review_submit(candidate=_by_name(cohort, "pyme0"), actor=world_reviewer, verdict="endorse")
    services.anchor_review_submit(
        candidate=_by_name(cohort, "pyme1"), actor=world_reviewer, verdict="object", reason="Entregas tardías"
    )
    staged = _by_name(cohort, "pyme2")
    services.cohort_stage_decision(
        candidate=staged, actor=staff_user, status="waitlisted", reason="Cupo lleno", expected_version=staged.version
    )
    url = reverse("cohorts:staff_cohort", args=[cohort.pk])
    with django_assert_max_num_queries(30) as queries:
        page = get_ok(staff_client, url, {"page": 3}).content.decode()
    one_row = len(queries.captured_queries)
    assert len(_rows(page)) == 1
    with django_assert_max_num_queries(one_row):
        page = get_ok(staff_client, url, {"page": 1}).content.decode()
    assert len(_rows(page)) == 3
    assert "Ancla A: avala" in page and "Entregas tardías" in page
    # 1 staged of the 6 eligible: 5 still without a decision (counted with the page's other counts)
    assert "1 decisiones preparadas; 5 candidatos elegibles aún sin decisión." in page
    assert "Página 1 de 3 (7 candidatas)" in page
    with django_assert_max_num_queries(one_row):
        page = get_ok(staff_client, url, {"show": "staged"}).content.decode()
    assert _rows(page) == [staged.pk]
    assert "(1 candidatas)" not in page  # one page: no pager


def test_each_row_sends_its_decision_and_pin_as_the_page_writes_them(under_review, staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # the page's own CSRF tokens must be there and valid
    client.force_login(staff_user)
    cohort = under_review
    url = reverse("cohorts:staff_cohort", args=[cohort.pk])
    candidate = _by_name(cohort, "pyme1")
    forms = _page_forms(get_ok(client, url, {"show": "eligible"}).content.decode())

    stage_url = reverse("cohorts:staff_candidate_action", args=[candidate.pk, "stage"])
    sent = forms.form(action=stage_url)
    prefix = f"s{candidate.pk}"
    assert set(sent) == {"csrfmiddlewaretoken", "back", f"{prefix}-status", f"{prefix}-reason", f"{prefix}-version"}
    assert set(sent) - {"csrfmiddlewaretoken", "back"} == {
        field.html_name for field in staff_views.StageForm(prefix=prefix)
    }
    assert sent[f"{prefix}-status"] == "" and sent[f"{prefix}-version"] == str(candidate.version)
    sent.update({f"{prefix}-status": "not_selected", f"{prefix}-reason": "Sin capacidad instalada"})
    response = client.post(stage_url, sent)
    assert response.status_code == 302
    assert response["Location"] == url + f"?show=eligible&page=1#candidate-{candidate.pk}"
    candidate.refresh_from_db()
    assert (candidate.staged_status, candidate.staged_reason) == ("not_selected", "Sin capacidad instalada")

    # The page as it is now shows the staged decision in the row's form.
    forms = _page_forms(get_ok(client, url, {"show": "eligible"}).content.decode())
    shown = forms.form(action=stage_url)
    assert shown[f"{prefix}-status"] == "not_selected" and shown[f"{prefix}-reason"] == "Sin capacidad instalada"
    assert shown[f"{prefix}-version"] == str(candidate.version)

    # "Always include": a button of the page's shared form, with its candidate's version.
    pin_url = reverse("cohorts:staff_candidate_action", args=[candidate.pk, "pin"])
    (button,) = [b for b in forms.buttons if b.get("formaction") == pin_url]
    assert button["form"] == "row-actions" and button["name"] == "version"
    assert button["value"] == str(candidate.version)
    sent = {**forms.form(id="row-actions"), button["name"]: button["value"]}
    assert set(sent) == {"csrfmiddlewaretoken", "back", "version"}
    response = client.post(pin_url, sent)
    assert response.status_code == 302
    assert response["Location"] == url + f"?show=eligible&page=1#candidate-{candidate.pk}"
    candidate.refresh_from_db()
    assert candidate.pinned
    forms = _page_forms(get_ok(client, url, {"show": "eligible"}).content.decode())
    unpin_url = reverse("cohorts:staff_candidate_action", args=[candidate.pk, "unpin"])
    (button,) = [b for b in forms.buttons if b.get("formaction") == unpin_url]
    assert button["value"] == str(candidate.version)
