"""The outcomes API: deny by default, each role its own, tidy indicator rows with suppression, flat queries."""

import pytest
from rest_framework.test import APIClient

from tests.programs.factories import AnchorReviewerFactory

from .factories import OutcomesWorld
from .test_pages import _run_rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return OutcomesWorld(selected=5, waitlisted=3)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_staff_read_rounds_responses_and_tidy_indicators(world):
    baseline, follow = _run_rounds(world)
    client = api(world.staff)
    rounds = client.get("/api/v1/outcome-rounds/").json()
    assert [r["id"] for r in rounds["results"]] == [baseline.pk, follow.pk]
    responses = client.get("/api/v1/outcome-responses/", {"round": follow.pk}).json()
    assert responses["count"] == 10 and {"sales_mdp", "employees_women", "group"} <= set(responses["results"][0])
    rows = client.get("/api/v1/indicators/", {"round": follow.pk, "page_size": 500}).json()["results"]
    sales = next(
        r for r in rows if r["indicator"] == "sales_mdp" and r["breakdown"] == "all" and r["group"] == "selected"
    )
    expected = sum(float(r.sales_mdp) for r in follow.responses.filter(group="selected"))
    assert sales["value"] == pytest.approx(expected) and sales["n_smes"] == 5 and sales["name_es"] == "Ventas"
    assert all(r["value"] is None for r in rows if r["suppressed"])
    assert client.get("/api/v1/indicators/", {"round": "x"}).status_code == 400


def test_each_role_sees_only_its_own(world):
    _baseline, follow = _run_rounds(world)
    mine = api(world.sme_user).get("/api/v1/outcome-responses/").json()
    assert mine["count"] == 2 and {r["supplier_id"] for r in mine["results"]} == {world.sme.pk}
    other = follow.responses.exclude(supplier=world.sme).first()
    assert api(world.sme_user).get(f"/api/v1/outcome-responses/{other.pk}/").status_code == 404
    for url in ("/api/v1/outcome-rounds/", "/api/v1/indicators/"):
        assert api(world.sme_user).get(url).status_code == 403
    reviewer = AnchorReviewerFactory(anchor=world.anchor).user
    for url in ("/api/v1/outcome-rounds/", "/api/v1/indicators/", "/api/v1/outcome-responses/"):
        assert api(reviewer).get(url).status_code == 403
        assert api().get(url).status_code == 401


def test_api_queries_do_not_grow_with_rows(django_assert_max_num_queries):
    counts = []
    for size in (5, 12):
        world = OutcomesWorld(selected=size, waitlisted=size)
        _run_rounds(world)
        client = api(world.staff)
        per = []
        for url in ("/api/v1/outcome-rounds/", "/api/v1/outcome-responses/", "/api/v1/indicators/"):
            with django_assert_max_num_queries(30) as captured:
                assert client.get(url).status_code == 200
            per.append(len(captured))
        counts.append(per)
    assert counts[0] == counts[1]
