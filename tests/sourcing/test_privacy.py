"""ARCO: the SME's sourcing data are exported and erased."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import ERASED_VALUE
from sourcing import services
from sourcing.models import AnchorVisibility, Invitation, Match
from sourcing.privacy import erase_sourcing, export_sourcing
from tests.sourcing.world import SourcingWorld

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_export_and_erase():
    world = SourcingWorld()
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    services.response_submit(
        invitation=invitation,
        actor=world.sme_user,
        summary="Nuestra cotización",
        quoted_value=Decimal("100"),
        documents=[SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")],
    )
    data = export_sourcing(world.strong)
    assert data["visible_to_anchors"] is True
    assert data["invitations"][0]["response"]["summary"] == "Nuestra cotización"
    assert data["ranks"] and data["ranks"][0]["opportunity"] == "Soportes estampados"
    erase_sourcing(world.strong)
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.response.summary == ERASED_VALUE
    assert not invitation.response.documents.get().file
    assert not Match.objects.filter(supplier=world.strong).exists()
    assert AnchorVisibility.objects.get(supplier=world.strong).visible is False
    assert invitation.status == "quoted"  # the track stays for the aggregate results
