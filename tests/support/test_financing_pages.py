"""The financing pages: staff follow the pipeline (funnel, filters, paging) and record steps, money and
documents; the SME sees and starts only its own cases; anchors and providers never see a case."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import Candidate
from support.models import FinancingCase, FinancingDocument
from tests.cohorts.factories import CandidateFactory, CohortFactory
from tests.programs.factories import ProgramFactory, UserFactory, make_staff
from tests.suppliers.factories import ContactFactory

from .factories import SupportWorld, financing_case, financing_to

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return SupportWorld()


def _other_sme(world, *, cohort=None, score=45):
    supplier = world.sme(score=score)
    candidate = CandidateFactory(cohort=cohort or world.cohort, supplier=supplier, status=Candidate.Status.SELECTED)
    user = ContactFactory(supplier=supplier, is_primary=False, with_user=True).user
    return candidate, user


def test_staff_open_a_case_and_run_it_to_two_disbursements(client, world):
    client.force_login(world.staff)
    assert client.get("/staff/support/financing/new/").status_code == 200
    response = client.post(
        "/staff/support/financing/new/",
        {
            "candidate": world.candidate.pk,
            "institution": "bancomext",
            "product": "factoring",
            "bank": "",
            "amount_requested": "2000000",
            "referred_on": (world.today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "nombre el ancla" in response.content.decode().lower() or "ancla" in response.content.decode()
    assert not FinancingCase.objects.exists()
    response = client.post(
        "/staff/support/financing/new/",
        {
            "candidate": world.candidate.pk,
            "institution": "bancomext",
            "product": "factoring",
            "anchor": world.anchor_a.pk,
            "amount_requested": "2000000",
            "referred_on": (world.today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    case = FinancingCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/support/financing/{case.pk}/"
    url = response["Location"]

    def post(**data):
        case.refresh_from_db()
        prefix = "pay" if data["action"] == "disburse" else "move"
        fields = {f"{prefix}-{k}": v for k, v in data.items() if k != "action"}
        return client.post(url, {"action": data["action"], f"{prefix}-version": case.version, **fields})

    today = world.today.isoformat()
    assert post(action="disburse", amount="100", on=today).status_code == 400  # not approved: refused
    assert post(action="move", to="application", on=today).status_code == 302
    refused = post(action="move", to="referral", on=today)
    assert refused.status_code == 400 and "retroceder" in refused.content.decode().lower()
    assert post(action="move", to="approved", on=today, amount_approved="1500000").status_code == 302
    assert post(action="disburse", amount="1000000", on=today, reference="SPEI 1").status_code == 302
    too_much = post(action="disburse", amount="600000", on=today)
    assert too_much.status_code == 400 and "más de lo aprobado" in too_much.content.decode()
    assert post(action="disburse", amount="500000", on=today).status_code == 302
    case.refresh_from_db()
    assert case.status == "disbursed" and case.amount_disbursed == Decimal("1500000")
    page = client.get(url).content.decode()
    assert "Registrar un desembolso" not in page and "$1,500,000 MXN" in page
    stale = client.post(url, {"action": "move", "move-to": "application", "move-version": 1, "move-on": today})
    assert stale.status_code == 400


def test_staff_add_a_document_and_only_staff_and_the_sme_download_it(client, world):
    case = financing_case(world)
    client.force_login(world.staff)
    bad = client.post(
        f"/staff/support/financing/{case.pk}/",
        {"action": "document", "doc-title": "Estados", "doc-file": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert bad.status_code == 400 and not FinancingDocument.objects.exists()
    ok = client.post(
        f"/staff/support/financing/{case.pk}/",
        {"action": "document", "doc-title": "Estados financieros", "doc-file": SimpleUploadedFile("edos.pdf", PDF)},
    )
    assert ok.status_code == 302
    document = FinancingDocument.objects.get()
    assert document.content_type == "application/pdf"
    url = f"/financiamiento/documentos/{document.pk}/"
    assert client.get(url).status_code == 200
    client.force_login(world.sme_user)
    assert b"".join(client.get(url).streaming_content) == PDF
    _candidate, stranger = _other_sme(world)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    for user in (world.reviewer_a, world.provider.user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_sme_starts_and_follows_only_its_own_cases(client, world):
    other_candidate, other_user = _other_sme(world)
    theirs = financing_case(world, candidate=other_candidate)
    client.force_login(world.sme_user)
    page = client.get("/mi-cuenta/financiamiento/")
    assert page.status_code == 200 and "Solicitar financiamiento" in page.content.decode()
    bad = client.post(
        "/mi-cuenta/financiamiento/", {"institution": "nafin", "product": "credit", "amount_requested": "-5"}
    )
    assert bad.status_code == 400 and not FinancingCase.objects.filter(candidate=world.candidate).exists()
    response = client.post(
        "/mi-cuenta/financiamiento/",
        {"institution": "nafin", "product": "credit", "bank": "Banorte", "amount_requested": "750000"},
    )
    mine = FinancingCase.objects.get(candidate=world.candidate)
    assert response.status_code == 302 and response["Location"] == f"/mi-cuenta/financiamiento/{mine.pk}/"
    assert mine.created_by == world.sme_user and mine.status == "referral"
    detail = client.get(response["Location"]).content.decode()
    assert "Remisión" in detail and "Registrar el paso" not in detail
    assert client.get(f"/mi-cuenta/financiamiento/{theirs.pk}/").status_code == 404
    assert client.post(f"/staff/support/financing/{mine.pk}/", {"action": "move"}).status_code == 403
    account = client.get("/mi-cuenta/").content.decode()
    assert "/mi-cuenta/financiamiento/" in account


def test_an_sme_not_selected_cannot_start_a_case(client, world):
    supplier = world.sme(score=30)
    CandidateFactory(cohort=world.cohort, supplier=supplier, status=Candidate.Status.WAITLISTED)
    user = ContactFactory(supplier=supplier, is_primary=False, with_user=True).user
    client.force_login(user)
    page = client.get("/mi-cuenta/financiamiento/").content.decode()
    assert "Solicitar financiamiento" not in page
    response = client.post(
        "/mi-cuenta/financiamiento/", {"institution": "nafin", "product": "credit", "amount_requested": "1000"}
    )
    assert response.status_code == 403 and not FinancingCase.objects.exists()


@pytest.mark.parametrize("who", ["anchor", "provider", "anonymous"])
def test_anchors_providers_and_visitors_never_reach_the_financing_pages(client, world, who):
    case = financing_case(world)
    if who == "anchor":
        client.force_login(world.reviewer_a)
    elif who == "provider":
        client.force_login(world.provider.user)
    for url in (
        "/staff/support/financing/",
        "/staff/support/financing/new/",
        f"/staff/support/financing/{case.pk}/",
        "/mi-cuenta/financiamiento/",
        f"/mi-cuenta/financiamiento/{case.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 403), url


def test_the_pipeline_filters_by_institution_product_bank_step_and_cohort(client, world):
    later = CohortFactory(program=world.program, name="Cohorte 2027", year=2027)
    other_candidate, _user = _other_sme(world, cohort=later)
    nafin = financing_case(world, bank="Banorte")
    bancomext = financing_case(world, candidate=other_candidate, institution="bancomext", bank="BBVA México")
    factoring = financing_case(world, product="factoring", anchor=world.anchor_a, bank="")
    financing_to(world, bancomext, "approved")
    client.force_login(world.staff)

    def listed(**params):
        response = client.get("/staff/support/financing/", params)
        assert response.status_code == 200
        return {case.pk for case in response.context["page"]}

    assert listed() == {nafin.pk, bancomext.pk, factoring.pk}
    assert listed(institution="bancomext") == {bancomext.pk}
    assert listed(product="factoring") == {factoring.pk}
    assert listed(bank="Banorte") == {nafin.pk}
    assert listed(status="approved") == {bancomext.pk}
    assert listed(cohort=later.pk) == {bancomext.pk}
    funnel = {
        r["step"]: r["count"]
        for r in client.get("/staff/support/financing/", {"institution": "nafin"}).context["funnel"]
    }
    assert funnel == {"referred": 2, "applied": 0, "approved": 0, "disbursed": 0, "rejected": 0}
    assert client.get("/staff/support/financing/", {"status": "nonsense"}).status_code == 400


def test_the_bank_filter_lists_only_the_banks_of_the_staff_members_programs(client, world):
    other_program = ProgramFactory(code="sdp-electro", name_es="Electrodomésticos", name_en="Home appliances")
    other_cohort = CohortFactory(program=other_program, name="Cohorte electro", year=2026)
    other_candidate, _user = _other_sme(world, cohort=other_cohort)
    ours = financing_case(world, bank="Banorte")
    financing_case(world, candidate=other_candidate, bank="Banco Azteca")
    financing_case(world, candidate=other_candidate, bank="Banorte")  # a bank both programs use
    other_staff = make_staff(UserFactory(username="staff-electro", is_staff=True), other_program)

    def bank_choices(user):
        client.force_login(user)
        response = client.get("/staff/support/financing/")
        assert response.status_code == 200
        return [value for value, _label in response.context["filter"].form.fields["bank"].choices if value]

    assert bank_choices(world.staff) == ["Banorte"]
    assert bank_choices(other_staff) == ["Banco Azteca", "Banorte"]
    client.force_login(world.staff)
    refused = client.get("/staff/support/financing/", {"bank": "Banco Azteca"})
    assert refused.status_code == 400 and list(refused.context["page"]) == []
    assert refused.context["filter"].form.errors["bank"]
    assert '<option value="Banco Azteca"' not in refused.content.decode()
    assert all(row["count"] == 0 for row in refused.context["funnel"])
    assert {c.pk for c in client.get("/staff/support/financing/", {"bank": "Banorte"}).context["page"]} == {ours.pk}


def test_the_pipeline_is_paged_and_its_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.staff)
    for _ in range(3):
        financing_case(world)
    with django_assert_max_num_queries(14) as small:
        assert client.get("/staff/support/financing/").status_code == 200
    for _ in range(55):
        financing_case(world)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/staff/support/financing/")
        assert response.status_code == 200
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.num_pages == 2
    assert len(client.get("/staff/support/financing/", {"page": 2}).context["page"]) == 8
    case = financing_to(world, FinancingCase.objects.first(), "disbursed", paid=("100000", "200000"))
    with django_assert_max_num_queries(14):
        assert client.get(f"/staff/support/financing/{case.pk}/").status_code == 200
    client.force_login(world.sme_user)
    # Besides the page's own: the program's partners (the footer) and the account's programs (the switcher).
    with django_assert_max_num_queries(13):
        assert client.get("/mi-cuenta/financiamiento/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(f"/mi-cuenta/financiamiento/{case.pk}/").status_code == 200
