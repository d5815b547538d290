"""The SME's pages after registration, at phone and desktop size: they fit, pass axe-core, and the
diagnostic results speak plainly (no codes), with a legible chart, its legend and a one-page print."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.models import Dimension, Question
from programs.models import AreaRequirement
from suppliers import services as supplier_services
from suppliers.models import Document
from tests.assessments.factories import build_framework
from tests.browser.a11y import assert_page_ok
from tests.browser.conftest import log_in
from tests.programs.factories import CertificationStandardFactory, CriticalSupplyAreaFactory, UserFactory
from tests.suppliers.conftest import PDF_BYTES
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
LONG_NAME = "Cadena de suministro y logística"
# The reference framework's nine dimensions (their Spanish names: long ones wrap, single long words do not).
DIMENSIONS = (
    ("quality", "Calidad", 20, 4),
    ("production", "Producción", 15, 3),
    ("supply", LONG_NAME, 15, 2),
    ("engineering", "Ingeniería", 10, 3),
    ("management", "Gestión y estrategia", 10, 3),
    ("finance", "Finanzas", 10, 2),
    ("people", "Personas", 10, 5),
    ("sustainability", "Sostenibilidad", 5, 3),
    ("digital", "Digitalización", 5, 3),
)  # code, name, weight, the level of each of its three answers: overall 53.75, level 3


@pytest.fixture
def sme(settings, tmp_path):
    """An SME with a document and a published diagnostic against one supply area it wants to serve."""
    settings.MEDIA_ROOT = tmp_path / "media"
    framework = build_framework(dimensions=[(code, weight, 3) for code, _name, weight, _level in DIMENSIONS])
    for code, name, _weight, _level in DIMENSIONS:
        Dimension.objects.filter(framework=framework, code=code).update(name_es=name)
    levels = {code: level for code, _name, _weight, level in DIMENSIONS}
    area = CriticalSupplyAreaFactory(code="STAMP", name_es="Estampado de metal", name_en="Metal stamping")
    AreaRequirement.objects.create(area=area, dimension_code="quality", minimum_score=Decimal("70"))
    AreaRequirement.objects.create(area=area, dimension_code="supply", minimum_score=Decimal("60"))
    area.required_certifications.add(CertificationStandardFactory(code="iatf-16949", name="IATF 16949"))
    supplier = SupplierFactory(program=area.program, legal_name="Troqueles del Bajío, S.A. de C.V.")
    supplier.supply_areas.add(area)
    contact = ContactFactory(supplier=supplier, with_user=True, language="es-mx")
    staff = UserFactory(is_staff=True)
    supplier_services.supplier_document_add(
        supplier=supplier,
        actor=contact.user,
        kind=Document.Kind.TAX_CERTIFICATE,
        uploaded=SimpleUploadedFile("constancia.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    diagnostic = assessment_services.diagnostic_schedule(
        supplier=supplier, framework=framework, scheduled_for=datetime.date(2026, 3, 2), assessor=staff, actor=staff
    )
    answers = [
        {"question": q.pk, "level": levels[q.dimension.code], "evidence": "evidencia"}
        for q in Question.objects.filter(dimension__framework=framework).select_related("dimension")
    ]
    assessment_services.diagnostic_answers_save(
        diagnostic=diagnostic, answers=answers, expected_version=diagnostic.version, actor=staff
    )
    for action in ("diagnostic_submit", "diagnostic_validate", "diagnostic_publish"):
        diagnostic.refresh_from_db()
        getattr(assessment_services, action)(diagnostic=diagnostic, expected_version=diagnostic.version, actor=staff)
    diagnostic.refresh_from_db()
    assert diagnostic.published_at is not None
    return {"user": contact.user, "supplier": supplier, "diagnostic": diagnostic}


def test_every_sme_page_fits_and_passes_axe(sized_page, live_server, sme):
    page = sized_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    pages = {
        "account": reverse("suppliers:account"),
        "profile": reverse("suppliers:profile"),
        "my data": reverse("privacy:my-data"),
        "results": reverse("assessments:sme-results", args=[sme["diagnostic"].pk]),
        "home, logged in": reverse("home"),
    }
    for label, url in pages.items():
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_be_visible()
        assert_page_ok(page, label)


def test_the_account_page_leads_to_the_results_and_lists_the_documents(sized_page, live_server, sme):
    page = sized_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("suppliers:account"))
    expect(page.locator("h1")).to_have_text("Troqueles del Bajío, S.A. de C.V.")
    expect(page.locator("#documents")).to_contain_text("constancia.pdf")
    expect(page.locator(".breadcrumb")).to_have_count(0)  # the account is the top of the SME's pages
    page.locator("#diagnostics").get_by_role("link", name="Ver sus resultados").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultados de su diagnóstico")
    expect(page.locator(".breadcrumb")).to_contain_text("Mi cuenta")


def test_the_results_page_speaks_plainly_with_a_legible_chart(sized_page, live_server, sme):
    page = sized_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("assessments:sme-results", args=[sme["diagnostic"].pk]))
    text = page.locator("main").inner_text()
    assert "iatf-16949" not in text and "STAMP" not in text and "quality" not in text
    assert "IATF 16949" in text and "Estampado de metal" in text
    # The level with its band, the strongest and weakest dimensions, the area as meets / still needs.
    expect(page.locator("#summary")).to_contain_text("Nivel 3 de 5")
    expect(page.locator("#strongest")).to_contain_text("Personas")
    expect(page.locator("#strongest")).to_contain_text("Calidad")
    expect(page.locator("#weakest")).to_contain_text("Finanzas")
    expect(page.locator("#areas")).to_contain_text("Le falta")
    expect(page.locator("#next-steps li").first).to_contain_text(LONG_NAME)
    # The chart: a legend (the score and the area's minimum), a table with the same figures.
    legend = page.locator("#chart .sdp-legend li")
    expect(legend).to_have_count(2)
    expect(legend.nth(0)).to_have_text("Su puntaje")
    expect(legend.nth(1)).to_contain_text("Estampado de metal")
    expect(page.locator("#scores-table tbody tr")).to_have_count(len(DIMENSIONS))
    # Every label is drawn at 12 px or more and lies wholly inside the chart.
    sizes = page.evaluate(
        """() => {
          const svg = document.querySelector('#chart svg.radar');
          const box = svg.getBoundingClientRect();
          const scale = box.width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text.radar-label')].map(t => {
            const r = t.getBoundingClientRect();
            return {
              px: parseFloat(t.getAttribute('font-size')) * scale,
              inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5
                && r.bottom <= box.bottom + 0.5,
              text: t.textContent,
            };
          });
        }"""
    )
    assert len(sizes) == len(DIMENSIONS)
    for label in sizes:
        assert label["px"] >= 12, label
        assert label["inside"], label


def test_the_printed_summary_is_one_a4_page(browser, live_server, sme):
    context = browser.new_context(locale="es-MX")
    page = context.new_page()
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("assessments:sme-results", args=[sme["diagnostic"].pk]))
    expect(page.get_by_role("button", name="Imprimir resumen")).to_be_visible()
    page.emulate_media(media="print")
    assert page.locator("#advice").is_hidden()  # the detail stays on screen; the summary prints
    assert page.locator(".sdp-print-only").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    context.close()
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page/") == 1


def test_a_new_privacy_notice_is_asked_for_on_a_page_that_fits(sized_page, live_server, sme):
    supplier = sme["supplier"]
    supplier.privacy_notice_version = "2020-01"
    supplier.save(update_fields=["privacy_notice_version"])
    page = sized_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("suppliers:account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuestro aviso de privacidad cambió")
    assert_page_ok(page, "privacy accept")


def test_erasing_personal_data_asks_first_and_nothing_happens_when_declined(phone_page, live_server, sme):
    page = phone_page
    log_in(page, live_server, sme["user"].username, PASSWORD)
    page.goto(live_server.url + reverse("privacy:my-data"))
    page.fill("#id_confirm_rfc", sme["supplier"].rfc)
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="Eliminar mis datos personales").click()
    assert questions and "no se puede deshacer" in questions[0]
    expect(page.get_by_role("heading", level=1)).to_have_text("Sus datos personales (derechos ARCO)")
    sme["supplier"].refresh_from_db()
    assert sme["supplier"].personal_data_erased_at is None
