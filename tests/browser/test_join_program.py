"""An SME joins another program from its account and switches between its programs, at phone and desktop
size: every page fits and passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in
from tests.programs.factories import CriticalSupplyAreaFactory, ProgramFactory
from tests.suppliers.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def sme():
    contact = ContactFactory(
        with_user=True,
        language="es-mx",
        supplier__legal_name="Troqueles del Bajío, S.A. de C.V.",
        supplier__program__registration_open=False,
    )
    program = ProgramFactory(
        code="sdp-electrodomesticos",
        name_es="Desarrollo de Proveedores · Electrodomésticos",
        name_en="Supplier Development · Home Appliances",
        registration_open=True,
    )
    CriticalSupplyAreaFactory(program=program, code="LB-01", name_es="Inyección de plástico para gabinetes")
    CriticalSupplyAreaFactory(program=program, code="LB-02", name_es="Motores y compresores pequeños")
    return {"user": contact.user, "supplier": contact.supplier, "program": program}


def _open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#sdp-nav")).to_be_visible()


def test_an_sme_joins_another_program_and_switches_between_them(sized_page, live_server, sme):
    page = sized_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("suppliers:account"))
    expect(page.locator("#sdp-participation")).to_have_count(0)  # one program: no switcher
    page.locator("#programs").get_by_role("link", name="Mis programas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis programas")
    assert_page_ok(page, "programs")

    page.get_by_role("link", name="Unirse a Desarrollo de Proveedores · Electrodomésticos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unirse a Desarrollo de Proveedores · Electrodomésticos")
    assert_page_ok(page, "join")
    page.get_by_role("button", name="Unirse al programa").click()  # nothing chosen: the errors, nothing lost
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_page_ok(page, "join, with errors")
    page.get_by_label("Inyección de plástico para gabinetes").check()
    page.get_by_label("He leído el aviso de privacidad", exact=False).check()
    page.get_by_role("button", name="Unirse al programa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Troqueles del Bajío, S.A. de C.V.")
    expect(page.locator("main")).to_contain_text("Su empresa se unió a Desarrollo de Proveedores · Electrodomésticos")
    joined = Supplier.objects.get(program=sme["program"])
    assert joined.status == Supplier.Status.SUBMITTED and joined.company_id == sme["supplier"].company_id
    assert_page_ok(page, "account after joining")

    _open_menu(page)
    switcher = page.locator("#sdp-participation")
    expect(switcher).to_have_value(str(joined.pk))
    switcher.select_option(str(sme["supplier"].pk))
    page.locator(".sdp-switcher").get_by_role("button", name="Cambiar").click()
    expect(page.locator("main")).to_contain_text(f"Ahora trabaja en {sme['supplier'].program}")
    _open_menu(page)
    expect(page.locator("#sdp-participation")).to_have_value(str(sme["supplier"].pk))
    assert_page_ok(page, "account after switching")
