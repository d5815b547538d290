"""Financing cases 30 days in one step remind the program staff through the outbox (once per case and step,
never to who turned it off); the ARCO export shows the SME its cases and the erasure removes what is
personal in them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent, NotificationPreference, OutboundMessage
from support import services
from support.models import FinancingDocument
from support.services.reminders import send_reminders
from tests.programs.factories import UserFactory

from .factories import SupportWorld, financing_case, financing_to

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return SupportWorld()


def test_a_case_stuck_for_30_days_reminds_staff_once_per_step(world):
    quiet = UserFactory(username="coordinador-sin-avisos", staff=True)
    NotificationPreference.objects.create(user=quiet, reminder="financing_stuck", by_email=False)
    fresh = financing_case(world, days_ago=29)
    stuck = financing_case(world, days_ago=30)
    done = financing_to(world, financing_case(world, days_ago=60), "rejected")
    counts = send_reminders(today=world.today)
    assert counts["stuck_financing"] == 1
    message = OutboundMessage.objects.get(template="financing_stuck")
    assert message.recipient == world.staff.email and message.language == "es-mx"
    assert str(world.supplier) in message.subject and "30 días" in message.body
    assert f"/staff/support/financing/{stuck.pk}/" in message.body
    assert send_reminders(today=world.today)["stuck_financing"] == 1  # the same event: no new row
    assert OutboundMessage.objects.filter(template="financing_stuck").count() == 1
    stuck = services.financing_case_move(
        case=stuck, actor=world.staff, to="application", expected_version=stuck.version
    )
    later = world.today + datetime.timedelta(days=30)
    send_reminders(today=later)  # both open cases are now 30 days in their step; the rejected one never is
    reminded = {m.context["path"] for m in OutboundMessage.objects.filter(template="financing_stuck")}
    assert reminded == {f"/staff/support/financing/{c.pk}/" for c in (fresh, stuck)}
    assert OutboundMessage.objects.filter(template="financing_stuck").count() == 3
    assert not OutboundMessage.objects.filter(recipient=quiet.email).exists()
    assert done.status == "rejected"


def test_the_arco_export_and_erasure_cover_the_financing_cases(world):
    from suppliers.privacy import erase_supplier_personal_data, export_supplier_data

    case = financing_case(world, purpose="Capital de trabajo de Rosa Pérez")
    services.financing_document_add(
        case=case, actor=world.sme_user, title="Estados de Rosa Pérez", file=SimpleUploadedFile("e.pdf", PDF)
    )
    case = financing_to(world, case, "approved", approved="500000")
    services.financing_case_move(
        case=case, actor=world.staff, to="application", expected_version=case.version, reason="Rosa pidió otro plazo"
    )
    exported = export_supplier_data(supplier=world.supplier)["support"]["financing_cases"]
    assert exported[0]["purpose"] == "Capital de trabajo de Rosa Pérez"
    assert exported[0]["documents"][0]["title"] == "Estados de Rosa Pérez"
    assert [s["step"] for s in exported[0]["steps"]] == ["referral", "application", "approved", "application"]
    stored = FinancingDocument.objects.get().file
    assert stored.storage.exists(stored.name)
    erase_supplier_personal_data(supplier=world.supplier, actor=world.staff)
    again = export_supplier_data(supplier=world.supplier)["support"]["financing_cases"]
    text = str(again) + str(list(AuditEvent.objects.values("changes", "reason")))
    assert "Rosa" not in text
    assert not stored.storage.exists(stored.name)
    assert again[0]["amount_requested"] == exported[0]["amount_requested"]  # the amounts are the program's record
