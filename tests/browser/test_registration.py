"""The whole registration in real headless Chromium on a phone-sized viewport, in Spanish."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.conftest import open_menu
from tests.programs.factories import (
    AnchorCompanyFactory,
    CertificationStandardFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
    StateFactory,
)
from tests.suppliers.conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "direccion@troquelesbajio.mx"
PASSWORD = "Troqueles-2025-seguro"


@pytest.fixture
def catalog(settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    program = ProgramFactory()
    state = StateFactory()
    area = CriticalSupplyAreaFactory(program=program, name_es="Estampado de metal", name_en="Metal stamping")
    anchor = AnchorCompanyFactory(program=program, name="Automotriz Ancla")
    standard = CertificationStandardFactory(code="iatf-16949", name="IATF 16949")
    return {"state": state, "area": area, "anchor": anchor, "standard": standard}


def test_sme_registers_on_a_phone_in_spanish(phone_page, live_server, catalog, tmp_path):
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")
    page.get_by_role("link", name="Registrar mi empresa").first.click()

    # Step 1: the account.
    expect(page.get_by_role("heading", name="Cree su cuenta")).to_be_visible()
    page.fill("#id_name", "Laura Méndez")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()

    # The verification email, captured by the locmem backend in this process.
    assert mail.outbox, "no email was sent"
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "Confirme" in message.subject
    link = re.search(r"https?://\S+/registro/verificar/\S+/", message.body).group(0)
    page.goto(link)

    # Step 2: the company, first with a malformed RFC.
    expect(page.get_by_role("heading", name="Su empresa")).to_be_visible()
    page.fill("#id_legal_name", "Troqueles del Bajío, S.A. de C.V.")
    page.fill("#id_trade_name", "Troqueles del Bajío")
    page.fill("#id_rfc", "MAB9313148T4")
    page.locator("#field-person_type input[value=moral]").check()
    page.select_option("#id_state", str(catalog["state"].pk))
    page.fill("#id_municipality", "León")
    page.fill("#id_scian_code", "336370")
    page.fill("#id_year_founded", "1998")
    page.fill("#id_employees", "40")
    page.fill("#id_annual_sales_mdp", "20")
    page.get_by_role("button", name="Guardar y continuar").click()
    error = page.locator("#field-rfc .invalid-feedback")
    expect(error).to_be_visible()
    expect(error).to_contain_text("RFC no es válido")
    assert not Supplier.objects.exists()
    box = page.locator("#id_rfc").bounding_box()
    assert box["width"] <= 390 and box["height"] >= 40  # fits the phone, big enough to touch

    page.fill("#id_rfc", "MAB9307148T4")
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 3: growth.
    expect(page.get_by_role("heading", name="Ventas y crecimiento")).to_be_visible()
    year = timezone.localdate().year
    page.fill("#id_export_share", "12.5")
    for offset, sales, employees in ((1, "20", "40"), (2, "17.5", "36"), (3, "15", "33")):
        page.fill(f"#id_sales_{year - offset}", sales)
        page.fill(f"#id_employees_{year - offset}", employees)
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 4: supply areas, customers, certifications.
    expect(page.get_by_role("heading", name="Qué suministra")).to_be_visible()
    page.get_by_label("Estampado de metal").check()
    page.get_by_label("Automotriz Ancla").check()
    standard = catalog["standard"]
    page.locator(f"#id_cert_{standard.pk}").check()
    page.fill(f"#id_cert_{standard.pk}_expires", f"{year + 2}-03-31")
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 5: contact, documents, privacy notice.
    expect(page.get_by_role("heading", name="Contacto y documentos")).to_be_visible()
    page.fill("#id_position", "Directora general")
    page.fill("#id_phone", "477 123 4567")
    csf = tmp_path / "constancia.pdf"
    csf.write_bytes(PDF_BYTES)
    page.set_input_files("#id_csf", str(csf))
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Enviar registro").click()

    expect(page.locator("#registration-status")).to_contain_text("Enviada")
    supplier = Supplier.objects.get()
    assert supplier.status == Supplier.Status.SUBMITTED
    assert supplier.supply_areas.get() == catalog["area"] and supplier.anchor_customers.get() == catalog["anchor"]
    assert supplier.annual_figures.count() == 3 and supplier.certifications.count() == 1
    assert supplier.documents.get().content_type == "application/pdf"
    assert supplier.privacy_accepted_at is not None

    # Log out, log back in, and see the dashboard.
    open_menu(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    page.goto(live_server.url + "/mi-cuenta/")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Troqueles del Bajío")).to_be_visible()
    expect(page.locator("#registration-status")).to_contain_text("Enviada")
    expect(page.locator(".timeline")).to_contain_text("Enviada")


def test_language_selector_switches_to_english_on_a_phone(phone_page, live_server, catalog):
    page = phone_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Registrar mi empresa").first).to_be_visible()
    open_menu(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Register my company").first.click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_role("button", name="Create account").click()  # empty form: errors next to the fields
    expect(page.locator("#field-email .invalid-feedback")).to_contain_text("required")
