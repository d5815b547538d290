"""ARCO: the SME downloads all its data and can have its personal data erased; staff can do it in the admin."""

import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from assessments.models import Answer
from core.audit import history
from core.models import OutboundMessage
from suppliers import privacy
from suppliers.models import AnnualFigure, Contact, Document, Supplier
from tests.assessments.factories import DiagnosticFactory, QuestionFactory
from tests.cohorts.factories import CandidateFactory
from tests.suppliers.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def sme(media):
    contact = ContactFactory(with_user=True, name="Laura Méndez", phone="+524771234567")
    supplier = contact.supplier
    ContactFactory(supplier=supplier, name="Pedro Ruiz", is_primary=False)
    AnnualFigure.objects.create(supplier=supplier, year=2024, sales_mdp=Decimal("18.5"), employees=38)
    document = Document(
        supplier=supplier,
        kind="csf",
        original_name="constancia.pdf",
        content_type="application/pdf",
        size_bytes=9,
        sha256="0" * 64,
    )
    document.file.save("constancia.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    question = QuestionFactory()  # the framework is complete before a diagnostic uses (and locks) it
    diagnostic = DiagnosticFactory(
        supplier=supplier,
        framework=question.dimension.framework,
        notes="Visited with Laura Méndez",
        published_at="2025-06-01T00:00:00Z",
    )
    Answer.objects.create(diagnostic=diagnostic, question=question, level=3, evidence="Laura showed the PPAP binder")
    CandidateFactory(supplier=supplier, status="selected", decision_reason="High growth potential")
    with transaction.atomic():
        from core.notifications import notify

        notify(template="registration_received", recipient=contact.email, context={"supplier_name": "x"})
    return contact


def test_export_contains_everything_about_the_supplier(sme):
    data = privacy.export_supplier_data(supplier=sme.supplier)
    json.dumps(data)  # JSON-ready
    assert data["supplier"]["rfc"] == sme.supplier.rfc
    assert {c["name"] for c in data["contacts"]} == {"Laura Méndez", "Pedro Ruiz"}
    assert data["annual_figures"][0]["sales_mdp"] == "18.500"
    assert data["documents"][0]["original_name"] == "constancia.pdf" and "file" not in data["documents"][0]
    assert data["diagnostics"][0]["answers"][0]["evidence"] == "Laura showed the PPAP binder"
    assert data["decisions"][0]["decision_reason"].endswith(": High growth potential")  # the staff note, labelled


def test_sme_downloads_its_own_data_as_json(client, sme):
    client.force_login(sme.user)
    response = client.get("/privacy/my-data/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["supplier"]["id"] == sme.supplier.pk


def test_other_roles_get_no_data(client, anchor_reviewer, staff_user, sme):
    for user in (anchor_reviewer.user, staff_user):
        client.force_login(user)
        assert client.get("/privacy/my-data/export.json").status_code == 404


def test_erasure_anonymises_people_deletes_documents_keeps_program_records(sme, media, staff_user):
    supplier = sme.supplier
    stored = media / Document.objects.get().file.name
    assert stored.exists()
    summary = privacy.erase_supplier_personal_data(supplier=supplier, actor=staff_user, reason="ARCO request 12")
    assert summary["contacts"] == 2 and summary["documents_deleted"] == 1 and summary["users_deactivated"] == 1

    names = set(Contact.objects.filter(supplier=supplier).values_list("name", flat=True))
    assert not names & {"Laura Méndez", "Pedro Ruiz"}
    assert all(e.endswith("@erased.invalid") for e in Contact.objects.values_list("email", flat=True))
    sme.user.refresh_from_db()
    assert not sme.user.is_active and not sme.user.has_usable_password() and sme.user.email == ""
    assert Document.objects.count() == 0 and not stored.exists()
    assert Answer.objects.get().evidence == "" and supplier.diagnostics.get().notes == ""
    message = OutboundMessage.objects.get()
    assert message.recipient == "erased@erased.invalid" and message.body == ""

    supplier.refresh_from_db()
    assert supplier.personal_data_erased_at is not None and supplier.status == "rejected"
    assert supplier.diagnostics.count() == 1 and supplier.candidacies.get().status == "selected"
    assert supplier.employees == 40 and supplier.size == "pequena"  # aggregate record kept
    assert [e.action for e in history(supplier)][:2] == ["arco_erasure", "transition"]

    # idempotent
    privacy.erase_supplier_personal_data(supplier=supplier, actor=staff_user)
    assert history(supplier).filter(action="arco_erasure").count() == 1


def test_files_survive_when_the_erasure_rolls_back(sme, media, staff_user):
    stored = media / Document.objects.get().file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        privacy.erase_supplier_personal_data(supplier=sme.supplier, actor=staff_user)
        raise RuntimeError("boom")
    assert stored.exists() and Document.objects.count() == 1


def test_individual_supplier_name_and_rfc_are_erased(media, staff_user):
    contact = ContactFactory(
        supplier__person_type="fisica", supplier__rfc="GODE561231GR8", supplier__legal_name="Ernesto Gómez Díaz"
    )
    privacy.erase_supplier_personal_data(supplier=contact.supplier, actor=staff_user)
    supplier = Supplier.objects.get(pk=contact.supplier.pk)
    assert "Gómez" not in supplier.legal_name and supplier.rfc == privacy.ERASED_RFC_FISICA


def test_sme_erases_itself_after_typing_its_rfc(client, sme):
    client.force_login(sme.user)
    wrong = client.post("/privacy/my-data/erase/", {"confirm_rfc": "AAA010101AAA"})
    assert wrong.status_code == 400 and Supplier.objects.get().personal_data_erased_at is None
    response = client.post("/privacy/my-data/erase/", {"confirm_rfc": sme.supplier.rfc.lower()})
    assert response.status_code == 302
    assert Supplier.objects.get().personal_data_erased_at is not None
    assert "_auth_user_id" not in client.session  # logged out, account closed


def test_staff_erase_from_the_admin(staff_client, sme):
    response = staff_client.post(
        "/admin/suppliers/supplier/",
        {"action": "erase_personal_data", "_selected_action": [sme.supplier.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Supplier.objects.get().personal_data_erased_at is not None


def test_staff_export_from_the_admin(staff_client, sme):
    response = staff_client.post(
        "/admin/suppliers/supplier/", {"action": "export_personal_data", "_selected_action": [sme.supplier.pk]}
    )
    assert response.status_code == 200
    assert json.loads(response.content)[0]["supplier"]["rfc"] == sme.supplier.rfc


def test_sme_sees_its_data_page(client, sme):
    client.force_login(sme.user)
    response = client.get("/privacy/my-data/")
    assert response.status_code == 200
    assert b"/privacy/my-data/export.json" in response.content


def test_export_shows_only_what_the_sme_may_see(sme):
    from assessments.models import Diagnostic
    from cohorts.models import Candidate
    from tests.cohorts.factories import CandidateFactory, CohortFactory

    supplier = sme.supplier
    Diagnostic.objects.filter(supplier=supplier).update(published_at=None)
    CandidateFactory(
        supplier=supplier,
        cohort=CohortFactory(),
        status=Candidate.Status.OBJECTED,
        staged_status="not_selected",
        staged_reason="internal",
    )
    data = privacy.export_supplier_data(supplier=supplier)
    assert data["diagnostics"] == []  # unpublished results stay unpublished
    assert [d["status"] for d in data["decisions"]] == ["selected"]  # final decisions only
    assert all(set(d) == {"cohort", "status", "decision_reason", "decided_at"} for d in data["decisions"])
    Diagnostic.objects.filter(supplier=supplier).update(published_at="2025-06-01T00:00:00Z")
    exported = privacy.export_supplier_data(supplier=supplier)["diagnostics"]
    assert len(exported) == 1 and "notes" not in exported[0]


def test_erasure_removes_the_erased_values_from_the_history(media, staff_user):
    """The audit trail and the admin history keep no copy of what the erasure cancels: an individual's
    name and RFC in profile edits, diagnostic notes, the names of contacts in the admin history."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from assessments import services as assessment_services
    from core.models import AuditEvent
    from suppliers.services import supplier_update_profile

    contact = ContactFactory(
        supplier__person_type="fisica",
        supplier__rfc="GODE561231GR8",
        supplier__legal_name="Ernesto Gómez Díaz",
        supplier__trade_name="Forjas Gómez",
        name="Ernesto Gómez",
        supplier__program__profile_editing_open=True,
    )
    supplier = contact.supplier
    supplier_update_profile(
        supplier=supplier,
        actor=staff_user,
        expected_version=supplier.version,
        changes={"trade_name": "Forjas Gómez e Hijos", "employees": 41},
    )
    question = QuestionFactory()
    diagnostic = DiagnosticFactory(supplier=supplier, framework=question.dimension.framework)
    assessment_services.diagnostic_update(
        diagnostic=diagnostic,
        expected_version=diagnostic.version,
        actor=staff_user,
        notes="Ernesto Gómez showed the line",
    )
    LogEntry.objects.log_actions(
        user_id=staff_user.pk, queryset=[contact], action_flag=CHANGE, change_message="[]", single_object=True
    )

    def history_text() -> str:
        events = AuditEvent.objects.filter(object_id__in=[str(supplier.pk), str(diagnostic.pk)])
        logs = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contact))
        return json.dumps(
            [list(events.values_list("changes", flat=True)), list(logs.values_list("object_repr", flat=True))],
            ensure_ascii=False,
        )

    assert "Gómez" in history_text()
    summary = privacy.erase_supplier_personal_data(supplier=supplier, actor=staff_user)
    assert "Gómez" not in history_text() and privacy.ERASED_VALUE in history_text()
    assert summary["history_entries_scrubbed"] == 3
    profile = AuditEvent.objects.get(object_id=str(supplier.pk), action="profile_updated")
    assert profile.changes["employees"][1] == 41  # company figures are kept
    assert profile.changes["trade_name"] == [privacy.ERASED_VALUE, privacy.ERASED_VALUE]
    assert privacy.erase_supplier_personal_data(supplier=supplier, actor=staff_user)["history_entries_scrubbed"] == 0
