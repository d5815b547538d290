"""Registration pages, SME account, staff pages, permissions, rate limit and i18n."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import DimensionScore
from cohorts.models import Candidate
from core.concurrency import StaleObjectError
from core.models import OutboundMessage
from suppliers import services
from suppliers.models import Document, Supplier
from tests.assessments.factories import DiagnosticFactory, DimensionFactory
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok
from tests.programs.factories import UserFactory
from tests.suppliers.conftest import EXE_BYTES, PDF_BYTES, png_bytes, upload
from tests.suppliers.factories import ContactFactory, SupplierFactory
from tests.suppliers.helpers import complete_draft

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP = {
    "name": "Ana Pérez",
    "email": "ana@pyme.mx",
    "password1": "clave-segura-2025",
    "password2": "clave-segura-2025",
}


def company_post(catalog, **overrides):
    data = {
        "legal_name": "Troqueles del Bajío, S.A. de C.V.",
        "trade_name": "Troqueles",
        "rfc": "MAB9307148T4",
        "state": catalog["state"].pk,
        "municipality": "León",
        "scian_code": "336370",
        "year_founded": "1998",
        "employees": "40",
        "annual_sales_mdp": "20",
    }
    data.update(overrides)
    return data


# ---- landing page and language -------------------------------------------------------------------------


def test_home_is_spanish_by_default_and_english_after_switching(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Registrar mi empresa" in response.content.decode()
    assert '<html lang="es-mx">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/")
    assert "Register my company" in response.content.decode()


def test_privacy_notice_page(client, settings):
    response = client.get(reverse("suppliers:privacy"))
    assert response.status_code == 200 and settings.SDP_PRIVACY_NOTICE_VERSION in response.content.decode()
    assert "LFPDPPP" in response.content.decode()


# ---- sign-up, enumeration and rate limit -----------------------------------------------------------------


def test_signup_same_response_whether_email_exists_or_not(client, program):
    new = client.post(reverse("suppliers:signup"), SIGNUP)
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    existing = client.post(reverse("suppliers:signup"), {**SIGNUP, "email": "ya@pyme.mx"})
    assert new.status_code == existing.status_code == 302
    assert new["Location"] == existing["Location"] == reverse("suppliers:signup-sent")
    assert User.objects.get(username="ana@pyme.mx").is_active is False
    assert list(OutboundMessage.objects.order_by("id").values_list("template", flat=True)) == [
        "email_verification",
        "account_exists",
    ]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"password2": "otra-cosa-2025"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
        ({"email": "no-es-correo"}, "email"),
    ],
)
def test_signup_errors_next_to_fields(client, program, overrides, field):
    response = client.post(reverse("suppliers:signup"), {**SIGNUP, **overrides})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_rate_limited_per_email(client, program, settings):
    settings.SDP_RATELIMIT_REGISTRATION_EMAIL = (2, 3600)
    for _ in range(2):
        assert client.post(reverse("suppliers:signup"), SIGNUP).status_code == 302
    response = client.post(reverse("suppliers:signup"), SIGNUP)
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()


def test_signup_rate_limited_per_ip(client, program, settings):
    settings.SDP_RATELIMIT_REGISTRATION_IP = (3, 3600)
    codes = [
        client.post(reverse("suppliers:signup"), {**SIGNUP, "email": f"u{i}@pyme.mx"}).status_code for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    other_ip = client.post(reverse("suppliers:signup"), {**SIGNUP, "email": "z@pyme.mx"}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def test_verification_link_logs_in_and_continues(client, program):
    client.post(reverse("suppliers:signup"), SIGNUP)
    user = User.objects.get(username="ana@pyme.mx")
    response = client.get(reverse("suppliers:verify-email", args=[services.verification_token(user)]))
    assert response.status_code == 302 and response["Location"] == reverse("suppliers:company")
    assert client.get(reverse("suppliers:company")).status_code == 200
    client.logout()
    again = client.get(reverse("suppliers:verify-email", args=[services.verification_token(user)]))
    assert reverse("login") in again["Location"]  # a used link does not log in
    assert client.get(reverse("suppliers:company")).status_code == 302


def test_bad_verification_link(client):
    assert client.get(reverse("suppliers:verify-email", args=["tampered"])).status_code == 400


# ---- the steps ----------------------------------------------------------------------------------------


@pytest.fixture
def sme_client(client, sme_user):
    client.force_login(sme_user)
    return client


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"rfc": "MAB9313148T4"}, "rfc"),
        ({"rfc": "ABC"}, "rfc"),
        ({"annual_sales_mdp": "20000000"}, "annual_sales_mdp"),  # typed in pesos: asked, not taken
        ({"scian_code": "12345"}, "scian_code"),
        ({"employees": "-1"}, "employees"),
        ({"annual_sales_mdp": "-5"}, "annual_sales_mdp"),
        ({"year_founded": "2999"}, "year_founded"),
        ({"state": "9999"}, "state"),
    ],
)
def test_company_step_field_errors(sme_client, catalog, overrides, field):
    response = sme_client.post(reverse("suppliers:company"), company_post(catalog, **overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert f'id="field-{field}"' in response.content.decode()
    assert not Supplier.objects.exists()


def test_large_company_told_not_eligible_and_nothing_saved(sme_client, catalog):
    response = sme_client.post(
        reverse("suppliers:company"), company_post(catalog, employees="300", annual_sales_mdp="260")
    )
    assert response.status_code == 200
    assert "no_sme" not in response.content.decode()
    assert any("grande" in e or "large" in e for e in response.context["form"].non_field_errors())
    assert not Supplier.objects.exists()


def test_full_flow_through_the_steps(sme_client, sme_user, catalog):
    year = timezone.localdate().year
    assert sme_client.post(reverse("suppliers:company"), company_post(catalog))["Location"] == reverse(
        "suppliers:growth"
    )
    supplier = Supplier.objects.get()
    response = sme_client.post(
        reverse("suppliers:growth"),
        {
            "export_share": "15",
            f"sales_{year - 2}": "17.5",
            f"employees_{year - 2}": "35",
            f"sales_{year - 3}": "",
        },
    )
    assert response["Location"] == reverse("suppliers:market")
    std = catalog["standard"]
    response = sme_client.post(
        reverse("suppliers:market"),
        {
            "supply_areas": [catalog["area"].pk],
            "anchor_customers": [catalog["anchor"].pk],
            f"cert_{std.pk}": "on",
            f"cert_{std.pk}_expires": f"{year + 2}-06-30",
        },
    )
    assert response["Location"] == reverse("suppliers:finish")
    bad = sme_client.post(
        reverse("suppliers:finish"),
        {"phone": "477 123 4567", "csf": upload("constancia.pdf", EXE_BYTES), "accept_privacy": "on"},
    )
    assert bad.status_code == 200 and "csf" in bad.context["form"].errors
    assert not supplier.documents.exists()
    response = sme_client.post(
        reverse("suppliers:finish"),
        {
            "phone": "477 123 4567",
            "position": "Directora",
            "csf": upload("constancia.pdf", PDF_BYTES),
            "certificate": upload("iso.png", png_bytes(), "image/png"),
            "accept_privacy": "on",
        },
    )
    assert response["Location"] == reverse("suppliers:review")
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.DRAFT  # sent only from the check of the answers
    review = get_ok(sme_client, reverse("suppliers:review")).content.decode()
    assert "MAB9307148T4 (Persona moral)" in review and "17.5 millones de pesos" in review
    assert sme_client.post(reverse("suppliers:review"))["Location"] == reverse("suppliers:account")
    supplier.refresh_from_db()
    assert supplier.status == Supplier.Status.SUBMITTED
    assert supplier.export_share == Decimal("15")
    figures = supplier.annual_figures.order_by("year").values_list("year", "sales_mdp", "employees")
    assert list(figures) == [(year - 2, Decimal("17.5"), 35), (year - 1, Decimal("20"), 40)]
    assert supplier.certifications.get().expires_on.year == year + 2
    assert sorted(supplier.documents.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    assert str(supplier.contacts.get().phone) == "+524771234567"
    page = sme_client.get(reverse("suppliers:account")).content.decode()
    assert 'data-status="submitted"' in page


def test_save_and_finish_later(sme_client, catalog):
    response = sme_client.post(reverse("suppliers:company"), {**company_post(catalog), "save_exit": "1"})
    assert response["Location"] == reverse("suppliers:saved")
    page = sme_client.get(reverse("suppliers:account")).content.decode()
    assert 'data-status="draft"' in page


def test_expired_certificate_refused(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    std = catalog["standard"]
    response = sme_client.post(
        reverse("suppliers:market"),
        {"supply_areas": [catalog["area"].pk], f"cert_{std.pk}": "on", f"cert_{std.pk}_expires": "2001-01-01"},
    )
    assert response.status_code == 200 and f"cert_{std.pk}_expires" in response.context["form"].errors


# ---- account, permissions ---------------------------------------------------------------------------


@pytest.fixture
def submitted(sme_user, program, company_data):
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    services.supplier_submit(supplier=supplier, actor=sme_user)
    supplier.refresh_from_db()
    return supplier


def test_anonymous_is_sent_to_login(client):
    for name in ("suppliers:account", "suppliers:profile", "suppliers:company", "suppliers:staff-list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_sme_cannot_see_another_smes_document(client, submitted):
    other = ContactFactory(with_user=True)
    services.supplier_document_add(
        supplier=other.supplier, actor=other.user, kind=Document.Kind.OTHER, uploaded=upload("otro.pdf", PDF_BYTES)
    )
    client.force_login(submitted.contacts.get().user)
    own = submitted.documents.get()
    response = client.get(reverse("suppliers:document", args=[own.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(reverse("suppliers:document", args=[other.supplier.documents.get().pk])).status_code == 404
    assert client.get(reverse("suppliers:staff-detail", args=[other.supplier.pk])).status_code == 403


def test_staff_can_download_any_document(staff_client, submitted):
    assert staff_client.get(reverse("suppliers:document", args=[submitted.documents.get().pk])).status_code == 200


def test_profile_edit_and_stale_version(sme_client, submitted):
    url = reverse("suppliers:profile")
    form = sme_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("supply_areas", "anchor_customers")}
    data.update({"state": submitted.state_id, "employees": "55"})
    assert sme_client.post(url, data)["Location"] == reverse("suppliers:account")
    submitted.refresh_from_db()
    assert submitted.employees == 55
    response = sme_client.post(url, data)  # the same (now old) version again
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_profile_closed_redirects(sme_client, submitted, program):
    program.profile_editing_open = False
    program.save()
    assert sme_client.get(reverse("suppliers:profile"))["Location"] == reverse("suppliers:account")


def test_account_shows_published_diagnostic_and_decided_candidacy_only(sme_client, submitted):
    dimension = DimensionFactory(name_es="Calidad")
    diagnostic = DiagnosticFactory(
        supplier=submitted, framework=dimension.framework, overall_score=Decimal("72.5"), maturity_level=3
    )
    DimensionScore.objects.create(diagnostic=diagnostic, dimension=dimension, score=Decimal("72.5"))
    candidate = CandidateFactory(supplier=submitted)
    page = sme_client.get(reverse("suppliers:account")).content.decode()
    assert "72.5" not in page and 'id="decisions"' not in page
    diagnostic.published_at = timezone.now()
    diagnostic.save()
    candidate.status = Candidate.Status.WAITLISTED
    candidate.decision_reason = "Cupo del área de estampado completo"
    candidate.save()
    page = sme_client.get(reverse("suppliers:account")).content.decode()
    assert "72.5" in page and "Calidad" in page and "Cupo del área de estampado completo" in page


def test_other_smes_diagnostic_not_shown(sme_client, submitted):
    other = SupplierFactory()
    dimension = DimensionFactory()
    DiagnosticFactory(
        supplier=other,
        framework=dimension.framework,
        overall_score=Decimal("91.25"),
        maturity_level=4,
        published_at=timezone.now(),
    )
    assert "91.25" not in sme_client.get(reverse("suppliers:account")).content.decode()


# ---- staff pages ------------------------------------------------------------------------------------


def test_non_staff_refused_staff_pages(client, sme_user, submitted):
    client.force_login(sme_user)
    assert client.get(reverse("suppliers:staff-list")).status_code == 403
    assert client.post(reverse("suppliers:staff-detail", args=[submitted.pk]), {"action": "verify"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.SUBMITTED


def test_staff_list_filters(staff_client, submitted, program):
    warn = SupplierFactory(program=program, rfc_checksum_valid=False, legal_name="Con advertencia")
    dup = SupplierFactory(
        program=program,
        rfc=submitted.rfc,
        status=Supplier.Status.DUPLICATE,
        duplicate_of=submitted,
        legal_name="Repetida",
    )
    url = reverse("suppliers:staff-list")

    def names(params):
        return {s.legal_name for s in staff_client.get(url, params).context["page"]}

    assert names({}) == {submitted.legal_name, warn.legal_name, dup.legal_name}
    assert names({"status": "duplicate"}) == {dup.legal_name}
    assert names({"rfc_warning": "true"}) == {warn.legal_name}
    assert names({"has_duplicates": "true"}) == {submitted.legal_name, dup.legal_name}
    assert names({"state": submitted.state_id, "status": "submitted"}) == {submitted.legal_name}


def test_staff_list_queries_do_not_grow(staff_client, program, django_assert_max_num_queries):
    for _ in range(3):
        ContactFactory(supplier=SupplierFactory(program=program))
    with django_assert_max_num_queries(12) as few:
        get_ok(staff_client, reverse("suppliers:staff-list"))
    for _ in range(20):
        ContactFactory(supplier=SupplierFactory(program=program))
    with django_assert_max_num_queries(len(few.captured_queries)):
        get_ok(staff_client, reverse("suppliers:staff-list"))


def test_staff_detail_decisions(staff_client, submitted):
    url = reverse("suppliers:staff-detail", args=[submitted.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"action": "reject", "reject-reason": "", "version": submitted.version})
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.SUBMITTED
    staff_client.post(url, {"action": "verify", "version": submitted.version})
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.VERIFIED
    staff_client.post(url, {"action": "reject", "reject-reason": "Datos falsos", "version": submitted.version})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (Supplier.Status.REJECTED, "Datos falsos")


def test_staff_detail_form_carries_the_version(staff_client, submitted):
    page = staff_client.get(reverse("suppliers:staff-detail", args=[submitted.pk])).content.decode()
    assert page.count(f'name="version" value="{submitted.version}"') == 3


@pytest.mark.parametrize(
    "post",
    [
        {"action": "verify"},
        {"action": "reject", "reject-reason": "Datos falsos"},
    ],
)
def test_staff_decision_on_stale_page_is_refused(staff_client, submitted, post):
    url = reverse("suppliers:staff-detail", args=[submitted.pk])
    read_version = submitted.version
    services.supplier_update_profile(
        supplier=submitted,
        actor=submitted.contacts.get().user,
        expected_version=read_version,
        changes={"employees": 41},
    )
    response = staff_client.post(url, {**post, "version": read_version})
    assert response.status_code == 409
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [str(StaleObjectError.message)] and shown[0] in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (Supplier.Status.SUBMITTED, "")


def test_rfc_warning_shown_to_staff_only(staff_client, client, sme_user, program, company_data):
    supplier = complete_draft(user=sme_user, program=program, data={**company_data, "rfc": "MAB9307148T5"})
    services.supplier_submit(supplier=supplier, actor=sme_user)
    assert (
        'id="rfc-warning"' in staff_client.get(reverse("suppliers:staff-detail", args=[supplier.pk])).content.decode()
    )
    client.force_login(sme_user)
    page = client.get(reverse("suppliers:account")).content.decode()
    assert "rfc-warning" not in page and "check digit" not in page


def test_admin_actions_call_services(staff_client, submitted):
    url = reverse("admin:suppliers_supplier_changelist")
    staff_client.post(url, {"action": "verify_registrations", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert submitted.status == Supplier.Status.VERIFIED
    response = staff_client.post(url, {"action": "reject_registrations", "_selected_action": [submitted.pk]})
    assert response.status_code == 200  # asks for the reason
    staff_client.post(
        url,
        {
            "action": "reject_registrations",
            "_selected_action": [submitted.pk],
            "apply": "1",
            "reason": "No fabrica autopartes",
        },
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (Supplier.Status.REJECTED, "No fabrica autopartes")


def test_password_reset_same_response(client):
    UserFactory(username="ya@pyme.mx", email="ya@pyme.mx")
    a = client.post(reverse("password_reset"), {"email": "ya@pyme.mx"})
    b = client.post(reverse("password_reset"), {"email": "nadie@pyme.mx"})
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]


def test_the_admin_shows_a_supplier_and_edits_go_through_the_services(staff_client, submitted):
    """Profile edits (size and sector derived, version bumped, audited) are the staff page's and the API's."""
    url = reverse("admin:suppliers_supplier_change", args=[submitted.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"legal_name": "Otra", "employees": 600}).status_code == 403
    supplier = Supplier.objects.get(pk=submitted.pk)
    assert (supplier.legal_name, supplier.version) == (submitted.legal_name, submitted.version)
