"""Files through the sourcing API: an opportunity's attachments are uploaded as multipart, checked by their
content as on the pages; a refused file is a 400 with the field named and nothing
stored; only the opportunity's anchor and staff add attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sourcing.models import Attachment
from tests.sourcing.world import SourcingWorld
from tests.suppliers.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db
API = "/api/v1/"


@pytest.fixture
def world():
    return SourcingWorld()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def pdf(name="plano.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_the_anchor_adds_a_confidential_drawing_and_downloads_it(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/attachments/"
    added = client_for(world.reviewer_a).post(url, {"file": pdf(), "is_confidential": "true"}, format="multipart")
    assert added.status_code == 201, added.json()
    attachment = Attachment.objects.get()
    assert added.json()["id"] == attachment.pk and added.json()["is_confidential"] is True
    assert attachment.original_name == "plano.pdf" and attachment.content_type == "application/pdf"
    assert attachment.file.name != "plano.pdf"  # stored under a random name
    download = client_for(world.reviewer_a).get(added.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    # Staff of the program add one too; it shows in the opportunity.
    staff = client_for(world.staff).post(url, {"file": pdf("ficha.pdf"), "is_confidential": "false"})
    assert staff.status_code == 201
    shown = client_for(world.reviewer_a).get(f"{API}opportunities/{opportunity.pk}/").json()["attachments"]
    assert [a["original_name"] for a in shown] == ["plano.pdf", "ficha.pdf"]


def test_a_refused_file_is_a_400_and_nothing_is_stored(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/attachments/"
    fake = SimpleUploadedFile("plano.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client_for(world.reviewer_a).post(url, {"file": fake, "is_confidential": "true"})
    assert refused.status_code == 400 and "file" in refused.json(), refused.json()
    missing = client_for(world.reviewer_a).post(url, {"is_confidential": "true"})
    assert missing.status_code == 400 and "file" in missing.json()
    unsaid = client_for(world.reviewer_a).post(url, {"file": pdf()})
    assert unsaid.status_code == 400 and "is_confidential" in unsaid.json()
    assert not Attachment.objects.exists()


def test_only_the_opportunitys_anchor_and_staff_add_files(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/attachments/"
    data = {"file": pdf(), "is_confidential": "true"}
    assert client_for(world.reviewer_b).post(url, data).status_code == 404  # another anchor's
    assert client_for(world.sme_user).post(url, {**data, "file": pdf()}).status_code == 403
    assert APIClient().post(url, {**data, "file": pdf()}).status_code in (401, 403)
    assert not Attachment.objects.exists()


def test_a_repeated_single_valued_form_field_is_a_400(world):
    opportunity = world.post()
    url = f"{API}opportunities/{opportunity.pk}/attachments/"
    refused = client_for(world.reviewer_a).post(url, {"file": pdf(), "is_confidential": ["false", "true"]})
    assert refused.status_code == 400 and "is_confidential" in refused.json(), refused.json()
    assert not Attachment.objects.exists()
