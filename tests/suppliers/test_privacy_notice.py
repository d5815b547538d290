"""The privacy notice (LFPDPPP 2025): versions per program, consents under each, asked again on change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers import services
from suppliers.models import PrivacyConsent, PrivacyNotice
from tests.suppliers.factories import ContactFactory, SupplierFactory
from tests.suppliers.helpers import complete_draft

pytestmark = pytest.mark.django_db


def test_the_notice_names_the_controller_the_transfers_and_both_kinds_of_purpose(client, program):
    program.data_controller = "Industria Nacional de Autopartes, A.C."
    program.save()
    page = client.get(reverse("suppliers:privacy")).content.decode()
    assert "Industria Nacional de Autopartes, A.C." in page
    for words in ("IFC", "NAFIN", "BANCOMEXT", "Finalidades necesarias", "Finalidades voluntarias", "encuestas"):
        assert words in page, words
    notice = PrivacyNotice.objects.get(program=program)
    assert notice.version in page


def test_the_notice_in_english(client, program, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("suppliers:privacy")).content.decode()
    assert "Necessary purposes" in page and "Voluntary purposes" in page


def test_registration_records_a_consent_with_the_voluntary_choice_unticked_by_default(sme_user, program, company_data):
    supplier = complete_draft(user=sme_user, program=program, data=company_data)
    consent = PrivacyConsent.objects.get(supplier=supplier)
    assert (consent.necessary_accepted, consent.voluntary_accepted) == (True, False)
    assert consent.notice == services.privacy_notice_current(program=program)
    assert supplier.privacy_notice_version == consent.notice.version


def test_the_finish_step_shows_the_voluntary_consent_separately_and_unticked(client, sme_user, program, company_data):
    complete_draft(user=sme_user, program=program, data=company_data)
    client.force_login(sme_user)
    form = client.get(reverse("suppliers:finish")).context["form"]
    assert not form.fields["accept_voluntary"].required and not form["accept_voluntary"].value()
    assert form.fields["accept_privacy"].required


def test_a_new_version_is_asked_for_before_continuing_and_each_consent_is_kept(client, sme_user, program):
    supplier = SupplierFactory(program=program, privacy_notice_version="2020-01")
    ContactFactory(supplier=supplier, user=sme_user)
    client.force_login(sme_user)
    assert client.get(reverse("suppliers:account"))["Location"] == reverse("suppliers:privacy-accept")
    assert client.get(reverse("suppliers:profile"))["Location"] == reverse("suppliers:privacy-accept")
    page = client.get(reverse("suppliers:privacy-accept"))
    notice = page.context["notice"]
    # The necessary purposes are required.
    refused = client.post(reverse("suppliers:privacy-accept"), {"version": notice.version})
    assert refused.status_code == 200 and refused.context["form"].errors["accept_privacy"]
    answer = {"version": notice.version, "accept_privacy": "on", "accept_voluntary": "on"}
    assert client.post(reverse("suppliers:privacy-accept"), answer)["Location"] == reverse("suppliers:account")
    assert client.get(reverse("suppliers:account")).status_code == 200
    consent = PrivacyConsent.objects.get(supplier=supplier)
    assert (consent.notice, consent.voluntary_accepted, consent.contact.user) == (notice, True, sme_user)

    # The program publishes another version: asked again; the first consent stays.
    newer = PrivacyNotice.objects.create(
        program=program, version="2099-01", published_on=timezone.localdate(), text_es="Nuevo aviso."
    )
    assert client.get(reverse("suppliers:account"))["Location"] == reverse("suppliers:privacy-accept")
    assert "Nuevo aviso." in client.get(reverse("suppliers:privacy-accept")).content.decode()
    client.post(reverse("suppliers:privacy-accept"), {"version": "2099-01", "accept_privacy": "on"})
    assert list(PrivacyConsent.objects.filter(supplier=supplier).values_list("notice", "voluntary_accepted")) == [
        (newer.pk, False),
        (notice.pk, True),
    ]


def test_a_version_published_later_is_not_in_force_yet(program):
    current = services.privacy_notice_current(program=program)
    PrivacyNotice.objects.create(
        program=program,
        version="futuro",
        published_on=timezone.localdate() + datetime.timedelta(days=3),
        text_es="Más adelante.",
    )
    assert services.privacy_notice_current(program=program) == current


def test_a_draft_is_not_asked_before_it_is_sent(client, sme_user, program):
    supplier = SupplierFactory(program=program, draft=True, privacy_notice_version="")
    ContactFactory(supplier=supplier, user=sme_user)
    client.force_login(sme_user)
    assert client.get(reverse("suppliers:account")).status_code == 200


def test_the_notice_lists_the_follow_up_purposes_and_the_transfer_of_profiles_to_anchors(client, program, settings):
    from tests.programs.factories import PartnerFactory

    # The partners the results are reported to are the program's own (docs/programs.md, Partners).
    PartnerFactory(program=program, name="Secretaría de Economía", short_name="", kind="government")
    page = client.get(reverse("suppliers:privacy")).content.decode()
    for words in (
        "cuestionarios de seguimiento",
        "mujeres en puestos directivos",
        "órdenes de compra",
        "clase de tamaño (IFC)",
        "propiedad o liderazgo de mujeres",
        "Secretaría de Economía",
        "emparejar",
        "visible",
    ):
        assert words in page, words
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("suppliers:privacy")).content.decode()
    for words in ("follow-up questionnaires", "women-owned or women-led", "to match them with suppliers", "visible"):
        assert words in page, words


def test_an_sme_that_accepted_the_earlier_version_is_asked_to_accept_the_new_one(client, sme_user, program, settings):
    """The notice's text changed with the follow-up questionnaires and the profiles shown to anchors: the version
    in force moved on from 2026-12, so an SME that accepted 2026-12 accepts again before continuing."""
    assert settings.SDP_PRIVACY_NOTICE_VERSION != "2026-12"
    earlier = PrivacyNotice.objects.create(
        program=program, version="2026-12", published_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    supplier = SupplierFactory(program=program, privacy_notice_version=earlier.version)
    ContactFactory(supplier=supplier, user=sme_user)
    pending = services.privacy_consent_pending(supplier=supplier)
    assert pending is not None and pending.version == settings.SDP_PRIVACY_NOTICE_VERSION
    client.force_login(sme_user)
    assert client.get(reverse("suppliers:account"))["Location"] == reverse("suppliers:privacy-accept")
    answer = {"version": pending.version, "accept_privacy": "on"}
    assert client.post(reverse("suppliers:privacy-accept"), answer)["Location"] == reverse("suppliers:account")
    supplier.refresh_from_db()
    assert supplier.privacy_notice_version == settings.SDP_PRIVACY_NOTICE_VERSION
    assert services.privacy_consent_pending(supplier=supplier) is None
