"""A financing case from referral to disbursement in the browser, at phone and desktop size: the SME asks
for a NAFIN credit from its account, staff record the application, the approval and two disbursements (a
third, over the approved amount, is refused), and the SME sees the money. Every page fits the screen and
passes axe-core."""

import pytest
from playwright.sync_api import expect

from support.models import FinancingCase
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, log_out, open_menu
from tests.support.factories import SupportWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_case_runs_from_referral_to_disbursement(sized_page, live_server):
    world = SupportWorld()
    page = sized_page

    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mi financiamiento"))
    assert_page_ok(page, "SME financing")
    page.get_by_label("Institución", exact=True).select_option("nafin")
    page.get_by_label("Producto", exact=True).select_option("credit")
    page.get_by_label("Banco intermediario (si lo hay)").fill("Banorte")
    page.get_by_label("Monto solicitado (MXN)").fill("1200000")
    page.get_by_label("Para qué es el financiamiento").fill("Una prensa para el nuevo contrato de estampado")
    go(page, page.get_by_role("button", name="Enviar la solicitud"))
    expect(page.get_by_text("Su solicitud se envió al personal del programa, que la remitirá.")).to_be_visible()
    assert_page_ok(page, "SME case")
    case = FinancingCase.objects.get()
    assert case.status == "referral" and case.amount_requested == 1200000
    log_out(page)

    log_in(page, live_server, world.staff.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Financiamiento", exact=True))
    assert_page_ok(page, "staff pipeline")
    go(page, page.get_by_role("link", name=str(world.supplier)))
    assert_page_ok(page, "staff case")

    page.get_by_label("Nuevo paso").select_option("application")
    go(page, page.get_by_role("button", name="Registrar el paso"))
    expect(page.get_by_text("El caso pasó a su nuevo paso.")).to_be_visible()
    page.get_by_label("Nuevo paso").select_option("approved")
    page.get_by_label("Monto aprobado (MXN)").fill("1000000")
    go(page, page.get_by_role("button", name="Registrar el paso"))
    expect(page.get_by_text("El caso pasó a su nuevo paso.")).to_be_visible()

    page.get_by_label("Monto dispersado (MXN)").fill("600000")
    page.get_by_label("Referencia (opcional)").fill("SPEI 001")
    go(page, page.get_by_role("button", name="Registrar la dispersión"))
    expect(page.get_by_text("La dispersión quedó registrada.")).to_be_visible()
    page.get_by_label("Monto dispersado (MXN)").fill("500000")
    go(page, page.get_by_role("button", name="Registrar la dispersión"))
    expect(page.locator("#id_pay-amount_error")).to_contain_text("Esto dispersaría más de lo aprobado")
    assert_page_ok(page, "staff case, disbursement refused")
    page.get_by_label("Monto dispersado (MXN)").fill("400000")
    go(page, page.get_by_role("button", name="Registrar la dispersión"))
    expect(page.get_by_text("La dispersión quedó registrada.")).to_be_visible()
    assert_page_ok(page, "staff case disbursed")
    case.refresh_from_db()
    assert case.status == "disbursed" and case.amount_disbursed == 1000000 and case.disbursements.count() == 2
    log_out(page)

    log_in(page, live_server, world.sme_user.username, PASSWORD)
    open_menu(page)
    go(page, page.get_by_role("link", name="Mi financiamiento"))
    go(page, page.locator(f"main a[href='/mi-cuenta/financiamiento/{case.pk}/']"))
    expect(page.get_by_test_id("disbursed")).to_have_text("$1,000,000 MXN")
    assert_page_ok(page, "SME case disbursed")
