"""The outcomes pages: staff run a round end to end in the browser's way (schedule, open, chase, close), the SME
answers (save and finish later, then send), each role sees only its own, query counts stay flat."""

import datetime
from decimal import Decimal as D

import pytest

from outcomes import services
from outcomes.models import ImpactEstimate, OutcomeResponse, OutcomeRound
from tests.conftest import get_ok
from tests.programs.factories import AnchorReviewerFactory, UserFactory

from .factories import OutcomesWorld
from .test_rounds import COMPLETE, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return OutcomesWorld(selected=5, waitlisted=3)


def survey_post(form_version, **figures):
    data = {"version": form_version}
    for key, value in figures.items():
        data[key] = "" if value is None else str(value)
    return data


def test_staff_schedule_open_chase_close(client, world):
    client.force_login(world.staff)
    get_ok(client, "/staff/resultados/")
    bad = client.post("/staff/resultados/", {"cohort": world.cohort.pk, "kind": "baseline", "name": "Línea base"})
    assert bad.status_code == 400 and not OutcomeRound.objects.exists()
    ok = client.post(
        "/staff/resultados/",
        {
            "cohort": world.cohort.pk,
            "kind": "baseline",
            "name": "Línea base 2025",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "opens_on": "2026-07-01",
            "closes_on": "2026-07-31",
        },
    )
    round_ = OutcomeRound.objects.get()
    assert ok.status_code == 302 and round_.responses.count() == 10
    page = get_ok(client, f"/staff/resultados/rondas/{round_.pk}/")
    assert "0 de 5" in page.content.decode()
    client.post(f"/staff/resultados/rondas/{round_.pk}/", {"action": "open", "version": round_.version})
    round_.refresh_from_db()
    assert round_.status == "open"
    client.post(f"/staff/resultados/rondas/{round_.pk}/", {"action": "chase"})
    round_.refresh_from_db()
    client.post(f"/staff/resultados/rondas/{round_.pk}/", {"action": "close", "version": round_.version})
    round_.refresh_from_db()
    assert round_.status == "closed"
    get_ok(client, "/staff/resultados/indicadores/")


def test_sme_saves_a_draft_then_sends_and_bad_input_keeps_what_was_typed(client, world):
    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    response = round_.responses.get(supplier=world.sme)
    client.force_login(world.sme_user)
    listing = get_ok(client, "/mi-cuenta/cuestionarios/")
    assert round_.name in listing.content.decode()
    url = f"/mi-cuenta/cuestionarios/{response.pk}/"
    get_ok(client, url)
    draft = client.post(url, {**survey_post(response.version, sales_mdp="7.5"), "save": "1"})
    assert draft.status_code == 302
    response.refresh_from_db()
    assert (response.status, response.sales_mdp) == ("draft", D("7.5"))
    negative = client.post(url, {**survey_post(response.version, sales_mdp="-3", employees_men="12"), "send": "1"})
    assert negative.status_code == 400
    assert 'value="12"' in negative.content.decode()  # nothing typed is lost
    response.refresh_from_db()
    assert response.sales_mdp == D("7.5") and response.status == "draft"
    figures = {**COMPLETE, f"anchor_{world.anchor.pk}": "1", "national_content_share": "55"}
    sent = client.post(url, {**survey_post(response.version, **figures), "send": "1"})
    assert sent.status_code == 302
    response.refresh_from_db()
    assert response.status == "submitted" and response.anchor_sales.get().sales_mdp == D("1")
    assert client.post(url, {**survey_post(response.version), "save": "1"}).status_code == 403


def test_each_role_sees_only_its_own(client, world):
    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    other = round_.responses.exclude(supplier=world.sme).first()
    client.force_login(world.sme_user)
    assert client.get(f"/mi-cuenta/cuestionarios/{other.pk}/").status_code == 404
    for url in ("/staff/resultados/", f"/staff/resultados/rondas/{round_.pk}/", "/staff/resultados/indicadores/"):
        assert client.get(url).status_code == 403
    reviewer = AnchorReviewerFactory(anchor=world.anchor).user
    client.force_login(reviewer)
    for url in ("/staff/resultados/", f"/mi-cuenta/cuestionarios/{other.pk}/", "/mi-cuenta/cuestionarios/"):
        assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="nadie"))
    assert client.get(f"/staff/resultados/rondas/{round_.pk}/impacto/").status_code == 403
    client.logout()
    assert client.get("/staff/resultados/").status_code == 302
    assert client.get(f"/mi-cuenta/cuestionarios/{other.pk}/").status_code == 302


