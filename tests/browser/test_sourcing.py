"""A sourcing opportunity end to end in the browser, at phone and desktop size: the anchor posts it and sees
the ranked, explained SMEs and invites one; the SME accepts the terms, says it is interested and sends its
response; the anchor records the purchase order. Every page fits the screen and passes axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from sourcing.models import Invitation, Opportunity
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, log_out, open_menu
from tests.sourcing.world import SourcingWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_anchor_posts_invites_sme_responds_anchor_records_purchase_order(sized_page, live_server):
    world = SourcingWorld()
    today = datetime.date.today()
    page = sized_page

    log_in(page, live_server, world.admin_a.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Oportunidades", exact=True))
    assert_page_ok(page, "anchor dashboard")
    go(page, page.get_by_role("link", name="Publicar una oportunidad"))
    assert_page_ok(page, "opportunity form")
    page.get_by_label("Título").fill("Soportes estampados")
    page.locator(f"input[name=areas][value='{world.stamping.pk}']").check()
    page.get_by_label("Qué se va a fabricar").fill("Soportes de acero para asientos")
    page.get_by_label("Familia de partes").fill("Soportes")
    page.get_by_label("Proceso").fill("Estampado")
    page.get_by_label("Volumen anual estimado (piezas)").fill("120000")
    page.get_by_label("Valor anual estimado").fill("3000000")
    page.locator(f"input[name=required_certifications][value='{world.iso.pk}']").check()
    page.get_by_label("Nivel de madurez mínimo").select_option("2")
    page.get_by_label("Estado de entrega").select_option(str(world.gto.pk))
    page.get_by_label("Planta de entrega").fill("Planta Silao")
    page.get_by_label("Inicio del suministro").fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Fecha límite de respuesta").fill((today + datetime.timedelta(days=20)).isoformat())
    page.locator("input[name=visibility][value=invited]").check()
    go(page, page.get_by_role("button", name="Publicar la oportunidad"))
    expect(page.get_by_text("La oportunidad quedó publicada.")).to_be_visible()
    matches = page.get_by_test_id("match")
    expect(matches.first).to_contain_text("Troqueles del Bajío")
    expect(matches.first).to_contain_text("Cuenta con ISO 9001.")
    expect(matches.nth(1)).to_contain_text("No cuenta con ISO 9001.")
    assert_page_ok(page, "ranked SMEs")
    go(page, page.get_by_role("button", name="Invitar a Troqueles del Bajío"))
    expect(page.get_by_text("La PyME quedó invitada; recibe un correo.")).to_be_visible()
    opportunity = Opportunity.objects.get()
    assert Invitation.objects.get(opportunity=opportunity).supplier == world.strong
    log_out(page)

    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Oportunidades de negocio"))
    assert_page_ok(page, "SME opportunities")
    go(page, page.get_by_role("link", name="Soportes estampados"))
    go(page, page.get_by_role("button", name="Acepto los términos de confidencialidad"))
    go(page, page.get_by_role("button", name="Nos interesa"))
    expect(page.get_by_text("La empresa ancla ya sabe que le interesa.")).to_be_visible()
    assert_page_ok(page, "SME response form")
    page.get_by_label("Resumen de la cotización").fill("25 MXN por pieza, herramental incluido")
    page.get_by_label("Valor anual cotizado").fill("3000000")
    page.get_by_label("Tiempo de entrega (semanas)").fill("8")
    go(page, page.get_by_role("button", name="Enviar la respuesta"))
    expect(page.get_by_text("Su respuesta se envió a la empresa ancla.")).to_be_visible()
    assert_page_ok(page, "SME after response")
    log_out(page)

    log_in(page, live_server, world.admin_a.username, PASSWORD)
    page.goto(f"{live_server.url}/anclas/oportunidades/{opportunity.pk}/")
    invitation = page.get_by_test_id("invitation")
    expect(invitation).to_contain_text("25 MXN por pieza")
    invitation.get_by_text("Registrar un avance").click()
    invitation.get_by_label("Paso").select_option("purchase_order")
    invitation.get_by_label("Valor de la orden de compra (MXN)").fill("2500000")
    invitation.get_by_label("Fecha de la orden de compra").fill(today.isoformat())
    go(page, invitation.get_by_role("button", name="Registrar el paso"))
    expect(page.get_by_text("El avance quedó registrado.")).to_be_visible()
    assert_page_ok(page, "anchor after purchase order")
    saved = Invitation.objects.get(opportunity=opportunity)
    assert saved.status == "purchase_order" and str(saved.purchase_order_value_mxn) == "2500000.00"
