"""manage.py seed_demo: the program as the press describes it, spread like the industry, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from assessments.models import Answer, Diagnostic, Dimension, Framework
from core import roles
from programs.models import AnchorCompany, CriticalSupplyArea, Phase, Program, ProgramStaff, State
from suppliers.models import Company, Contact, Supplier

pytestmark = pytest.mark.django_db


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_seed_builds_the_program_and_is_idempotent():
    output = seed(size=120)
    program = Program.objects.get(code="ina-ifc-sdp")
    assert State.objects.count() == 32
    assert AnchorCompany.objects.filter(program=program).count() == 16
    assert CriticalSupplyArea.objects.filter(program=program).count() == 35
    assert Phase.objects.filter(program=program).count() >= 4
    framework = Framework.objects.get(code="sdp-auto-parts")
    assert sorted(Dimension.objects.filter(framework=framework).values_list("code", flat=True)) == sorted(
        [
            "quality",
            "production",
            "supply_chain",
            "engineering",
            "management",
            "finance",
            "people",
            "sustainability",
            "digital",
        ]
    )
    generated = Supplier.objects.filter(program__code="ina-ifc-sdp").exclude(status=Supplier.Status.DUPLICATE).count()
    assert generated == 120
    assert Contact.objects.filter(is_primary=True).count() == Supplier.objects.count()
    assert Supplier.objects.filter(status=Supplier.Status.DUPLICATE, duplicate_of__isnull=False).exists()
    scored = Diagnostic.objects.filter(status__in=["scored", "validated"])
    assert scored.exists() and not scored.filter(overall_score__isnull=True).exists()
    assert Answer.objects.filter(not_applicable=True).exclude(na_reason="").exists()
    for username in ("staff", "ancla", "pyme"):
        assert username in output
    user_model = get_user_model()
    assert roles.is_program_staff(user_model.objects.get(username="staff"))
    assert ProgramStaff.objects.filter(user__username="staff", program__code="ina-ifc-sdp", is_active=True).exists()
    assert roles.anchor_of(user_model.objects.get(username="ancla")) is not None
    assert roles.supplier_of(user_model.objects.get(username="pyme")) is not None

    # Sourcing: each anchor posts one to three opportunities; a few SMEs go through every step, two reach a
    # purchase order; the anchor login administers its company.
    from sourcing.models import Invitation, Opportunity

    per_anchor = [
        AnchorCompany.objects.get(pk=pk).opportunities.count()
        for pk in AnchorCompany.objects.filter(program__code="ina-ifc-sdp").values_list("pk", flat=True)
    ]
    assert per_anchor and all(1 <= n <= 3 for n in per_anchor)
    reached = set(Invitation.objects.values_list("status", flat=True))
    assert {"interested", "declined", "quoted", "ppap", "purchase_order", "supplying", "lost"} <= reached
    assert Invitation.objects.filter(purchase_order_value_mxn__isnull=False).count() == 2
    assert user_model.objects.get(username="ancla").anchor_reviewer.is_administrator

    counts = (
        Supplier.objects.count(),
        Diagnostic.objects.count(),
        Answer.objects.count(),
        Contact.objects.count(),
        Opportunity.objects.count(),
    )
    seed(size=120)
    assert (
        Supplier.objects.count(),
        Diagnostic.objects.count(),
        Answer.objects.count(),
        Contact.objects.count(),
        Opportunity.objects.count(),
    ) == counts


def test_size_grows_the_data_set_and_regions_follow_the_industry():
    seed(size=60)
    seed(size=300)
    auto_parts = Supplier.objects.filter(program__code="ina-ifc-sdp")
    assert auto_parts.exclude(status=Supplier.Status.DUPLICATE).count() == 300
    by_region = {
        code: auto_parts.filter(state__region__code=code).count() for code in ("norte", "bajio", "centro", "resto")
    }
    # INA: Norte 43.3 %, Bajío 36 %, Centro 15.6 %, resto 5.1 % of auto-parts production.
    assert by_region["norte"] > by_region["centro"] > by_region["resto"]
    assert by_region["bajio"] > by_region["centro"]
    assert Supplier.objects.filter(size="grande").exists()  # large companies register and are not eligible
    assert Supplier.objects.filter(rfc_checksum_valid=True).count() > 0.9 * Supplier.objects.count()


def test_the_2026_cohort_leaves_out_the_smes_selected_in_2025_with_the_reason():
    from django.utils import translation

    from cohorts.models import Candidate, Cohort

    seed(size=300)
    program = Program.objects.get(code="ina-ifc-sdp")
    first = Cohort.objects.get(program=program, name="Cohorte 2025")
    second = Cohort.objects.get(program=program, name="Cohorte 2026")
    assert first.status == Cohort.Status.APPROVED
    assert (second.min_size, second.max_size, second.growth_floor is not None) == (40, 50, True)
    selected = set(Candidate.objects.filter(cohort=first, status="selected").values_list("supplier_id", flat=True))
    assert len(selected) == first.places >= first.min_size
    again = Candidate.objects.filter(cohort=second, supplier_id__in=selected)
    assert again.count() == len(selected) and not again.filter(is_eligible=True).exists()
    with translation.override("es-mx"):
        assert all(c.ineligibility_texts == ["Seleccionada en Cohorte 2025."] for c in again)
    proposed = Candidate.objects.filter(cohort=second, in_proposal=True)
    assert second.status == Cohort.Status.ANCHOR_REVIEW
    assert 40 <= proposed.count() <= 50 and not proposed.filter(supplier_id__in=selected).exists()


def test_a_second_program_shares_an_sme_and_has_its_own_staff():
    """The home-appliances program: its own staff login sees only it; the demo SME takes part in both."""
    from django.test import Client
    from django.urls import reverse

    from demo import second_program
    from programs.selectors import programs_of, scoped

    seed(size=60)
    first = Program.objects.get(code="ina-ifc-sdp")
    second = Program.objects.get(code=second_program.CODE)
    pyme = Supplier.objects.filter(contacts__user__username="pyme").order_by("pk").first()
    shared = Supplier.objects.filter(rfc=pyme.rfc).values_list("program__code", flat=True)
    assert sorted(shared) == sorted([first.code, second.code])
    # One company with two participations, the demo login a contact of both: it switches between them.
    assert Company.objects.filter(rfc=pyme.rfc).count() == 1
    participations = Supplier.objects.filter(company_id=pyme.company_id)
    assert set(participations.values_list("program__code", flat=True)) == {first.code, second.code}
    assert set(participations.filter(contacts__user__username="pyme").values_list("program_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert not Supplier.objects.filter(company__isnull=True).exists()
    assert not Supplier.objects.exclude(rfc=F("company__rfc")).exists()
    assert not Supplier.objects.exclude(legal_name=F("company__legal_name")).exists()
    user_model = get_user_model()
    sme = Client()
    sme.force_login(user_model.objects.get(username="pyme"))
    assert sme.get(reverse("suppliers:account")).context["supplier"].program == second  # the newest
    sme.post(reverse("suppliers:participation-switch"), {"participation": pyme.pk})
    assert sme.get(reverse("suppliers:account")).context["supplier"] == pyme
    electro = user_model.objects.get(username=second_program.LOGIN[0])
    staff = user_model.objects.get(username="staff")
    assert list(programs_of(electro)) == [second] and list(programs_of(staff)) == [first]
    assert set(scoped(Supplier.objects.all(), electro).values_list("program_id", flat=True)) == {second.pk}
    client = Client()
    client.force_login(electro)
    body = client.get(reverse("suppliers:staff-list")).content.decode()
    assert "Troquelados del Bajío" in body
    other = Supplier.objects.filter(program=first).first()
    assert client.get(reverse("suppliers:staff-detail", args=[other.pk])).status_code == 404
    counts = Supplier.objects.filter(program=second).count()
    seed(size=60)
    assert Supplier.objects.filter(program=second).count() == counts == len(second_program.COMPANIES) + 1


def test_the_selected_smes_get_plans_providers_visits_and_courses():
    from django.contrib.auth import authenticate

    from support.models import Attendance, Course, DevelopmentPlan, Enrolment, Provider, Visit
    from support.selectors import provider_for_user

    output = seed(size=300)
    program = Program.objects.get(code="ina-ifc-sdp")
    plans = DevelopmentPlan.objects.filter(candidate__cohort__program=program)
    assert plans.count() == 6 and not plans.exclude(candidate__status="selected").exists()
    assert all(plan.items.exists() and plan.versions.exists() for plan in plans)
    assert set(Provider.objects.filter(program=program).values_list("kind", flat=True)) == {
        "consultant",
        "mentor",
        "trainer",
    }
    for username, password in (
        ("consultora", "sdp-demo-consultora"),
        ("mentor", "sdp-demo-mentor"),
        ("capacitadora", "sdp-demo-capacitadora"),
    ):
        assert f"{username} / {password}" in output
        user = authenticate(username=username, password=password)
        assert user is not None and roles.provider_of(user) == provider_for_user(user)
    sme = authenticate(username="pyme-plan", password="sdp-demo-pyme-plan")
    assert sme is not None and DevelopmentPlan.objects.filter(candidate__supplier=roles.supplier_of(sme)).exists()
    visits = Visit.objects.filter(candidate__cohort__program=program)
    statuses = list(visits.values_list("status", flat=True))
    assert statuses.count("disputed") == 1 and statuses.count("confirmed") > len(statuses) / 2
    assert {"logged", "scheduled"} <= set(statuses) and visits.filter(kind="mentoring").exists()
    courses = Course.objects.filter(cohort__program=program)
    assert courses.count() == 2
    for course in courses:
        assert course.sessions.count() == 3 and Enrolment.objects.filter(course=course).exists()
        attendance = Attendance.objects.filter(session__course=course)
        assert attendance.filter(status="present").exists() and attendance.exclude(status="present").exists()

    counts = (plans.count(), visits.count(), Attendance.objects.count(), Provider.objects.count())
    seed(size=300)
    assert (plans.count(), visits.count(), Attendance.objects.count(), Provider.objects.count()) == counts


def test_the_demo_has_a_dozen_financing_cases_at_every_step():
    from cohorts.models import Candidate
    from support.models import Disbursement, FinancingCase

    seed(size=300)
    cases = FinancingCase.objects.all()
    assert cases.count() == 12
    assert set(cases.values_list("status", flat=True)) == {
        "referral",
        "application",
        "approved",
        "rejected",
        "disbursed",
    }
    assert cases.filter(status="rejected").count() == 1 and cases.get(status="rejected").rejection_reason
    in_two = [c for c in cases.filter(status="disbursed") if c.disbursements.count() == 2]
    assert len(in_two) == 1 and in_two[0].amount_disbursed == in_two[0].amount_approved
    assert set(cases.values_list("candidate__status", flat=True)) == {Candidate.Status.SELECTED}
    for case in cases:
        assert sum(d.amount for d in case.disbursements.all()) == case.amount_disbursed
    paid = Disbursement.objects.count()
    seed(size=300)
    assert FinancingCase.objects.count() == 12 and Disbursement.objects.count() == paid


def test_the_staff_imported_a_member_list_once():
    from core.models import OutboundMessage
    from suppliers.models import InvitationImport, RegistrationInvitation

    seed(size=60)
    program = Program.objects.get(code="ina-ifc-sdp")
    record = InvitationImport.objects.get(program=program)
    assert (record.rows, record.invited, record.invalid, record.already_registered) == (12, 9, 2, 1)
    assert sorted(codes for _row, _rfc, codes, _first in record.problems) == [["duplicate"], ["email_invalid"]]
    assert OutboundMessage.objects.filter(template="registration_invitation").count() == 9
    seed(size=60)
    assert InvitationImport.objects.count() == 1 and RegistrationInvitation.objects.count() == 9


def test_the_demo_keeps_the_records_a_running_program_has():
    """A consent for each registered SME (its notice version, its primary contact), the demo SMEs' tax
    certificates, the demo anchor's reviews with one objection, the demo SME's
    API token and a download of an opportunity's drawings; written once."""
    from cohorts.models import AnchorReview
    from core.models import ApiToken
    from sourcing.models import AttachmentDownload
    from suppliers.models import Document, PrivacyConsent

    seed(size=300)  # the 2026 cohort reaches the anchors' review
    program = Program.objects.get(code="ina-ifc-sdp")
    accepted = Supplier.objects.filter(program=program, privacy_accepted_at__isnull=False)
    consents = PrivacyConsent.objects.filter(supplier__program=program)
    assert consents.count() == accepted.count() > 100
    consent = consents.select_related("notice", "supplier", "contact").order_by("pk").first()
    assert consent.notice.version == consent.supplier.privacy_notice_version
    assert consent.given_at == consent.supplier.privacy_accepted_at and consent.contact.is_primary
    assert Document.objects.filter(kind=Document.Kind.TAX_CERTIFICATE, supplier__program=program).count() == 2
    verdicts = sorted(AnchorReview.objects.values_list("verdict", flat=True))
    assert verdicts == ["endorse", "endorse", "endorse", "object"]
    assert ApiToken.objects.filter(user__username="pyme").count() == 1
    assert AttachmentDownload.objects.count() == 1
    seed(size=300)
    assert PrivacyConsent.objects.filter(supplier__program=program).count() == accepted.count()
    assert (AnchorReview.objects.count(), AttachmentDownload.objects.count()) == (4, 1)


def test_each_demo_program_has_its_partners_with_logos():
    from django.test import Client
    from django.urls import reverse

    from demo import second_program
    from programs.models import Partner

    seed(size=0)
    seed(size=0)  # idempotent
    partners = {
        code: [(p.label, p.kind, bool(p.logo)) for p in Partner.objects.filter(program__code=code)]
        for code in ("ina-ifc-sdp", second_program.CODE)
    }
    assert partners["ina-ifc-sdp"] == [
        ("INA", "organizer", True),
        ("IFC", "funder", True),
        ("Secretaría de Economía", "government", True),
    ]
    assert [label for label, _kind, _logo in partners[second_program.CODE]] == [
        "Clúster Electro",
        "IFC",
        "Secretaría de Economía",
    ]
    client = Client()
    client.force_login(get_user_model().objects.get(username=second_program.LOGIN[0]))
    page = client.get(reverse("staff-home")).content.decode()
    assert "Clúster de Electrodomésticos del Bajío" in page and "Industria Nacional de Autopartes" not in page
    logo = Partner.objects.get(program__code="ina-ifc-sdp", short_name="INA")
    response = Client().get(reverse("programs:partner-logo", args=[logo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
