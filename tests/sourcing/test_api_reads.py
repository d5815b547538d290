"""What each role reads of the sourcing API: an anchor only its own company's opportunities (and their ranks,
invitations, responses, tracks); an SME only what it is invited to or eligible for, and its own; staff only
their programs'; providers nothing. Lists and details read a number of queries that does not grow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from programs.models import ProgramStaff
from sourcing import services
from sourcing.models import AttachmentDownload
from tests.programs.factories import ProgramFactory, UserFactory, make_staff
from tests.sourcing.world import SourcingWorld

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
API = "/api/v1/"
RESOURCES = ("opportunities", "opportunity-matches", "invitations", "responses", "sourcing-outcomes")


@pytest.fixture
def world():
    return SourcingWorld()


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def quoted(world, opportunity, supplier, sme_user):
    """``supplier`` invited by the anchor, with its response sent."""
    invitation = services.invitation_create(opportunity=opportunity, supplier=supplier, actor=world.reviewer_a)
    services.response_submit(
        invitation=invitation, actor=sme_user, summary="25 MXN por pieza", quoted_value=1000, lead_time_weeks=6
    )
    return invitation


@pytest.fixture
def posted(world):
    opportunity = world.post()
    invitation = quoted(world, opportunity, world.strong, world.sme_user)
    return opportunity, invitation


def ids(client, resource, **params):
    response = client.get(f"{API}{resource}/", params)
    assert response.status_code == 200, (resource, response.content[:300])
    return {row["id"] for row in response.json()["results"]}


def test_the_anchor_reads_its_own_company_and_nothing_of_other_anchors(world, posted):
    opportunity, invitation = posted
    own, other = client_for(world.reviewer_a), client_for(world.reviewer_b)
    assert ids(own, "opportunities") == {opportunity.pk}
    matches = ids(own, "opportunity-matches")
    assert len(matches) == 2  # the strong and the weak SME; the one that did not agree to be visible is not ranked
    assert ids(own, "invitations") == {invitation.pk} == ids(own, "sourcing-outcomes")
    assert ids(own, "responses") == {invitation.response.pk}
    for resource in RESOURCES:
        assert ids(other, resource) == set(), resource
    match = next(iter(matches))
    for path in (
        f"opportunities/{opportunity.pk}/",
        f"opportunity-matches/{match}/",
        f"invitations/{invitation.pk}/",
        f"responses/{invitation.response.pk}/",
        f"sourcing-outcomes/{invitation.pk}/",
    ):
        assert own.get(API + path).status_code == 200, path
        assert other.get(API + path).status_code == 404, path
    # The administrator of the company reads the same.
    assert ids(client_for(world.admin_a), "opportunities") == {opportunity.pk}


def test_a_colleague_whose_access_was_withdrawn_reads_nothing(world, posted):
    from programs.models import AnchorReviewer

    link = AnchorReviewer.objects.get(user=world.reviewer_a)
    services.anchor_colleague_deactivate(link=link, actor=world.admin_a)
    client = client_for(world.reviewer_a)
    for resource in RESOURCES:
        assert client.get(f"{API}{resource}/").status_code == 403, resource


def test_an_sme_reads_what_it_is_invited_to_or_eligible_for_and_never_a_rank(world, posted):
    opportunity, invitation = posted
    invited_only = world.post(title="Solo invitadas", visibility="invited")
    sme, other = client_for(world.sme_user), client_for(world.weak_user)
    # The strong SME: invited to the first, not to the invited-only one.
    assert ids(sme, "opportunities") == {opportunity.pk}
    assert sme.get(f"{API}opportunities/{invited_only.pk}/").status_code == 404
    assert ids(sme, "invitations") == {invitation.pk} == ids(sme, "sourcing-outcomes")
    assert ids(sme, "responses") == {invitation.response.pk}
    assert sme.get(f"{API}opportunity-matches/").status_code == 403
    # The weak SME misses the requirements and is not invited: nothing.
    assert ids(other, "opportunities") == set()
    for path in (
        f"opportunities/{opportunity.pk}/",
        f"invitations/{invitation.pk}/",
        f"sourcing-outcomes/{invitation.pk}/",
    ):
        assert other.get(API + path).status_code == 404, path
    assert other.get(f"{API}responses/{invitation.response.pk}/").status_code == 404
    # Invited, the weak SME reads that one opportunity (and its own invitation only).
    weak_invitation = services.invitation_create(opportunity=invited_only, supplier=world.weak, actor=world.reviewer_a)
    assert ids(other, "opportunities") == {invited_only.pk}
    assert ids(other, "invitations") == {weak_invitation.pk}


def test_an_eligible_sme_reads_an_open_opportunity_before_any_invitation(world):
    opportunity = world.post()
    assert ids(client_for(world.sme_user), "opportunities") == {opportunity.pk}
    assert ids(client_for(world.sme_user), "invitations") == set()


def test_staff_read_their_programs_only(world, posted):
    opportunity, invitation = posted
    staff = client_for(world.staff)
    assert ids(staff, "opportunities") == {opportunity.pk}
    assert len(ids(staff, "opportunity-matches")) == 2
    assert ids(staff, "invitations") == {invitation.pk}
    outsider = make_staff(UserFactory(username="otra-coordinacion"), ProgramFactory(code="otro-programa"))
    assert list(ProgramStaff.objects.filter(user=outsider).values_list("program__code", flat=True)) == ["otro-programa"]
    other = client_for(outsider)
    for resource in RESOURCES:
        assert ids(other, resource) == set(), resource
    assert other.get(f"{API}opportunities/{opportunity.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["provider", "anonymous", "no_role"])
def test_providers_users_without_a_role_and_visitors_get_nothing(world, posted, provider, who):
    opportunity, invitation = posted
    user = {"provider": provider.user, "anonymous": None, "no_role": UserFactory(username="sin-rol")}[who]
    client = client_for(user)
    for resource in RESOURCES:
        assert client.get(f"{API}{resource}/").status_code in (401, 403), resource
    assert client.get(f"{API}opportunities/{opportunity.pk}/").status_code in (401, 403)
    assert client.post(
        f"{API}sourcing-outcomes/{invitation.pk}/step/", {"to": "ppap", "version": invitation.version}, format="json"
    ).status_code in (401, 403)
    invitation.refresh_from_db()
    assert invitation.status == "quoted"


def test_the_anchor_never_reads_an_smes_finances_through_a_rank(world):
    world.strong.annual_sales_mdp = 123.45
    world.strong.save()
    opportunity = world.post()
    anchor = client_for(world.reviewer_a).get(f"{API}opportunity-matches/", {"opportunity": opportunity.pk})
    assert anchor.status_code == 200
    text = anchor.content.decode()
    rows = anchor.json()["results"]
    assert rows[0]["supplier_name"] == "Troqueles del Bajío" and rows[0]["rank"] == 1
    assert rows[0]["state"] == "11" and "ISO 9001" in rows[0]["certifications"]
    assert rows[0]["maturity_level"] == 3 and rows[0]["dimension_scores"] == {"quality": 80.0}
    for row in rows:
        assert "capacity" not in row["parts"] and set(row["parts"]) == {
            "area",
            "certifications",
            "maturity",
            "distance",
            "history",
        }
        capacity = [r for r in row["reasons"] if r["code"] == "capacity"]
        assert capacity and "%" not in capacity[0]["text"]
    assert "123.45" not in text and "annual_sales" not in text and world.strong.rfc not in text
    assert "rfc" not in rows[0] and "employees" not in rows[0]
    # Staff see the capacity part and its share.
    staff = client_for(world.staff).get(f"{API}opportunity-matches/", {"opportunity": opportunity.pk})
    assert staff.status_code == 200
    assert all("capacity" in row["parts"] for row in staff.json()["results"])


def test_download_links_only_for_who_may_download_and_every_download_logged(world, posted):
    opportunity, invitation = posted
    for name, confidential in (("plano.pdf", True), ("ficha.pdf", False)):
        services.attachment_add(
            opportunity=opportunity,
            actor=world.reviewer_a,
            uploaded=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
            is_confidential=confidential,
        )
    drawing, sheet = opportunity.attachments.order_by("id")
    sme = client_for(world.sme_user)
    url = f"{API}opportunities/{opportunity.pk}/"
    links = {a["id"]: a["download_url"] for a in sme.get(url).json()["attachments"]}
    assert links[drawing.pk] is None and links[sheet.pk]  # not before the terms are accepted
    assert sme.get(f"{url}attachments/{drawing.pk}/download/").status_code == 404
    accepted = sme.post(f"{API}invitations/{invitation.pk}/accept-terms/")
    assert accepted.status_code == 200 and accepted.json()["terms_accepted_at"]
    links = {a["id"]: a["download_url"] for a in sme.get(url).json()["attachments"]}
    assert links[drawing.pk].endswith(f"/api/v1/opportunities/{opportunity.pk}/attachments/{drawing.pk}/download/")
    download = sme.get(links[drawing.pk])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    logged = AttachmentDownload.objects.filter(attachment=drawing, supplier=world.strong, user=world.sme_user)
    assert logged.count() == 1
    # The anchor downloads too (logged); another anchor, an SME that is not invited and a provider may not.
    anchor = client_for(world.reviewer_a)
    assert all(a["download_url"] for a in anchor.get(url).json()["attachments"])
    assert anchor.get(f"{url}attachments/{drawing.pk}/download/").status_code == 200
    assert AttachmentDownload.objects.filter(attachment=drawing).count() == 2
    assert client_for(world.reviewer_b).get(f"{url}attachments/{drawing.pk}/download/").status_code == 404
    assert client_for(world.weak_user).get(f"{url}attachments/{sheet.pk}/download/").status_code == 404
    # A file of another opportunity is not reached through this one.
    elsewhere = world.post(title="Otra")
    assert anchor.get(f"{API}opportunities/{elsewhere.pk}/attachments/{drawing.pk}/download/").status_code == 404
    assert AttachmentDownload.objects.filter(attachment=drawing).count() == 2


def test_response_documents_are_linked_for_the_anchor_and_the_sme_only(world):
    opportunity = world.post()
    invitation = services.invitation_create(opportunity=opportunity, supplier=world.strong, actor=world.reviewer_a)
    response = services.response_submit(
        invitation=invitation,
        actor=world.sme_user,
        summary="Cotización",
        documents=[SimpleUploadedFile("cotizacion.pdf", PDF, content_type="application/pdf")],
    )
    document = response.documents.get()
    path = f"{API}responses/{response.pk}/documents/{document.pk}/download/"
    for user in (world.reviewer_a, world.sme_user, world.staff):
        body = client_for(user).get(f"{API}responses/{response.pk}/").json()
        assert body["documents"][0]["download_url"].endswith(path)
        assert client_for(user).get(path).status_code == 200
    for user in (world.reviewer_b, world.weak_user):
        assert client_for(user).get(path).status_code == 404


# --- queries ---------------------------------------------------------------------------------------------


def grow(world, n):
    """``n`` more opportunities of the anchor, each ranked, with both visible SMEs invited and quoted."""
    from tests.suppliers.factories import ContactFactory

    for i in range(n):
        opportunity = world.post(title=f"Pieza {i}", certifications=[])
        services.attachment_add(
            opportunity=opportunity,
            actor=world.reviewer_a,
            uploaded=SimpleUploadedFile("plano.pdf", PDF, content_type="application/pdf"),
        )
        strong = quoted(world, opportunity, world.strong, world.sme_user)
        services.invitation_accept_terms(invitation=strong, actor=world.sme_user)
        weak_user = ContactFactory(supplier=world.weak, is_primary=False, with_user=True).user if i == 0 else None
        invitation = services.invitation_create(opportunity=opportunity, supplier=world.weak, actor=world.reviewer_a)
        services.invitation_accept_terms(invitation=invitation, actor=weak_user or world.weak_user)


READERS = [(role, resource) for role in ("anchor", "staff", "sme") for resource in RESOURCES]
READERS.remove(("sme", "opportunity-matches"))  # SMEs never read a rank


@pytest.mark.parametrize("role, resource", READERS)
def test_lists_and_details_read_a_constant_number_of_queries(world, django_assert_max_num_queries, role, resource):
    user = {"anchor": world.reviewer_a, "staff": world.staff, "sme": world.sme_user}[role]
    client = client_for(user)
    grow(world, 1)
    url = f"{API}{resource}/"
    with django_assert_max_num_queries(14) as few:
        response = client.get(url)
        assert response.status_code == 200
    first = response.json()["results"][0]["id"]
    with django_assert_max_num_queries(14) as one:
        detail = client.get(f"{url}{first}/")
        assert detail.status_code == 200
    grow(world, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        assert response.status_code == 200
    assert len(response.json()["results"]) >= 4
    last = response.json()["results"][-1]["id"]
    with django_assert_max_num_queries(len(one.captured_queries)):
        detail = client.get(f"{url}{last}/")
        assert detail.status_code == 200
