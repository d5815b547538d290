"""The registration steps as a person meets them: drafts kept as typed, resuming after logging in, the sales
magnitude question, the person type taken from the RFC, supply areas, certifications and documents."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from suppliers import services
from suppliers.models import Document, RegistrationDraft, Supplier
from suppliers.stratification import sales_doubt
from tests.conftest import get_ok
from tests.suppliers.conftest import EXE_BYTES, PDF_BYTES, upload
from tests.suppliers.test_views import company_post

pytestmark = pytest.mark.django_db

PASSWORD = "clave-segura-2025"


@pytest.fixture
def sme_client(client, sme_user):
    sme_user.set_password(PASSWORD)
    sme_user.save()
    client.force_login(sme_user)
    return client


def _log_in_again(client, user):
    client.logout()
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


# ---- save and finish later ------------------------------------------------------------------------------


def test_a_half_filled_company_step_is_kept_as_typed_without_errors(sme_client, sme_user, catalog):
    response = sme_client.post(
        reverse("suppliers:company"), {"legal_name": "Troqueles del Bajío", "rfc": "MAB93", "save_exit": ""}
    )
    assert response["Location"] == reverse("suppliers:saved")
    assert not Supplier.objects.exists()  # nothing incomplete becomes a registration
    draft = RegistrationDraft.objects.get(user=sme_user)
    assert draft.step == "company" and draft.answers["company"]["legal_name"] == ["Troqueles del Bajío"]
    assert "csrfmiddlewaretoken" not in draft.answers["company"] and "save_exit" not in draft.answers["company"]
    assert AuditEvent.objects.filter(action="draft_kept").exists()

    # Logging in again takes the SME back to the step, with what it typed and no error.
    assert _log_in_again(sme_client, sme_user)["Location"] == reverse("suppliers:company")
    page = get_ok(sme_client, reverse("suppliers:company"))
    html = page.content.decode()
    assert 'value="Troqueles del Bajío"' in html and 'value="MAB93"' in html
    assert not page.context["form"].errors and "invalid-feedback" not in html

    # Finished for real: the kept answers are forgotten, the next visit resumes at the next step.
    assert sme_client.post(reverse("suppliers:company"), company_post(catalog))["Location"] == reverse(
        "suppliers:growth"
    )
    draft.refresh_from_db()
    assert draft.step == "growth" and "company" not in draft.answers
    assert _log_in_again(sme_client, sme_user)["Location"] == reverse("suppliers:growth")


def test_a_complete_step_saved_for_later_is_saved_for_real(sme_client, sme_user, catalog):
    response = sme_client.post(reverse("suppliers:company"), {**company_post(catalog), "save_exit": ""})
    assert response["Location"] == reverse("suppliers:saved")
    assert Supplier.objects.get().legal_name.startswith("Troqueles")
    assert _log_in_again(sme_client, sme_user)["Location"] == reverse("suppliers:growth")


def test_a_half_filled_later_step_keeps_its_answers_and_the_saved_ones(sme_client, sme_user, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    std = catalog["standard"]
    response = sme_client.post(
        reverse("suppliers:market"),
        {"anchor_customers": [catalog["anchor"].pk], f"cert_{std.pk}": "on", "save_exit": ""},
    )
    assert response["Location"] == reverse("suppliers:saved")
    assert _log_in_again(sme_client, sme_user)["Location"] == reverse("suppliers:market")
    form = get_ok(sme_client, reverse("suppliers:market")).context["form"]
    assert not form.errors
    assert form[f"cert_{std.pk}"].value() and [str(v) for v in form["anchor_customers"].value()] == [
        str(catalog["anchor"].pk)
    ]


def test_login_with_a_next_goes_there_and_other_roles_are_not_redirected(client, sme_user, staff_user):
    sme_user.set_password(PASSWORD)
    sme_user.save()
    services.registration_draft_keep(user=sme_user, step="market", answers={})
    response = client.post(
        reverse("login"), {"username": sme_user.username, "password": PASSWORD, "next": reverse("home")}
    )
    assert response["Location"] == reverse("home")
    client.logout()
    staff_user.set_password(PASSWORD)
    staff_user.save()
    # Staff are not sent to a registration step: they go to the page of their role.
    assert client.post(reverse("login"), {"username": staff_user.username, "password": PASSWORD})[
        "Location"
    ] == reverse("after-login")


def test_a_sent_registration_logs_in_to_the_account(client, sme_user, program, company_data):
    from tests.suppliers.helpers import complete_draft

    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    services.supplier_submit(supplier=supplier, actor=sme_user)
    sme_user.set_password(PASSWORD)
    sme_user.save()
    response = client.post(reverse("login"), {"username": sme_user.username, "password": PASSWORD})
    assert response["Location"] == reverse("suppliers:account")


def test_the_login_error_reads_well_in_spanish(client, sme_user):
    response = client.post(reverse("login"), {"username": sme_user.username, "password": "otra"})
    html = response.content.decode()
    assert "El correo o la contraseña no son correctos" in html
    assert "introduzca" not in html.lower() and "nombre de usuario" not in html.lower()


# ---- company step: person type and the sales magnitude ---------------------------------------------------------


@pytest.mark.parametrize("rfc, kind", [("MAB9307148T4", "moral"), ("GODE561231GR8", "fisica")])
def test_the_person_type_comes_from_the_rfc(sme_client, catalog, rfc, kind):
    page = get_ok(sme_client, reverse("suppliers:company")).content.decode()
    assert "person_type" not in page
    sme_client.post(reverse("suppliers:company"), company_post(catalog, rfc=rfc))
    assert Supplier.objects.get().person_type == kind


@pytest.mark.parametrize(
    "typed, meant",
    [("20", None), ("5000", None), ("5000.5", "?"), ("99999", "?"), ("100000", "0.1"), ("12500000", "12.5")],
)
def test_sales_doubt(typed, meant):
    doubt = sales_doubt(Decimal(typed))
    if meant is None:
        assert doubt is None
    elif meant == "?":
        assert doubt is not None and doubt.in_millions is None
    else:
        assert doubt is not None and doubt.in_millions == Decimal(meant)


def test_sales_typed_in_pesos_are_asked_about_then_converted_when_confirmed(sme_client, catalog):
    response = sme_client.post(reverse("suppliers:company"), company_post(catalog, annual_sales_mdp="20000000"))
    assert response.status_code == 200 and not Supplier.objects.exists()
    errors = " ".join(response.context["form"].errors["annual_sales_mdp"])
    assert "¿Quiso decir 20 millones de pesos?" in errors and "grande" not in errors
    html = response.content.decode()
    assert 'value="pesos:20000000"' in html and 'value="millions:20000000"' in html

    # An answer given about another figure does not apply to this one.
    response = sme_client.post(
        reverse("suppliers:company"),
        company_post(catalog, annual_sales_mdp="30000000", sales_check="pesos:20000000"),
    )
    assert response.status_code == 200 and not Supplier.objects.exists()

    response = sme_client.post(
        reverse("suppliers:company"),
        company_post(catalog, annual_sales_mdp="20000000", sales_check="pesos:20000000"),
    )
    assert response["Location"] == reverse("suppliers:growth")
    assert Supplier.objects.get().annual_sales_mdp == Decimal("20")


def test_an_implausible_figure_confirmed_as_millions_is_then_judged_by_size(sme_client, catalog):
    response = sme_client.post(
        reverse("suppliers:company"), company_post(catalog, annual_sales_mdp="6000", sales_check="millions:6000")
    )
    assert response.status_code == 200 and not Supplier.objects.exists()
    assert "annual_sales_mdp" not in response.context["form"].errors
    assert any("grande" in e for e in response.context["form"].non_field_errors())


def test_the_growth_step_does_not_ask_the_last_year_again(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    year = timezone.localdate().year
    form = get_ok(sme_client, reverse("suppliers:growth")).context["form"]
    assert f"sales_{year - 1}" not in form.fields and f"sales_{year - 2}" in form.fields
    sme_client.post(reverse("suppliers:growth"), {"export_share": "0", f"sales_{year - 2}": "15"})
    # Correcting the company step corrects the last year's figure.
    sme_client.post(reverse("suppliers:company"), company_post(catalog, annual_sales_mdp="22", employees="41"))
    figures = Supplier.objects.get().annual_figures.order_by("year").values_list("year", "sales_mdp", "employees")
    assert list(figures) == [(year - 2, Decimal("15"), None), (year - 1, Decimal("22"), 41)]


def test_the_growth_step_asks_about_sales_typed_in_pesos_too(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    year = timezone.localdate().year - 2
    url = reverse("suppliers:growth")
    response = sme_client.post(url, {"export_share": "0", f"sales_{year}": "15000000"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[f"sales_{year}"])
    assert "¿Quiso decir 15 millones de pesos?" in errors
    html = response.content.decode()
    assert f'name="sales_check_{year}"' in html and 'value="pesos:15000000"' in html
    assert not Supplier.objects.get().annual_figures.filter(year=year).exists()

    response = sme_client.post(
        url, {"export_share": "0", f"sales_{year}": "15000000", f"sales_check_{year}": "pesos:15000000"}
    )
    assert response["Location"] == reverse("suppliers:market")
    assert Supplier.objects.get().annual_figures.get(year=year).sales_mdp == Decimal("15")


def test_the_growth_step_keeps_a_large_figure_confirmed_as_millions(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    year = timezone.localdate().year - 2
    url = reverse("suppliers:growth")
    page = get_ok(sme_client, url).content.decode()
    assert f'name="sales_check_{year}"' not in page  # asked only when a figure is in doubt
    response = sme_client.post(
        url, {"export_share": "0", f"sales_{year}": "7000", f"sales_check_{year}": "millions:7000"}
    )
    assert response["Location"] == reverse("suppliers:market")
    assert Supplier.objects.get().annual_figures.get(year=year).sales_mdp == Decimal("7000")


# ---- customers step ---------------------------------------------------------------------------------


def test_no_supply_area_is_an_error(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    response = sme_client.post(reverse("suppliers:market"), {"anchor_customers": [catalog["anchor"].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["supply_areas"] == [
        "Elija al menos un área de suministro que pueda atender."
    ]


def test_an_expiry_date_shows_only_for_a_ticked_certification(sme_client, catalog):
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    std = catalog["standard"]
    html = get_ok(sme_client, reverse("suppliers:market")).content.decode()
    assert f'id="reveal-cert_{std.pk}_expires" hidden' in html
    assert f'data-reveals="field-cert_{std.pk}_expires"' in html
    # A date left behind an unticked box is ignored, even a malformed one.
    response = sme_client.post(
        reverse("suppliers:market"),
        {"supply_areas": [catalog["area"].pk], f"cert_{std.pk}_expires": "31/02/20"},
    )
    assert response["Location"] == reverse("suppliers:finish")
    assert not Supplier.objects.get().certifications.exists()


# ---- documents step ---------------------------------------------------------------------------------


def _to_documents(client, catalog):
    client.post(reverse("suppliers:company"), company_post(catalog))
    client.post(reverse("suppliers:market"), {"supply_areas": [catalog["area"].pk]})


def test_the_constancia_is_required_once_and_never_called_optional(sme_client, catalog):
    _to_documents(sme_client, catalog)
    html = get_ok(sme_client, reverse("suppliers:finish")).content.decode()
    assert "(opcional) (opcional)" not in html
    csf_label = html[html.index('for="id_csf"') : html.index("</label>", html.index('for="id_csf"'))]
    assert "opcional" not in csf_label
    response = sme_client.post(reverse("suppliers:finish"), {"phone": "477 123 4567", "accept_privacy": "on"})
    assert response.context["form"].errors["csf"] == ["Suba su Constancia de Situación Fiscal."]


def test_a_file_is_kept_when_another_field_has_an_error(sme_client, catalog):
    _to_documents(sme_client, catalog)
    supplier = Supplier.objects.get()
    response = sme_client.post(
        reverse("suppliers:finish"), {"phone": "12", "csf": upload("constancia.pdf", PDF_BYTES), "accept_privacy": "on"}
    )
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    assert "csf" not in response.context["form"].errors
    assert supplier.documents.get().original_name == "constancia.pdf"
    assert "Archivo recibido: constancia.pdf" in response.content.decode()
    # The phone fixed, no file chosen again: on to the check of the answers.
    response = sme_client.post(reverse("suppliers:finish"), {"phone": "477 123 4567", "accept_privacy": "on"})
    assert response["Location"] == reverse("suppliers:review")
    # Changing the file replaces it; a bad file leaves the received one.
    sme_client.post(
        reverse("suppliers:finish"),
        {"phone": "477 123 4567", "csf": upload("malo.pdf", EXE_BYTES), "accept_privacy": "on"},
    )
    assert supplier.documents.get().original_name == "constancia.pdf"
    sme_client.post(
        reverse("suppliers:finish"),
        {"phone": "477 123 4567", "csf": upload("nueva.pdf", PDF_BYTES), "accept_privacy": "on"},
    )
    assert supplier.documents.get(kind=Document.Kind.TAX_CERTIFICATE).original_name == "nueva.pdf"


def test_the_review_lists_what_is_missing_and_offers_no_send(sme_client, catalog):
    _to_documents(sme_client, catalog)
    page = get_ok(sme_client, reverse("suppliers:review")).content.decode()
    assert 'id="review-missing"' in page and "la Constancia de Situación Fiscal" in page
    assert "Enviar registro" not in page
    response = sme_client.post(reverse("suppliers:review"))
    assert response["Location"] == reverse("suppliers:review")
    assert Supplier.objects.get().status == Supplier.Status.DRAFT


def test_a_registration_without_supply_areas_cannot_be_sent(sme_user, program, company_data):
    from tests.suppliers.helpers import complete_draft

    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    supplier.supply_areas.clear()
    with pytest.raises(Exception, match="área crítica"):
        services.supplier_submit(supplier=supplier, actor=sme_user)


def test_the_arco_erasure_deletes_what_a_draft_kept(sme_user, staff_user, program, company_data):
    from suppliers.privacy import erase_supplier_personal_data

    supplier = services.supplier_register(actor=sme_user, program=program, data=company_data, language="es-mx")
    services.registration_draft_keep(user=sme_user, step="finish", answers={"position": ["Directora general"]})
    erase_supplier_personal_data(supplier=supplier, actor=staff_user)
    assert not RegistrationDraft.objects.exists()


def test_questions_asked_only_when_needed_are_not_called_optional(sme_client, catalog):
    html = sme_client.post(
        reverse("suppliers:company"), company_post(catalog, annual_sales_mdp="9000")
    ).content.decode()
    legend = html[html.index('id="field-sales_check"') : html.index("</legend>", html.index('id="field-sales_check"'))]
    assert "Es correcto" not in legend and "opcional" not in legend
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    std = catalog["standard"]
    html = get_ok(sme_client, reverse("suppliers:market")).content.decode()
    label = html[
        html.index(f'for="id_cert_{std.pk}_expires"') : html.index(
            "</label>", html.index(f'for="id_cert_{std.pk}_expires"')
        )
    ]
    assert "opcional" not in label


# ---- invited from a member list -------------------------------------------------------------------------


def test_an_invited_sme_registers_in_the_program_that_invited_it_with_the_company_filled_in(
    sme_client, sme_user, catalog, program
):
    import datetime

    from suppliers.models import RegistrationInvitation
    from tests.programs.factories import ProgramFactory

    program.start_date = datetime.date(2025, 1, 1)
    program.registration_open = True
    program.save()
    inviting = ProgramFactory(code="sdp-electro", name_es="Programa de electrodomésticos")
    inviting.start_date, inviting.registration_open = datetime.date(2024, 1, 1), True
    inviting.save()
    RegistrationInvitation.objects.create(
        program=inviting,
        rfc="MAB9307148T4",
        legal_name="Troqueles Invitados",
        email="DUENA@pyme.mx",
        state=catalog["state"],
    )
    page = get_ok(sme_client, reverse("suppliers:company")).content.decode()
    assert "Troqueles Invitados" in page and "MAB9307148T4" in page
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    assert Supplier.objects.get(rfc="MAB9307148T4").program == inviting

    # Without an invitation, the program taking registrations (the newest).
    RegistrationInvitation.objects.all().delete()
    Supplier.objects.all().delete()
    sme_client.post(reverse("suppliers:company"), company_post(catalog))
    assert Supplier.objects.get(rfc="MAB9307148T4").program == program