def _run_rounds(world):
    baseline = services.round_open(actor=world.staff, round_=schedule(world))
    for r in baseline.responses.all():
        services.response_save(actor=world.staff, response=r, data=COMPLETE, expected_version=None, send=True)
    services.round_close(actor=world.staff, round_=baseline)
    follow = schedule(world, kind="follow_up", start=datetime.date(2025, 7, 1))
    services.round_open(actor=world.staff, round_=follow)
    for r in follow.responses.all():
        bump = D("4") if r.group == "selected" else D("1")
        data = {**COMPLETE, "sales_mdp": COMPLETE["sales_mdp"] + bump + D(r.pk % 4) / 10, "employees_women": 12}
        services.response_save(actor=world.staff, response=r, data=data, expected_version=None, send=True)
    follow.refresh_from_db()
    services.round_close(actor=world.staff, round_=follow)
    return baseline, follow


def test_impact_and_indicator_pages_read_what_was_stored(client, world):
    _baseline, follow = _run_rounds(world)
    client.force_login(world.staff)
    page = get_ok(client, f"/staff/resultados/rondas/{follow.pk}/impacto/")
    html = page.content.decode()
    sales = ImpactEstimate.objects.get(round=follow, outcome="sales_mdp", method="did")
    assert f"{sales.estimate:.2f}" in html
    assert html.count("<svg") >= 3
    csv = client.get("/staff/resultados/indicadores/?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "sales_mdp" in csv.content.decode()
    xlsx = client.get("/staff/resultados/indicadores/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/staff/resultados/indicadores/?format=pdf").status_code == 404


def test_page_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    counts = []
    for size in (5, 15):
        world = OutcomesWorld(selected=size, waitlisted=size)
        _baseline, follow = _run_rounds(world)
        client.force_login(world.staff)
        sme_response = OutcomeResponse.objects.filter(supplier=world.sme).first()
        per_page = []
        for url in (
            "/staff/resultados/",
            f"/staff/resultados/rondas/{follow.pk}/",
            f"/staff/resultados/rondas/{follow.pk}/impacto/",
            "/staff/resultados/indicadores/",
        ):
            with django_assert_max_num_queries(40) as captured:
                get_ok(client, url)
            per_page.append(len(captured))
        client.force_login(world.sme_user)
        for url in ("/mi-cuenta/cuestionarios/", f"/mi-cuenta/cuestionarios/{sme_response.pk}/"):
            with django_assert_max_num_queries(40) as captured:
                get_ok(client, url)
            per_page.append(len(captured))
        counts.append(per_page)
        OutcomeRound.objects.all().delete()
    assert counts[0] == counts[1]


def test_staff_see_only_the_rounds_of_their_programs(client, world):
    from rest_framework.test import APIClient

    from tests.programs.factories import ProgramFactory, make_staff

    round_ = schedule(world)
    other = make_staff(UserFactory(username="staff-otro", is_staff=True), ProgramFactory(code="otro"))
    client.force_login(other)
    assert round_.name not in client.get("/staff/resultados/").content.decode()
    assert client.get(f"/staff/resultados/rondas/{round_.pk}/").status_code == 404
    assert client.get(f"/staff/resultados/rondas/{round_.pk}/impacto/").status_code == 404
    api = APIClient()
    api.force_authenticate(other)
    assert api.get("/api/v1/outcome-rounds/").json()["count"] == 0
    assert api.get("/api/v1/outcome-responses/").json()["count"] == 0
    client.force_login(world.staff)
    assert round_.name in client.get("/staff/resultados/").content.decode()


def test_the_questionnaire_shows_what_the_program_recorded_and_asks_only_for_the_rest(client, world):
    from tests.outcomes.test_sources import _certificate, _order

    round_ = services.round_open(actor=world.staff, round_=schedule(world))
    response = round_.responses.get(supplier=world.sme)
    _order(world.sme, world.anchor, value="2500000", on=round_.period_start)
    _certificate(world.candidates["selected"][0], reached_on=round_.period_end)
    client.force_login(world.sme_user)
    html = get_ok(client, f"/mi-cuenta/cuestionarios/{response.pk}/").content.decode()
    assert "Ya registrado en el programa para este periodo" in html
    assert "Órdenes de compra de empresas ancla: 2.500 millones de pesos" in html
    assert "1 empresa ancla se volvió nuevo cliente." in html
    assert "1 certificación obtenida en su plan de desarrollo." in html
    assert f"Otras ventas a {world.anchor.name} (millones de pesos)" in html
    # Another SME with nothing recorded is asked as before.
    other = round_.responses.get(supplier=world.suppliers("selected")[1])
    client.force_login(other.supplier.contacts.get().user)
    html = get_ok(client, f"/mi-cuenta/cuestionarios/{other.pk}/").content.decode()
    assert "Ya registrado en el programa" not in html
    assert f"Ventas a {world.anchor.name} (millones de pesos)" in html
