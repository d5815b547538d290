"""Evidence files on plan items: the SME, its provider and staff upload them from the item's page; the file's real
type is checked; it is stored under a random name outside the static files and served only to those who may see
the plan (staff, the SME, its providers while assigned)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from support import services
from support.models import Evidence
from tests.cohorts.factories import CandidateFactory
from tests.conftest import get_ok
from tests.programs.factories import AnchorReviewerFactory
from tests.suppliers.conftest import JPEG_BYTES, PDF_BYTES
from tests.suppliers.factories import ContactFactory

from .factories import SupportWorld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return SupportWorld()


def _post(client, url, item, name, content, note=""):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(url, {"action": f"evidence-{item.pk}", f"e{item.pk}-note": note, f"e{item.pk}-file": upload})


def test_the_sme_uploads_evidence_and_downloads_it(client, world, settings, tmp_path):
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    client.force_login(world.sme_user)
    page = get_ok(client, "/mi-cuenta/plan/").content.decode()
    assert 'enctype="multipart/form-data"' in page and f'name="e{item.pk}-file"' in page
    response = _post(client, "/mi-cuenta/plan/", item, "bitácora de control.pdf", PDF_BYTES, note="Bitácora")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.note == "Bitácora" and evidence.file.name.endswith(".pdf")
    assert "bitácora" not in evidence.file.name  # stored under a random name, never the uploader's
    stored = (tmp_path / "media" / evidence.file.name).resolve()
    assert stored.is_file() and not str(stored).startswith(str(settings.BASE_DIR / "static"))
    page = get_ok(client, "/mi-cuenta/plan/").content.decode()
    assert f"/planes/evidencia/{evidence.pk}/" in page
    download = client.get(f"/planes/evidencia/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="evidencia-{evidence.pk}.pdf"'


def test_a_file_whose_content_is_not_a_pdf_png_or_jpeg_is_refused(client, world):
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    client.force_login(world.sme_user)
    fake = _post(client, "/mi-cuenta/plan/", item, "informe.pdf", b"#!/bin/sh\necho hola\n", note="Informe")
    assert fake.status_code == 400 and not Evidence.objects.exists()
    assert "Solo se aceptan archivos PDF, PNG o JPEG" in fake.content.decode()
    assert "Informe</textarea>" in fake.content.decode()  # nothing typed is lost
    mismatch = _post(client, "/mi-cuenta/plan/", item, "foto.pdf", JPEG_BYTES)
    assert mismatch.status_code == 400 and not Evidence.objects.exists()
    empty = client.post("/mi-cuenta/plan/", {"action": f"evidence-{item.pk}", f"e{item.pk}-note": " "})
    assert empty.status_code == 400 and "Escriba una nota o adjunte un archivo" in empty.content.decode()
    assert not Evidence.objects.exists()


def test_the_provider_and_staff_upload_evidence_on_their_pages(client, world):
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    client.force_login(world.provider.user)
    provider_page = f"/asesores/pymes/{world.candidate.pk}/"
    assert f'name="e{item.pk}-file"' in get_ok(client, provider_page).content.decode()
    assert _post(client, provider_page, item, "foto.jpg", JPEG_BYTES).status_code == 302
    bad = _post(client, provider_page, item, "foto.jpg", b"no es una imagen")
    assert bad.status_code == 400 and Evidence.objects.count() == 1
    client.force_login(world.staff)
    staff_page = f"/staff/support/plans/{plan.pk}/"
    assert f'name="e{item.pk}-file"' in get_ok(client, staff_page).content.decode()
    assert _post(client, staff_page, item, "acta.pdf", PDF_BYTES, note="Acta firmada").status_code == 302
    assert sorted(e.file.name.rsplit(".", 1)[1] for e in Evidence.objects.all()) == ["jpg", "pdf"]
    # An item of another plan cannot receive evidence through this plan's page.
    other = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=45), status="selected")
    other_item = services.plan_create(candidate=other, actor=world.staff, items=[{"title": "5S"}]).items.get()
    assert _post(client, staff_page, other_item, "acta.pdf", PDF_BYTES).status_code == 404


def test_evidence_files_are_served_only_to_who_may_see_the_plan(client, world):
    plan = world.plan()
    item = plan.items.get(kind="improvement")
    upload = SimpleUploadedFile("acta.pdf", PDF_BYTES)
    evidence = services.evidence_add(item=item, actor=world.staff, file=upload)
    url = f"/planes/evidencia/{evidence.pk}/"
    note_only = services.evidence_add(item=item, actor=world.staff, note="Sin archivo")

    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(world.staff)
    assert client.get(url).status_code == 200
    assert client.get(f"/planes/evidencia/{note_only.pk}/").status_code == 404
    client.force_login(world.sme_user)
    assert client.get(url).status_code == 200
    client.force_login(world.provider.user)
    assert client.get(url).status_code == 200

    other_sme = CandidateFactory(cohort=world.cohort, supplier=world.sme(score=45), status="selected")
    other_user = ContactFactory(supplier=other_sme.supplier, is_primary=False, with_user=True).user
    stranger = world.make_provider(name="Otro Asesor")
    anchor = AnchorReviewerFactory().user
    for user in (other_user, stranger.user, anchor):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    services.assignment_end(
        assignment=world.provider.assignments.get(),
        actor=world.staff,
        ends_on=world.today - datetime.timedelta(days=1),
    )
    client.force_login(world.provider.user)
    assert client.get(url).status_code == 404  # only while the assignment lasts


def test_the_evidence_form_states_the_configured_upload_limit(settings):
    from support.forms import EvidenceForm

    settings.SDP_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    with translation.override("en"):
        assert EvidenceForm().fields["file"].help_text == "PDF, PNG or JPEG, up to 5.0\xa0MB."
