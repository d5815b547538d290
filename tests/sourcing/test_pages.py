"""The sourcing pages: each role sees only its own, bad input loses nothing, queries stay bounded."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sourcing import services
from sourcing.models import AttachmentDownload, Invitation, Opportunity
from tests.programs.factories import AnchorReviewerFactory
from tests.sourcing.world import SourcingWorld

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return SourcingWorld()


def form_data(world, **overrides):
    data = world.data()
    data = {
        **{k: v for k, v in data.items() if k not in ("delivery_state",)},
        "delivery_state": world.gto.pk,
        "areas": [world.stamping.pk],
        "required_certifications": [world.iso.pk],
    }
    data.update(overrides)
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


def test_anchor_posts_an_opportunity_from_the_form(client, world):
    client.force_login(world.reviewer_a)
    response = client.post(reverse("sourcing:anchor_opportunity_new"), form_data(world))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response.url == reverse("sourcing:anchor_opportunity", args=[opportunity.pk])
    assert opportunity.anchor == world.anchor_a and list(opportunity.areas.all()) == [world.stamping]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"response_deadline": "2020-01-01"}, "pasado"),
        ({"annual_value": "-5"}, "0"),
        ({"areas": []}, ""),
    ],
)
def test_bad_input_shows_the_error_and_keeps_what_was_typed(client, world, overrides, message):
    client.force_login(world.reviewer_a)
    response = client.post(reverse("sourcing:anchor_opportunity_new"), form_data(world, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Soportes de acero estampado para asientos" in page  # what was typed stays
    assert message in page
    assert not Opportunity.objects.exists()


def test_ranked_list_shows_what_an_anchor_may_see_never_finances(client, world):
    world.strong.annual_sales_mdp = Decimal("123.45")
    world.strong.save()
    opportunity = world.post()
    client.force_login(world.reviewer_a)
    page = client.get(reverse("sourcing:anchor_opportunity", args=[opportunity.pk])).content.decode()
    assert page.index("Troqueles del Bajío") < page.index("Metales del Norte")
    assert "Oculta" not in page  # not visible to anchors
    assert "ISO 9001" in page and "Guanajuato" in page
    assert "123.45" not in page and "123,45" not in page and "RFC" not in page
    assert world.strong.rfc not in page


def test_the_share_of_an_smes_sales_is_shown_to_staff_never_to_the_anchor(client, world):
    world.strong.annual_sales_mdp = Decimal("123.45")
    world.strong.save()
    opportunity = world.post()
    url = reverse("sourcing:anchor_opportunity", args=[opportunity.pk])
    client.force_login(world.reviewer_a)
    page = client.get(url).content.decode()
    assert "de sus ventas anuales" not in page and "of its annual sales" not in page
    assert "Su tamaño corresponde al valor de la oportunidad" in page or "grande para su tamaño" in page
    client.force_login(world.staff)
    assert "de sus ventas anuales" in client.get(url).content.decode()


def test_other_anchors_smes_and_providers_cannot_open_an_opportunity(client, world, provider):
    opportunity = world.post()
    url = reverse("sourcing:anchor_opportunity", args=[opportunity.pk])
    for user in (world.reviewer_b, world.sme_user, provider.user):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        client.post(
            reverse("sourcing:anchor_opportunity_action", args=[opportunity.pk, "invite"]),
            {"supplier": world.strong.pk},
        )
    assert not Invitation.objects.exists()
    client.force_login(world.staff)
    assert client.get(url).status_code == 200


def test_anchor_administrator_sees_the_dashboard_and_colleagues_link(client, world):
    world.post()
    client.force_login(world.admin_a)
    page = client.get(reverse("sourcing:anchor_home")).content.decode()
    assert "Soportes estampados" in page and reverse("sourcing:anchor_colleagues") in page
    client.force_login(world.reviewer_a)  # a colleague: no link to invite
    page = client.get(reverse("sourcing:anchor_home")).content.decode()
    assert "Soportes estampados" in page and reverse("sourcing:anchor_colleagues") not in page
    client.force_login(world.reviewer_b)
    assert "Soportes estampados" not in client.get(reverse("sourcing:anchor_home")).content.decode()


def test_end_to_end_invite_respond_and_purchase_order(client, world):
    opportunity = world.post()
    services.attachment_add(
        opportunity=opportunity,
        actor=world.reviewer_a,
        uploaded=SimpleUploadedFile("plano.pdf", PDF, content_type="application/pdf"),
    )
    attachment = opportunity.attachments.get()
    client.force_login(world.reviewer_a)
    client.post(
        reverse("sourcing:anchor_opportunity_action", args=[opportunity.pk, "invite"]), {"supplier": world.strong.pk}
    )
    invitation = Invitation.objects.get(opportunity=opportunity, supplier=world.strong)
    # The SME: sees it, may not download the drawing before accepting the terms, responds.
    client.force_login(world.sme_user)
    assert "Soportes estampados" in client.get(reverse("sourcing:sme_opportunities")).content.decode()
    url = reverse("sourcing:sme_opportunity", args=[opportunity.pk])
    assert client.get(reverse("sourcing:attachment", args=[attachment.pk])).status_code == 404
    client.post(url, {"action": "accept_terms"})
    download = client.get(reverse("sourcing:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AttachmentDownload.objects.filter(attachment=attachment, supplier=world.strong).count() == 1
    client.post(url, {"action": "interested"})
    bad = client.post(url, {"action": "respond", "summary": "", "currency": "MXN"})
    assert bad.status_code == 400
    sent = client.post(
        url,
        {
            "action": "respond",
            "summary": "25 MXN por pieza",
            "quoted_value": "3000000",
            "currency": "MXN",
            "lead_time_weeks": "8",
            "documents": [SimpleUploadedFile("cotizacion.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert sent.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.QUOTED
    # Another SME sees nothing of it.
    client.force_login(world.weak_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("sourcing:attachment", args=[attachment.pk])).status_code == 404
    # The anchor records PPAP and the purchase order.
    client.force_login(world.reviewer_a)
    step = reverse("sourcing:anchor_invitation_step", args=[invitation.pk])
    assert client.post(step, {"to": "ppap", "version": invitation.version}).status_code == 302
    invitation.refresh_from_db()
    bad = client.post(step, {"to": "purchase_order", "purchase_order_value_mxn": "-1", "version": invitation.version})
    assert bad.status_code == 400
    ok = client.post(
        step,
        {
            "to": "purchase_order",
            "purchase_order_value_mxn": "2500000",
            "purchase_order_date": "2026-12-01",
            "version": invitation.version,
        },
    )
    assert ok.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "purchase_order" and invitation.purchase_order_value_mxn == Decimal("2500000")
    document = invitation.response.documents.get()
    assert client.get(reverse("sourcing:response_document", args=[document.pk])).status_code == 200
    client.force_login(world.reviewer_b)
    assert client.get(reverse("sourcing:response_document", args=[document.pk])).status_code == 404


def test_eligible_sme_sees_open_opportunity_and_says_it_is_interested(client, world):
    opportunity = world.post()
    client.force_login(world.sme_user)
    client.post(reverse("sourcing:sme_opportunity", args=[opportunity.pk]), {"action": "interested"})
    assert Invitation.objects.get(supplier=world.strong).status == "interested"
    # The weak SME misses the requirements: the opportunity is not shown to it.
    client.force_login(world.weak_user)
    assert "Soportes estampados" not in client.get(reverse("sourcing:sme_opportunities")).content.decode()
    # An invited-only opportunity is not shown to eligible SMEs.
    closed = world.post(title="Solo invitadas", visibility="invited")
    client.force_login(world.sme_user)
    assert client.get(reverse("sourcing:sme_opportunity", args=[closed.pk])).status_code == 404


def test_sme_agrees_to_be_visible(client, world):
    client.force_login(world.sme_user)
    client.post(reverse("sourcing:sme_opportunities"), {"visible": "0"})
    world.strong.anchor_visibility.refresh_from_db()
    assert world.strong.anchor_visibility.visible is False


def test_staff_post_on_behalf_and_moderate(client, world):
    client.force_login(world.staff)
    data = form_data(world, anchor=world.anchor_a.pk)
    response = client.post(reverse("sourcing:staff_opportunity_new"), data)
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and opportunity.anchor == world.anchor_a
    action = reverse("sourcing:anchor_opportunity_action", args=[opportunity.pk, "withdraw"])
    client.post(action, {"reason": "Información engañosa"})
    opportunity.refresh_from_db()
    assert opportunity.status == "withdrawn"
    assert "Soportes estampados" in client.get(reverse("sourcing:staff_opportunities")).content.decode()
    client.force_login(world.reviewer_a)
    client.post(reverse("sourcing:anchor_opportunity_action", args=[opportunity.pk, "restore"]))
    opportunity.refresh_from_db()
    assert opportunity.status == "withdrawn"


@pytest.mark.parametrize("who", ["sme", "anchor", "provider", "anonymous"])
def test_staff_pages_refuse_other_roles(client, world, provider, who):
    users = {"sme": world.sme_user, "anchor": world.reviewer_a, "provider": provider.user, "anonymous": None}
    if users[who]:
        client.force_login(users[who])
    for name in ("sourcing:staff_opportunities", "sourcing:staff_opportunity_new"):
        assert client.get(reverse(name)).status_code in (302, 403)


def test_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    opportunity = world.post()
    for n in range(8):
        supplier = world.visible_sme(score=70 + n, name=f"Extra {n}")
        services.invitation_create(opportunity=opportunity, supplier=supplier, actor=world.reviewer_a)
    services.opportunity_rank(opportunity_id=opportunity.pk)
    world.post(title="Segunda")
    AnchorReviewerFactory(anchor=world.anchor_a)
    pages = [
        (world.reviewer_a, reverse("sourcing:anchor_opportunity", args=[opportunity.pk])),
        (world.reviewer_a, reverse("sourcing:anchor_home")),
        (world.sme_user, reverse("sourcing:sme_opportunities")),
        (world.sme_user, reverse("sourcing:sme_opportunity", args=[opportunity.pk])),
        (world.staff, reverse("sourcing:staff_opportunities")),
    ]
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url


def test_the_dashboard_counts_verified_and_selected_smes_per_area_as_each_area_alone_would(world):
    from django.db.models import Exists, OuterRef

    from cohorts.models import Candidate
    from programs.models import CriticalSupplyArea
    from sourcing.selectors import anchor_area_summary
    from suppliers.models import Supplier

    rows = anchor_area_summary(world.anchor_a)
    areas = list(CriticalSupplyArea.objects.filter(anchors=world.anchor_a).order_by("code"))
    assert [r["area"] for r in rows] == areas and areas
    selected = Candidate.objects.filter(supplier=OuterRef("pk"), status="selected")
    for row in rows:
        smes = Supplier.objects.filter(supply_areas=row["area"], status="verified")
        assert row["total"] == smes.count() and row["total"] > 0
        assert row["selected"] == smes.filter(Exists(selected)).count()
