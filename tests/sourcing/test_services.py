"""Opportunities, ranks, invitations and their track through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent, OutboundMessage
from sourcing import services
from sourcing.models import AnchorVisibility, Invitation, Match, Opportunity
from tests.programs.factories import ProgramFactory
from tests.sourcing.world import SourcingWorld
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db
S = Invitation.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return SourcingWorld()


def test_post_ranks_visible_smes_with_reasons(world):
    opportunity = world.post()
    matches = list(Match.objects.filter(opportunity=opportunity).order_by("rank"))
    assert [m.supplier_id for m in matches] == [world.strong.pk, world.weak.pk]  # the hidden SME is not ranked
    top = matches[0]
    assert top.meets_requirements and not matches[1].meets_requirements
    assert top.score > matches[1].score
    assert {"code": "certification_held", "met": True, "certification": world.iso.pk} in top.reasons
    assert any(r["code"] == "certification_missing" for r in matches[1].reasons)
    assert any(r["code"] == "dimension" and r["met"] is False for r in matches[1].reasons)  # 40 < 60
    assert AuditEvent.objects.filter(action="opportunity_posted", object_id=str(opportunity.pk)).exists()
    opportunity.refresh_from_db()
    assert opportunity.matched_at is not None


def test_ranks_follow_the_smes_data_and_keep_the_shortlist(world):
    opportunity = world.post()
    weak_match = Match.objects.get(opportunity=opportunity, supplier=world.weak)
    services.match_shortlist(match=weak_match, actor=world.reviewer_a, shortlisted=True)
    services.anchor_visibility_set(supplier=world.hidden, visible=True, actor=world.staff)
    from sourcing.tasks import rank_for_supplier

    assert rank_for_supplier(world.hidden.pk) == 1
    ranked = dict(Match.objects.filter(opportunity=opportunity).values_list("supplier_id", "shortlisted"))
    assert set(ranked) == {world.strong.pk, world.weak.pk, world.hidden.pk}
    assert ranked[world.weak.pk] is True


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"response_deadline": datetime.date(2020, 1, 1)}, "response_deadline"),
        ({"annual_value": Decimal("-1")}, "annual_value"),
        ({"start_date": datetime.date.today()}, "start_date"),
        ({"minimum_maturity_level": 7}, "minimum_maturity_level"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, overrides, field):
    with pytest.raises(ValidationError) as error:
        world.post(**overrides)
    assert field in error.value.message_dict
    assert not Opportunity.objects.exists()


def test_areas_of_another_program_and_other_anchors_are_refused(world):
    from tests.programs.factories import CriticalSupplyAreaFactory

    foreign = CriticalSupplyAreaFactory(program=ProgramFactory(code="otro"))
    with pytest.raises(ValidationError):
        world.post(areas=[foreign])
    with pytest.raises(ValidationError):
        world.post(actor=world.reviewer_b)  # anchor B's user posting for anchor A
    with pytest.raises(ValidationError):
        world.post(actor=world.sme_user)
    assert world.post(actor=world.staff)  # staff post on the anchor's behalf


def test_full_track_to_purchase_order(world):
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    message = OutboundMessage.objects.get(template="sourcing_invited", recipient=world.sme_user.email)
    assert message.language == "es-mx" and "Soportes estampados" in message.body
    services.invitation_accept_terms(invitation=invitation, actor=world.sme_user)
    services.invitation_advance(invitation=invitation, to=S.INTERESTED, actor=world.sme_user)
    response = services.response_submit(
        invitation=invitation,
        actor=world.sme_user,
        summary="Precio unitario 25 MXN, herramental incluido",
        quoted_value=Decimal("3000000"),
        lead_time_weeks=8,
        documents=[SimpleUploadedFile("cotizacion.pdf", PDF, content_type="application/pdf")],
    )
    assert response.documents.count() == 1
    received = OutboundMessage.objects.filter(template="sourcing_response_received")
    assert {(m.recipient, m.language) for m in received} >= {(world.admin_a.email, "en")}
    services.invitation_advance(invitation=invitation, to=S.PPAP, actor=world.reviewer_a)
    with pytest.raises(ValidationError) as error:
        services.invitation_advance(invitation=invitation, to=S.PURCHASE_ORDER, actor=world.reviewer_a)
    assert "purchase_order_value_mxn" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.invitation_advance(
            invitation=invitation,
            to=S.PURCHASE_ORDER,
            actor=world.reviewer_a,
            purchase_order_value_mxn=Decimal("-5"),
            purchase_order_date=world.today,
        )
    services.invitation_advance(
        invitation=invitation,
        to=S.PURCHASE_ORDER,
        actor=world.reviewer_a,
        purchase_order_value_mxn=Decimal("2500000"),
        purchase_order_date=world.today,
    )
    invitation.refresh_from_db()
    assert invitation.status == S.PURCHASE_ORDER and invitation.purchase_order_value_mxn == Decimal("2500000")
    assert set(invitation.reached) == {S.INVITED, S.INTERESTED, S.QUOTED, S.PPAP, S.PURCHASE_ORDER}
    transitions = AuditEvent.objects.filter(object_id=str(invitation.pk), action="transition")
    assert list(transitions.order_by("pk").values_list("to_state", flat=True)) == [
        S.INTERESTED,
        S.QUOTED,
        S.PPAP,
        S.PURCHASE_ORDER,
    ]


def test_illegal_moves_and_wrong_sides_are_refused(world):
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    with pytest.raises(ValidationError):  # skipping ahead
        services.invitation_advance(invitation=invitation, to=S.SUPPLYING, actor=world.reviewer_a)
    with pytest.raises(ValidationError):  # the anchor does not mark interest for the SME
        services.invitation_advance(invitation=invitation, to=S.INTERESTED, actor=world.reviewer_a)
    with pytest.raises(ValidationError):  # the SME does not record a PPAP
        services.invitation_advance(invitation=invitation, to=S.LOST, actor=world.sme_user, reason="x")
    with pytest.raises(ValidationError):  # another SME
        services.invitation_advance(invitation=invitation, to=S.INTERESTED, actor=world.weak_user)
    with pytest.raises(ValidationError):  # another anchor
        services.invitation_advance(invitation=invitation, to=S.LOST, actor=world.reviewer_b, reason="x")
    with pytest.raises(ValidationError) as error:  # declining needs a reason
        services.invitation_advance(invitation=invitation, to=S.DECLINED, actor=world.sme_user)
    assert "reason" in error.value.message_dict
    services.invitation_advance(invitation=invitation, to=S.DECLINED, actor=world.sme_user, reason="Sin capacidad")
    with pytest.raises(ValidationError):  # a declined invitation is final
        services.invitation_advance(invitation=invitation, to=S.INTERESTED, actor=world.sme_user)
    invitation.refresh_from_db()
    assert invitation.status == S.DECLINED and invitation.reason == "Sin capacidad"


def test_invitations_refused_for_other_programs_duplicates_and_closed(world):
    opportunity = world.post()
    outsider = SupplierFactory(program=ProgramFactory(code="otro-programa"))
    with pytest.raises(ValidationError) as error:
        services.invitation_create(opportunity=opportunity, supplier=outsider, actor=world.reviewer_a)
    assert "supplier" in error.value.message_dict
    services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.staff)
    with pytest.raises(ValidationError):
        services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    services.opportunity_set_status(opportunity=opportunity, actor=world.reviewer_a, to=Opportunity.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.invitation_create(opportunity=opportunity, supplier=world.weak, actor=world.reviewer_a)


def test_staff_moderate_anchors_cannot(world):
    opportunity = world.post()
    with pytest.raises(ValidationError):
        services.opportunity_set_status(opportunity=opportunity, actor=world.reviewer_a, to="withdrawn", reason="x")
    with pytest.raises(ValidationError):
        services.opportunity_set_status(opportunity=opportunity, actor=world.staff, to="withdrawn")
    services.opportunity_set_status(opportunity=opportunity, actor=world.staff, to="withdrawn", reason="Datos falsos")
    opportunity.refresh_from_db()
    assert opportunity.status == "withdrawn" and opportunity.moderation_note == "Datos falsos"
    with pytest.raises(ValidationError):
        services.opportunity_update(opportunity=opportunity, actor=world.reviewer_a, data={"title": "Otra"})


def test_update_checks_the_version(world):
    from core.concurrency import StaleObjectError

    opportunity = world.post()
    services.opportunity_update(
        opportunity=opportunity, actor=world.reviewer_a, data={"title": "Soportes v2"}, expected_version=1
    )
    with pytest.raises(StaleObjectError):
        services.opportunity_update(
            opportunity=Opportunity.objects.get(pk=opportunity.pk),
            actor=world.reviewer_a,
            data={"title": "Soportes v3"},
            expected_version=1,
        )


def test_attachment_of_the_wrong_type_is_refused(world):
    opportunity = world.post()
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            opportunity=opportunity,
            actor=world.reviewer_a,
            uploaded=SimpleUploadedFile("plano.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        )
    assert "file" in error.value.message_dict
    assert not opportunity.attachments.exists()
    attachment = services.attachment_add(
        opportunity=opportunity,
        actor=world.reviewer_a,
        uploaded=SimpleUploadedFile("plano.pdf", PDF, content_type="application/pdf"),
    )
    assert attachment.is_confidential and attachment.content_type == "application/pdf"


def test_visibility_consent_is_audited(world):
    row = services.anchor_visibility_set(supplier=world.hidden, visible=True, actor=world.staff)
    assert row.visible
    assert AnchorVisibility.objects.get(supplier=world.hidden).visible
    assert AuditEvent.objects.filter(action="anchor_visibility_set").count() == 1
