"""Writes through the sourcing API go through the services the pages call: the same rules, a 400 with the
field named and nothing saved on bad input, a version check on updates and steps (409 stale, 428 missing)."""

import datetime

import pytest
from rest_framework.test import APIClient

from core.models import AuditEvent
from sourcing import services
from sourcing.models import Invitation, Match, Opportunity, Response
from tests.programs.factories import CriticalSupplyAreaFactory, ProgramFactory
from tests.sourcing.world import SourcingWorld
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def world():
    return SourcingWorld()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(world, **overrides):
    data = {
        **{k: v for k, v in world.data().items() if k != "delivery_state"},
        "delivery_state": world.gto.code,
        "areas": [world.stamping.pk],
        "required_certifications": [world.iso.pk],
    }
    data.update(overrides)
    return {
        k: (v.isoformat() if isinstance(v, datetime.date) else str(v) if hasattr(v, "quantize") else v)
        for k, v in data.items()
    }


def test_an_anchor_posts_an_opportunity_for_its_own_company(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.reviewer_a).post(f"{API}opportunities/", body(world), format="json")
    assert response.status_code == 201, response.json()
    opportunity = Opportunity.objects.get()
    assert response.json()["id"] == opportunity.pk and response["ETag"] == '"1"'
    assert opportunity.anchor == world.anchor_a and opportunity.posted_by == world.reviewer_a
    assert list(opportunity.areas.all()) == [world.stamping]
    assert Match.objects.filter(opportunity=opportunity).count() == 2  # ranked once committed
    assert AuditEvent.objects.filter(action="opportunity_posted").count() == 1
    # Another company's name in the body is refused.
    refused = client_for(world.reviewer_a).post(
        f"{API}opportunities/", body(world, anchor=world.anchor_b.pk), format="json"
    )
    assert refused.status_code == 400 and "anchor" in refused.json()
    assert Opportunity.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"response_deadline": datetime.date(2020, 1, 1)}, "response_deadline"),
        ({"annual_value": "-5"}, "annual_value"),
        ({"annual_volume": -1}, "annual_volume"),
        ({"minimum_maturity_level": 7}, "minimum_maturity_level"),
        ({"areas": []}, "areas"),
        ({"start_date": datetime.date(2026, 1, 2), "response_deadline": datetime.date(2099, 1, 1)}, "start_date"),
        ({"title": "Soportes\x00"}, "title"),
        ({"delivery_state": "99"}, "delivery_state"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_saved(world, overrides, field):
    response = client_for(world.reviewer_a).post(f"{API}opportunities/", body(world, **overrides), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Opportunity.objects.exists() and not AuditEvent.objects.filter(action="opportunity_posted").exists()


def test_supply_areas_of_another_program_are_refused(world):
    other = CriticalSupplyAreaFactory(program=ProgramFactory(code="otro-programa"), code="OTR")
    for user in (world.reviewer_a, world.staff):
        data = body(world, areas=[other.pk], anchor=world.anchor_a.pk)
        response = client_for(user).post(f"{API}opportunities/", data, format="json")
        assert response.status_code == 400 and "areas" in response.json()
    assert not Opportunity.objects.exists()


def test_staff_post_for_an_anchor_of_their_program_and_must_name_it(world):
    staff = client_for(world.staff)
    missing = staff.post(f"{API}opportunities/", body(world), format="json")
    assert missing.status_code == 400 and "anchor" in missing.json()
    created = staff.post(f"{API}opportunities/", body(world, anchor=world.anchor_b.pk), format="json")
    assert created.status_code == 201 and created.json()["anchor"] == world.anchor_b.pk
    other_program = ProgramFactory(code="otro-programa")
    from tests.programs.factories import AnchorCompanyFactory

    foreign = AnchorCompanyFactory(program=other_program, name="Ancla ajena")
    refused = staff.post(f"{API}opportunities/", body(world, anchor=foreign.pk), format="json")
    assert refused.status_code == 400 and "anchor" in refused.json()
    assert Opportunity.objects.count() == 1


def test_updates_name_the_version_read(world):
    opportunity = world.post()
    anchor = client_for(world.reviewer_a)
    url = f"{API}opportunities/{opportunity.pk}/"
    read = anchor.get(url)
    assert read["ETag"] == '"1"'
    assert anchor.patch(url, {"title": "Sin versión"}, format="json").status_code == 428
    changed = anchor.patch(url, {"title": "Soportes 2027"}, format="json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200 and changed.json()["title"] == "Soportes 2027" and changed["ETag"] == '"2"'
    stale = anchor.patch(url, {"title": "Tarde", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    bad = anchor.patch(url, {"annual_value": "-1", "version": 2}, format="json")
    assert bad.status_code == 400 and "annual_value" in bad.json()
    past = anchor.patch(url, {"response_deadline": "2020-01-01", "version": 2}, format="json")
    assert past.status_code == 400 and "response_deadline" in past.json()
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.version) == ("Soportes 2027", 2)
    # Another anchor, an SME and staff of another program do not reach it.
    assert client_for(world.reviewer_b).patch(url, {"title": "X", "version": 2}, format="json").status_code == 404
    assert client_for(world.sme_user).patch(url, {"title": "X", "version": 2}, format="json").status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.title == "Soportes 2027"


def test_status_close_reopen_and_moderation(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/status/"
    anchor, staff = client_for(world.reviewer_a), client_for(world.staff)
    assert anchor.post(url, {"to": "closed"}, format="json").json()["status"] == "closed"
    assert anchor.post(url, {"to": "open"}, format="json").json()["status"] == "open"
    assert anchor.post(url, {"to": "withdrawn", "reason": "x"}, format="json").status_code == 400
    assert staff.post(url, {"to": "withdrawn"}, format="json").status_code == 400
    withdrawn = staff.post(url, {"to": "withdrawn", "reason": "Datos engañosos"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["moderation_note"] == "Datos engañosos"
    assert anchor.get(f"{API}opportunities/{opportunity.pk}/").json()["moderation_note"] == "Datos engañosos"
    assert client_for(world.sme_user).post(url, {"to": "closed"}, format="json").status_code == 403


def test_the_anchor_shortlists_and_invites_from_its_ranked_list(world):
    opportunity = world.post()
    anchor = client_for(world.reviewer_a)
    match = Match.objects.get(opportunity=opportunity, supplier=world.strong)
    listed = anchor.post(f"{API}opportunity-matches/{match.pk}/shortlist/", {"shortlisted": True}, format="json")
    assert listed.status_code == 200 and listed.json()["shortlisted"] is True
    invited = anchor.post(
        f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": world.strong.pk}, format="json"
    )
    assert invited.status_code == 201, invited.json()
    assert invited.json()["status"] == "invited" and invited.json()["supplier_name"] == "Troqueles del Bajío"
    row = anchor.get(f"{API}opportunity-matches/{match.pk}/").json()
    assert row["invited"] is True
    again = anchor.post(
        f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": world.strong.pk}, format="json"
    )
    assert again.status_code == 400 and "supplier" in again.json()
    assert Invitation.objects.count() == 1


def test_invitations_refused_out_of_the_program_out_of_the_list_and_to_others(world):
    opportunity = world.post()
    outsider = SupplierFactory(program=ProgramFactory(code="otro-programa"))
    anchor, staff = client_for(world.reviewer_a), client_for(world.staff)
    for client in (anchor, staff):
        response = client.post(
            f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": outsider.pk}, format="json"
        )
        assert response.status_code == 400 and "supplier" in response.json(), response.json()
    # An SME that did not agree to be visible to anchors is not in the ranked list: the anchor cannot invite it.
    hidden = anchor.post(
        f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": world.hidden.pk}, format="json"
    )
    assert hidden.status_code == 400 and "supplier" in hidden.json()
    # Another anchor's opportunity reads as one that does not exist; SMEs and providers never invite.
    other = client_for(world.reviewer_b).post(
        f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": world.strong.pk}, format="json"
    )
    assert other.status_code == 400 and "opportunity" in other.json()
    sme = client_for(world.sme_user).post(
        f"{API}invitations/", {"opportunity": opportunity.pk, "supplier": world.strong.pk}, format="json"
    )
    assert sme.status_code == 403
    assert not Invitation.objects.exists()


def test_the_sme_takes_its_steps_and_the_anchor_records_the_purchase_order(world):
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    sme, anchor = client_for(world.sme_user), client_for(world.reviewer_a)
    url = f"{API}invitations/{invitation.pk}/"
    assert sme.post(f"{url}accept-terms/").status_code == 200
    version = sme.get(url).json()["version"]
    assert sme.post(f"{url}interest/", {}, format="json").status_code == 400  # no version
    interested = sme.post(f"{url}interest/", {"version": version}, format="json")
    assert interested.status_code == 200 and interested.json()["status"] == "interested"
    # The anchor cannot mark interest, the SME cannot record a purchase order.
    assert anchor.post(f"{url}interest/", {"version": interested.json()["version"]}, format="json").status_code == 403
    # A response: bad input is refused and nothing saved, then the quote.
    for bad, field in (({"summary": ""}, "summary"), ({"summary": "x", "quoted_value": "-1"}, "quoted_value")):
        refused = sme.post(f"{API}responses/", {"invitation": invitation.pk, **bad}, format="json")
        assert refused.status_code == 400 and field in refused.json()
    assert not Response.objects.exists()
    sent = sme.post(
        f"{API}responses/",
        {"invitation": invitation.pk, "summary": "25 MXN por pieza", "quoted_value": "3000000", "lead_time_weeks": 8},
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    assert sent.json()["supplier"] == world.strong.pk and sent.json()["summary"] == "25 MXN por pieza"
    assert client_for(world.reviewer_a).get(f"{API}responses/{sent.json()['id']}/").status_code == 200
    # The track: the SME cannot record PPAP; the anchor records it, then the purchase order.
    track = f"{API}sourcing-outcomes/{invitation.pk}/"
    version = anchor.get(track).json()["version"]
    assert anchor.get(track).json()["status"] == "quoted"
    assert sme.post(f"{track}step/", {"to": "ppap", "version": version}, format="json").status_code == 403
    ppap = anchor.post(f"{track}step/", {"to": "ppap", "version": version}, format="json")
    assert ppap.status_code == 200 and set(ppap.json()["reached"]) == {"invited", "interested", "quoted", "ppap"}
    version = ppap.json()["version"]
    for bad, field in (
        ({}, "purchase_order_value_mxn"),
        ({"purchase_order_value_mxn": "-1", "purchase_order_date": "2026-12-01"}, "purchase_order_value_mxn"),
        ({"purchase_order_value_mxn": "2500000"}, "purchase_order_date"),
    ):
        refused = anchor.post(f"{track}step/", {"to": "purchase_order", "version": version, **bad}, format="json")
        assert refused.status_code == 400 and field in refused.json(), refused.json()
    stale = anchor.post(
        f"{track}step/",
        {
            "to": "purchase_order",
            "version": version - 1,
            "purchase_order_value_mxn": "1",
            "purchase_order_date": "2026-12-01",
        },
        format="json",
    )
    assert stale.status_code == 409
    invitation.refresh_from_db()
    assert invitation.status == "ppap" and invitation.purchase_order_value_mxn is None
    awarded = anchor.post(
        f"{track}step/",
        {
            "to": "purchase_order",
            "version": version,
            "purchase_order_value_mxn": "2500000",
            "purchase_order_date": "2026-12-01",
        },
        format="json",
    )
    assert awarded.status_code == 200
    assert awarded.json()["purchase_order_value_mxn"] == "2500000.00" and awarded.json()["status"] == "purchase_order"
    # The SME reads its own track.
    assert sme.get(track).json()["purchase_order_value_mxn"] == "2500000.00"
    # Another anchor does not reach the track.
    assert (
        client_for(world.reviewer_b)
        .post(f"{track}step/", {"to": "supplying", "version": awarded.json()["version"]}, format="json")
        .status_code
        == 404
    )


def test_the_sme_declines_with_a_reason(world):
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    sme = client_for(world.sme_user)
    url = f"{API}invitations/{invitation.pk}/decline/"
    missing = sme.post(url, {"version": invitation.version, "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    declined = sme.post(url, {"version": invitation.version, "reason": "Sin capacidad este año"}, format="json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    # Another SME does not reach it.
    assert client_for(world.weak_user).post(url, {"version": 2, "reason": "x"}, format="json").status_code == 404


def test_an_eligible_sme_says_it_is_interested_without_an_invitation(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/interest/"
    interested = client_for(world.sme_user).post(url)
    assert interested.status_code == 201 and interested.json()["status"] == "interested"
    assert client_for(world.sme_user).post(url).status_code == 400  # already taking part
    # Not eligible (misses the required certification): the opportunity is not even visible.
    assert client_for(world.weak_user).post(url).status_code == 404
    assert client_for(world.reviewer_a).post(url).status_code == 403
    assert Invitation.objects.count() == 1
