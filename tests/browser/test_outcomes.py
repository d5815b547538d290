"""A follow-up round end to end in the browser, at phone and desktop size: staff schedule and open the baseline,
the SME saves its answers, comes back and sends them, staff chase the others and close the round; later the impact
report and the indicators. Every page fits the screen and passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from outcomes.models import OutcomeResponse, OutcomeRound
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, log_out, open_menu
from tests.outcomes.factories import OutcomesWorld
from tests.outcomes.test_pages import _run_rounds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_staff_and_sme_run_a_round(sized_page, live_server):
    world = OutcomesWorld(selected=3, waitlisted=2)
    page = sized_page
    log_in(page, live_server, world.staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Resultados"))
    assert_page_ok(page, "staff rounds")
    page.locator("#id_cohort").select_option(str(world.cohort.pk))
    page.get_by_label("Línea base", exact=True).check()
    page.get_by_label("Nombre").fill("Línea base 2025")
    page.locator("#id_period_start").fill("2025-01-01")
    page.locator("#id_period_end").fill("2025-06-30")
    page.locator("#id_opens_on").fill("2026-07-01")
    page.locator("#id_closes_on").fill("2026-07-31")
    go(page, page.get_by_role("button", name="Programar la ronda"))
    expect(page.get_by_text("La ronda quedó programada.")).to_be_visible()
    assert_page_ok(page, "staff round")
    go(page, page.get_by_role("button", name="Abrir la ronda ahora"))
    assert OutcomeRound.objects.get().status == "open"
    log_out(page)

    response = OutcomeResponse.objects.get(supplier=world.sme)
    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Cuestionarios"))
    assert_page_ok(page, "SME questionnaires")
    go(page, page.get_by_role("link", name="Línea base 2025"))
    page.get_by_label("Ventas del periodo (millones de pesos)").fill("12.5")
    go(page, page.get_by_role("button", name="Guardar y terminar después"))
    expect(page.get_by_text("Sus respuestas se guardaron. Puede terminar después.")).to_be_visible()
    assert_page_ok(page, "SME questionnaire draft")
    page.get_by_label("De ellas, exportaciones (millones de pesos)").fill("-1")
    go(page, page.get_by_role("button", name="Enviar mis respuestas"))
    assert_page_ok(page, "SME questionnaire with errors")
    expect(page.get_by_label("Ventas del periodo (millones de pesos)")).to_have_value("12.500")
    for label, value in (
        ("De ellas, exportaciones (millones de pesos)", "1"),
        ("Personal hoy: mujeres", "8"),
        ("Personal hoy: hombres", "20"),
        ("Mujeres en puestos directivos", "2"),
        ("Clientes nuevos en el periodo", "1"),
        ("Otro financiamiento obtenido en el periodo (millones de pesos)", "0"),
        ("Otras certificaciones obtenidas en el periodo", "0"),
    ):
        page.get_by_label(label).fill(value)
    go(page, page.get_by_role("button", name="Enviar mis respuestas"))
    expect(page.get_by_text("Gracias: sus respuestas se enviaron.")).to_be_visible()
    response.refresh_from_db()
    assert response.status == "submitted"
    log_out(page)

    log_in(page, live_server, world.staff.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/resultados/rondas/{response.round_id}/")
    go(page, page.get_by_role("button", name="Recordar a quienes no han respondido"))
    assert_page_ok(page, "staff round chased")
    page.get_by_text("Cerrar la ronda").click()
    go(page, page.get_by_role("button", name="Sí, cerrarla"))
    assert OutcomeRound.objects.get().status == "closed"


def test_impact_report_and_indicators(sized_page, live_server):
    world = OutcomesWorld(selected=5, waitlisted=3)
    _baseline, follow = _run_rounds(world)
    page = sized_page
    log_in(page, live_server, world.staff.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/resultados/rondas/{follow.pk}/impacto/")
    expect(page.get_by_role("heading", name="Informe de impacto")).to_be_visible()
    assert_page_ok(page, "impact report")
    page.goto(f"{live_server.url}/staff/resultados/indicadores/")
    assert_page_ok(page, "indicators")
    # The cohort report's results section, read from what the closed round stored, links to the impact page.
    page.goto(f"{live_server.url}{reverse('reports:cohort', args=[world.cohort.pk])}")
    expect(page.get_by_role("heading", name="Resultados", exact=True)).to_be_visible()
    assert_page_ok(page, "cohort report with results")
    go(page, page.get_by_role("link", name="Impacto de esta ronda: trayectorias, intervalos y advertencias"))
    expect(page.get_by_role("heading", name="Informe de impacto")).to_be_visible()
