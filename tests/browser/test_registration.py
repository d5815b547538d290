"""The registration in real headless Chromium, in Spanish, at phone and desktop size: every step fits and passes
axe-core; drafts, the sales question, certifications and kept files as a person meets them."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in, log_out, open_menu
from tests.programs.factories import (
    AnchorCompanyFactory,
    CertificationStandardFactory,
    CriticalSupplyAreaFactory,
    ProgramFactory,
    StateFactory,
    UserFactory,
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


def test_sme_registers_in_spanish_at_phone_and_desktop_size(sized_page, live_server, catalog, tmp_path):
    page = sized_page
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")
    page.get_by_role("link", name="Registrar mi empresa").first.click()

    # Step 1: the account.
    expect(page.get_by_role("heading", name="Cree su cuenta")).to_be_visible()
    assert_page_ok(page, "signup")
    page.fill("#id_name", "Laura Méndez")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("heading", name="Revise su correo")).to_be_visible()
    assert_page_ok(page, "signup sent")

    # The verification email, captured by the locmem backend in this process.
    assert mail.outbox, "no email was sent"
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "Confirme" in message.subject
    link = re.search(r"https?://\S+/registro/verificar/\S+/", message.body).group(0)
    page.goto(link)

    # Step 2: the company, first with a malformed RFC. No person type question: the RFC tells it.
    expect(page.get_by_role("heading", name="Su empresa")).to_be_visible()
    assert page.locator("[name=person_type]").count() == 0
    assert_page_ok(page, "company")
    page.fill("#id_legal_name", "Troqueles del Bajío, S.A. de C.V.")
    page.fill("#id_trade_name", "Troqueles del Bajío")
    page.fill("#id_rfc", "MAB9313148T4")
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
    # The error summary at the top links to the field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_rfc")).to_be_focused()
    assert_page_ok(page, "company with an error")
    assert not Supplier.objects.exists()
    box = page.locator("#id_rfc").bounding_box()
    assert box["width"] <= 1440 and box["height"] >= 40  # big enough to touch

    page.fill("#id_rfc", "MAB9307148T4")
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 3: growth (the last year's sales were asked with the company).
    expect(page.get_by_role("heading", name="Ventas y crecimiento")).to_be_visible()
    assert_page_ok(page, "growth")
    year = timezone.localdate().year
    assert page.locator(f"#id_sales_{year - 1}").count() == 0
    page.fill("#id_export_share", "12.5")
    for offset, sales, employees in ((2, "17.5", "36"), (3, "15", "33")):
        page.fill(f"#id_sales_{year - offset}", sales)
        page.fill(f"#id_employees_{year - offset}", employees)
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 4: supply areas, customers, certifications. No supply area is an error.
    expect(page.get_by_role("heading", name="Qué suministra")).to_be_visible()
    standard = catalog["standard"]
    expiry = page.locator(f"#id_cert_{standard.pk}_expires")
    expect(expiry).to_be_hidden()
    assert_page_ok(page, "market")
    page.get_by_label("Automotriz Ancla").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.locator("#field-supply_areas .invalid-feedback")).to_contain_text("Elija al menos un área")
    assert_page_ok(page, "market with an error")
    page.get_by_label("Estampado de metal").check()
    page.locator(f"#id_cert_{standard.pk}").check()
    expect(expiry).to_be_visible()
    page.fill(f"#id_cert_{standard.pk}_expires", f"{year + 2}-03-31")
    page.get_by_role("button", name="Guardar y continuar").click()

    # Step 5: contact, documents, privacy notice.
    expect(page.get_by_role("heading", name="Contacto y documentos")).to_be_visible()
    assert_page_ok(page, "documents")
    expect(page.locator("#field-csf label")).not_to_contain_text("opcional")
    page.fill("#id_position", "Directora general")
    page.fill("#id_phone", "477 123 4567")
    csf = tmp_path / "constancia.pdf"
    csf.write_bytes(PDF_BYTES)
    page.set_input_files("#id_csf", str(csf))
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Guardar y continuar").click()

    # Check the answers, then send.
    expect(page.get_by_role("heading", name="Revise sus respuestas antes de enviar")).to_be_visible()
    assert_page_ok(page, "review")
    expect(page.locator("main")).to_contain_text("MAB9307148T4 (Persona moral)")
    expect(page.locator("main")).to_contain_text("constancia.pdf")
    assert Supplier.objects.get().status == Supplier.Status.DRAFT
    page.get_by_role("button", name="Enviar registro").click()

    expect(page.locator("#registration-status")).to_contain_text("Enviad")
    supplier = Supplier.objects.get()
    assert supplier.status == Supplier.Status.SUBMITTED
    assert supplier.supply_areas.get() == catalog["area"] and supplier.anchor_customers.get() == catalog["anchor"]
    assert supplier.annual_figures.count() == 3 and supplier.certifications.count() == 1
    assert supplier.documents.get().content_type == "application/pdf"
    assert supplier.privacy_accepted_at is not None

    # Log out, log back in: the account.
    open_menu(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    log_in(page, live_server, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="Troqueles del Bajío")).to_be_visible()
    expect(page.locator("#registration-status")).to_contain_text("Enviad")


@pytest.fixture
def sme(catalog):
    """A verified SME account with nothing registered yet."""
    from core import audit
    from suppliers.services.accounts import EMAIL_VERIFIED_ACTION

    user = UserFactory(username=EMAIL, email=EMAIL, first_name="Laura Méndez", password=PASSWORD)
    audit.record(user, action=EMAIL_VERIFIED_ACTION, actor=user)
    return user


def _fill_company(page, catalog, sales="20"):
    page.fill("#id_legal_name", "Troqueles del Bajío, S.A. de C.V.")
    page.fill("#id_rfc", "MAB9307148T4")
    page.select_option("#id_state", str(catalog["state"].pk))
    page.fill("#id_municipality", "León")
    page.fill("#id_scian_code", "336370")
    page.fill("#id_year_founded", "1998")
    page.fill("#id_employees", "40")
    page.fill("#id_annual_sales_mdp", sales)


def test_save_and_finish_later_then_log_in_and_continue(phone_page, live_server, catalog, sme):
    page = phone_page
    log_in(page, live_server, EMAIL, PASSWORD)
    page.goto(live_server.url + "/registro/empresa/")
    page.fill("#id_legal_name", "Troqueles del Bajío")
    page.fill("#id_rfc", "MAB930")  # half typed
    page.get_by_role("button", name="Guardar y terminar después").click()
    expect(page.get_by_role("heading", name="Su registro está guardado")).to_be_visible()
    assert_page_ok(page, "saved")
    assert not Supplier.objects.exists()

    log_out(page)
    log_in(page, live_server, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="Su empresa")).to_be_visible()
    expect(page.locator("#id_legal_name")).to_have_value("Troqueles del Bajío")
    expect(page.locator("#id_rfc")).to_have_value("MAB930")
    assert page.locator(".invalid-feedback").count() == 0

    _fill_company(page, catalog)
    page.get_by_role("button", name="Guardar y terminar después").click()
    expect(page.get_by_role("heading", name="Su registro está guardado")).to_be_visible()
    log_out(page)
    log_in(page, live_server, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="Ventas y crecimiento")).to_be_visible()


def test_sales_typed_in_pesos_are_asked_about(phone_page, live_server, catalog, sme):
    page = phone_page
    log_in(page, live_server, EMAIL, PASSWORD)
    page.goto(live_server.url + "/registro/empresa/")
    _fill_company(page, catalog, sales="20000000")
    page.get_by_role("button", name="Guardar y continuar").click()
    error = page.locator("#field-annual_sales_mdp .invalid-feedback")
    expect(error).to_contain_text("¿Quiso decir 20 millones de pesos?")
    expect(page.locator("main")).not_to_contain_text("grande")
    assert_page_ok(page, "sales question")
    page.get_by_label("La escribí en pesos: usar 20 millones de pesos").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name="Ventas y crecimiento")).to_be_visible()
    assert Supplier.objects.get().annual_sales_mdp == 20


def test_a_chosen_file_is_kept_when_another_field_has_an_error(phone_page, live_server, catalog, sme, tmp_path):
    page = phone_page
    log_in(page, live_server, EMAIL, PASSWORD)
    page.goto(live_server.url + "/registro/empresa/")
    _fill_company(page, catalog)
    page.get_by_role("button", name="Guardar y continuar").click()
    page.goto(live_server.url + "/registro/mercado/")
    page.get_by_label("Estampado de metal").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name="Contacto y documentos")).to_be_visible()

    csf = tmp_path / "constancia.pdf"
    csf.write_bytes(PDF_BYTES)
    page.fill("#id_phone", "12")  # too short
    page.set_input_files("#id_csf", str(csf))
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.locator("#field-phone .invalid-feedback")).to_be_visible()
    expect(page.locator("#received-csf")).to_contain_text("Archivo recibido: constancia.pdf")
    assert_page_ok(page, "documents with a kept file")

    page.fill("#id_phone", "477 123 4567")
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name="Revise sus respuestas antes de enviar")).to_be_visible()
    expect(page.locator("main")).to_contain_text("constancia.pdf")


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
