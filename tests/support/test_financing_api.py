"""``/api/v1/financing-cases/`` by role: staff everything, the SME only its own (read and open), anchors and
providers nothing; version checks (409), illegal moves 400 with field messages and nothing saved."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from cohorts.models import Candidate
from support.models import Disbursement, FinancingCase, FinancingDocument
from support.services import financing_document_add
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import ProgramFactory
from tests.suppliers.factories import ContactFactory

from .factories import SupportWorld, financing_case, financing_to

pytestmark = pytest.mark.django_db
URL = "/api/v1/financing-cases/"


@pytest.fixture
def world():
    return SupportWorld()


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_staff_run_a_case_with_versions_and_illegal_moves_refused(world):
    staff = client_for(world.staff)
    created = staff.post(
        URL,
        {"candidate": world.candidate.pk, "institution": "nafin", "product": "credit", "amount_requested": "900000"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["status"] == "referral" and [s["status"] for s in case["steps"]] == ["referral"]
    detail = f"{URL}{case['id']}/"
    refused = staff.post(f"{detail}disburse/", {"amount": "100", "version": case["version"]}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    assert staff.patch(detail, {"bank": "Banorte"}, format="json").status_code == 400  # no version
    edited = staff.patch(detail, {"bank": "Banorte", "version": case["version"]}, format="json")
    assert edited.status_code == 200 and edited.json()["bank"] == "Banorte"
    assert staff.patch(detail, {"bank": "BBVA", "version": case["version"]}, format="json").status_code == 409
    version = edited.json()["version"]
    moved = staff.post(f"{detail}move/", {"to": "application", "version": version}, format="json")
    assert moved.status_code == 200
    back = staff.post(f"{detail}move/", {"to": "referral", "version": moved.json()["version"]}, format="json")
    assert back.status_code == 400 and "reason" in back.json()
    approved = staff.post(
        f"{detail}move/",
        {"to": "approved", "amount_approved": "600000", "version": moved.json()["version"]},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["amount_approved"] == "600000.00"
    version = approved.json()["version"]
    first = staff.post(f"{detail}disburse/", {"amount": "400000", "version": version}, format="json")
    assert first.status_code == 201 and first.json()["status"] == "disbursed"
    over = staff.post(f"{detail}disburse/", {"amount": "200000.01", "version": first.json()["version"]}, format="json")
    assert over.status_code == 400 and "amount" in over.json()
    assert Disbursement.objects.count() == 1
    stale = staff.post(f"{detail}disburse/", {"amount": "1", "version": version}, format="json")
    assert stale.status_code == 409
    second = staff.post(f"{detail}disburse/", {"amount": "200000", "version": first.json()["version"]}, format="json")
    body = second.json()
    assert [d["amount"] for d in body["disbursements"]] == ["400000.00", "200000.00"]
    assert body["amount_disbursed"] == "600000.00"
    assert [s["status"] for s in body["steps"]] == ["referral", "application", "approved", "disbursed"]


def test_the_sme_reads_and_opens_only_its_own_cases(world):
    other_supplier = world.sme(score=44)
    other = CandidateFactory(cohort=world.cohort, supplier=other_supplier, status=Candidate.Status.SELECTED)
    theirs = financing_case(world, candidate=other)
    mine = financing_case(world)
    sme = client_for(world.sme_user)
    assert [c["id"] for c in sme.get(URL).json()["results"]] == [mine.pk]
    assert sme.get(f"{URL}{theirs.pk}/").status_code == 404
    opened = sme.post(
        URL, {"institution": "bancomext", "product": "guarantee", "amount_requested": "50000"}, format="json"
    )
    assert opened.status_code == 201 and FinancingCase.objects.get(pk=opened.json()["id"]).candidate == world.candidate
    for_other = sme.post(
        URL,
        {"candidate": other.pk, "institution": "nafin", "product": "credit", "amount_requested": "1"},
        format="json",
    )
    assert for_other.status_code == 403
    assert sme.post(f"{URL}{mine.pk}/move/", {"to": "application", "version": 1}, format="json").status_code == 403
    assert sme.patch(f"{URL}{mine.pk}/", {"bank": "X", "version": 1}, format="json").status_code == 403
    assert FinancingCase.objects.filter(candidate=other).count() == 1


@pytest.mark.parametrize("who", ["anchor", "provider", "other_sme", "anonymous"])
def test_anchors_providers_other_smes_and_visitors_see_no_case(world, who):
    case = financing_to(world, financing_case(world), "approved")
    if who == "other_sme":
        supplier = world.sme(score=41)
        CandidateFactory(cohort=world.cohort, supplier=supplier, status=Candidate.Status.SELECTED)
        user = ContactFactory(supplier=supplier, is_primary=False, with_user=True).user
    else:
        user = {"anchor": world.reviewer_a, "provider": world.provider.user, "anonymous": None}[who]
    client = client_for(user)
    listed = client.get(URL)
    if who == "other_sme":
        assert listed.status_code == 200 and listed.json()["results"] == []
        assert client.get(f"{URL}{case.pk}/").status_code == 404
    else:
        assert listed.status_code in (401, 403)
        assert client.get(f"{URL}{case.pk}/").status_code in (401, 403)
    assert client.post(
        f"{URL}{case.pk}/disburse/", {"amount": "1", "version": case.version}, format="json"
    ).status_code in (
        401,
        403,
        404,
    )
    case.refresh_from_db()
    assert case.amount_disbursed == Decimal("0")


def test_the_list_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    staff = client_for(world.staff)
    financing_to(world, financing_case(world), "disbursed", paid=("100000", "200000"))
    with django_assert_max_num_queries(12) as few:
        assert staff.get(URL).status_code == 200
    for _ in range(6):
        financing_to(world, financing_case(world), "disbursed", paid=("100000", "200000"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff.get(URL)
        assert response.status_code == 200
    assert len(response.json()["results"]) == 7
    assert staff.get(URL, {"candidate": ""}).status_code == 400


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def _stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("who", ["staff", "sme"])
def test_staff_and_the_sme_upload_and_list_documents_served_by_the_private_download(world, media, who):
    case = financing_case(world)
    user = world.staff if who == "staff" else world.sme_user
    api = client_for(user)
    url = f"{URL}{case.pk}/documents/"
    assert api.get(url).json() == []
    sent = api.post(
        url, {"title": "Estados financieros 2025", "file": SimpleUploadedFile("mis edos.pdf", PDF)}, format="multipart"
    )
    assert sent.status_code == 201, sent.json()
    body = sent.json()
    document = FinancingDocument.objects.get(pk=body["id"])
    assert body["title"] == "Estados financieros 2025" and body["content_type"] == "application/pdf"
    assert body["download_url"].endswith(f"/financiamiento/documentos/{document.pk}/")
    # Stored under a random name, never the uploader's.
    stored = document.file.name.rsplit("/", 1)[-1]
    assert "edos" not in stored and stored.endswith(".pdf") and len(stored) == len("x" * 20 + ".pdf")
    assert [p.name for p in _stored_files(media)] == [stored]
    listed = api.get(url).json()
    assert [d["id"] for d in listed] == [document.pk] and listed[0]["download_url"] == body["download_url"]
    assert api.get(f"{URL}{case.pk}/").json()["documents"][0]["download_url"] == body["download_url"]
    page = Client()
    for reader in (world.staff, world.sme_user):
        page.force_login(reader)
        download = page.get(body["download_url"])
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Cache-Control"] == "private, no-store"
        assert download["Content-Disposition"] == f'attachment; filename="documento-{document.pk}.pdf"'
    for outsider in (world.reviewer_a, world.provider.user):
        page.force_login(outsider)
        assert page.get(body["download_url"]).status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "Estados", "file": ("estados.pdf", b"MZ\x90\x00 not a document")}, "file"),  # not PDF/PNG/JPEG
        ({"title": "Estados", "file": ("estados.pdf", PNG)}, "file"),  # a PNG named .pdf
        ({"title": "Estados", "file": ("grande.pdf", PDF + b"0" * 400)}, "file"),  # above the limit
        ({"title": "", "file": ("estados.pdf", PDF)}, "title"),
        ({"title": "x" * 201, "file": ("estados.pdf", PDF)}, "title"),
        ({"title": "Estados"}, "file"),
    ],
)
def test_a_refused_document_is_a_400_with_field_messages_and_nothing_stored(world, media, settings, data, field):
    settings.SDP_MAX_UPLOAD_BYTES = 200
    case = financing_case(world)
    body = {k: SimpleUploadedFile(*v) if isinstance(v, tuple) else v for k, v in data.items()}
    sent = client_for(world.sme_user).post(f"{URL}{case.pk}/documents/", body, format="multipart")
    assert sent.status_code == 400 and sent.json()[field] and isinstance(sent.json()[field], list)
    assert not FinancingDocument.objects.exists() and _stored_files(media) == []


@pytest.mark.parametrize("who", ["anchor", "provider", "other_sme", "anonymous"])
def test_only_staff_and_the_sme_itself_see_or_add_a_cases_documents(world, media, who):
    case = financing_case(world)
    if who == "other_sme":
        supplier = world.sme(score=41)
        CandidateFactory(cohort=world.cohort, supplier=supplier, status=Candidate.Status.SELECTED)
        user = ContactFactory(supplier=supplier, is_primary=False, with_user=True).user
    else:
        user = {"anchor": world.reviewer_a, "provider": world.provider.user, "anonymous": None}[who]
    api = client_for(user)
    url = f"{URL}{case.pk}/documents/"
    expected = (404,) if who == "other_sme" else (401, 403)
    assert api.get(url).status_code in expected
    sent = api.post(url, {"title": "Ajeno", "file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert sent.status_code in expected
    assert not FinancingDocument.objects.exists() and _stored_files(media) == []


def test_the_document_list_reads_a_constant_number_of_queries(world, media, django_assert_max_num_queries):
    case = financing_case(world)
    staff = client_for(world.staff)
    url = f"{URL}{case.pk}/documents/"
    financing_document_add(case=case, actor=world.staff, title="Uno", file=SimpleUploadedFile("a.pdf", PDF))
    with django_assert_max_num_queries(10) as few:
        assert len(staff.get(url).json()) == 1
    for n in range(6):
        financing_document_add(case=case, actor=world.staff, title=f"Doc {n}", file=SimpleUploadedFile("a.pdf", PDF))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(staff.get(url).json()) == 7


def test_filtering_by_a_bank_of_another_program_shows_nothing(world):
    other_program = ProgramFactory(code="sdp-electro", name_es="Electrodomésticos", name_en="Home appliances")
    supplier = world.sme(score=43)
    theirs = CandidateFactory(
        cohort=CohortFactory(program=other_program, name="Cohorte electro"),
        supplier=supplier,
        status=Candidate.Status.SELECTED,
    )
    financing_case(world, candidate=theirs, bank="Banco Azteca")
    mine = financing_case(world, bank="Banorte")
    staff = client_for(world.staff)
    assert staff.get(URL, {"bank": "Banco Azteca"}).json()["results"] == []
    assert [c["id"] for c in staff.get(URL, {"bank": "Banorte"}).json()["results"]] == [mine.pk]
