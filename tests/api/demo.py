"""The demo program (``demo.builder``, a small size) with a row in every API resource, and a token per role.

The 2025 cohort goes through its anchor review: the demo anchor and a second anchor endorse a
candidate both review, staff stage the optimizer's proposal and commit the decisions (a blank staged
decision, selected, waitlisted and not selected candidates), and a selected SME gets its support (a
plan, a provider, visits, a course); the 2026 cohort, a draft, gets its candidates with nothing staged.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cohorts import selectors, services
from cohorts.models import Candidate, Cohort
from core import roles
from core.tokens import create_token
from demo.builder import DemoBuilder
from programs.models import AnchorCompany, AnchorReviewer
from suppliers.models import Contact

# The smallest demo whose 2025 cohort has enough eligible SMEs for the optimizer's proposal.
DEMO_SIZE = 150
ROLES = ("staff", "sme", "anchor")
OTHER_ANCHOR_REASON = "Revisión de otra ancla"


def _seed_support(selected, staff) -> None:
    """A development plan from the diagnostic, a consultant assigned with a confirmed and a disputed visit,
    a course with a session and its attendance."""
    import datetime

    from support import services as support_services
    from support.models import Provider
    from support.selectors import plan_proposals

    today = timezone.localdate()
    # The demo SME login becomes a contact of the selected SME, so that it reads its plan, visits and courses.
    sme_user = get_user_model().objects.get(username="pyme")
    Contact.objects.filter(user=sme_user).update(user=None)
    Contact.objects.filter(supplier=selected.supplier, is_primary=True).update(user=sme_user)
    items = [{k: v for k, v in p.items() if k != "reason"} for p in plan_proposals(selected)]
    plan = support_services.plan_create(candidate=selected, actor=staff, items=items or [{"title": "5S"}])
    user = get_user_model().objects.create_user(username="consultora", email="consultora@demo.sdp.mx")
    user.groups.add(Group.objects.get_or_create(name=roles.PROVIDER_GROUP)[0])
    provider = support_services.provider_create(
        actor=staff, program=selected.cohort.program, user=user, kind=Provider.Kind.CONSULTANT, name="Consultora Demo"
    )
    support_services.assignment_create(
        provider=provider, candidate=selected, actor=staff, starts_on=today - datetime.timedelta(days=60)
    )
    for days, hours, confirm in ((20, "3", True), (10, "2", False)):
        visit = support_services.visit_log(
            provider=provider,
            candidate=selected,
            actor=user,
            items=list(plan.items.all()[:1]),
            date=today - datetime.timedelta(days=days),
            hours=Decimal(hours),
            topics="Control de procesos",
        )
        support_services.visit_answer(visit=visit, actor=staff, confirm=confirm, reason="" if confirm else "Duró menos")
    course = support_services.course_create(actor=staff, cohort=selected.cohort, title="Core tools", trainer=provider)
    start = timezone.now() - datetime.timedelta(days=3)
    session = support_services.session_create(
        course=course, actor=staff, starts_at=start, ends_at=start + datetime.timedelta(hours=4), place="León"
    )
    enrolment = support_services.enrol(course=course, candidate=selected, actor=staff, participants=[{"name": "Ana"}])
    support_services.attendance_record(
        session=session, actor=staff, marks={p.pk: "present" for p in enrolment.participants.all()}
    )


def _seed_outcomes(cohort, staff) -> None:
    """The demo's follow-up rounds of the 2025 cohort (selected SMEs and comparison group, answered and
    closed), so that rounds, answers and indicator rows can be read."""
    from demo.outcomes import seed_outcomes

    assert seed_outcomes(program=cohort.program, staff_username=staff.username), "no follow-up rounds seeded"


def _seed_sourcing(selected, anchor_user, staff) -> None:
    """The selected SME (the demo SME login's company) invited to an opportunity of the demo anchor, with its
    response sent, so that the anchor and the SME read an invitation, a response and a track of their own."""
    from sourcing import services as sourcing_services
    from sourcing.models import Invitation, Opportunity

    anchor = roles.anchor_of(anchor_user)
    opportunity = Opportunity.objects.filter(anchor=anchor, status=Opportunity.Status.OPEN).order_by("pk").first()
    assert opportunity is not None, "the demo anchor posted no opportunity"
    if not Invitation.objects.filter(opportunity=opportunity, supplier=selected.supplier).exists():
        invitation = sourcing_services.invitation_create(
            opportunity=opportunity, supplier=selected.supplier, actor=anchor_user
        )
        sourcing_services.response_submit(
            invitation=invitation, actor=staff, summary="Cotización de prueba", quoted_value=Decimal("1000000")
        )


def seed_demo_api(size: int = DEMO_SIZE) -> dict[str, str]:
    """Seed the demo and return ``{role: token key}`` for its staff, SME and anchor reviewer logins."""
    DemoBuilder(size=size, log=lambda *args: None, decide=False).run()
    users = get_user_model().objects
    staff, anchor_user, sme_user = (users.get(username=name) for name in ("staff", "ancla", "pyme"))
    cohort = Cohort.objects.get(name="Cohorte 2025", program__code="ina-ifc-sdp")
    assert cohort.status == Cohort.Status.ANCHOR_REVIEW, "the demo cohort did not reach the anchor review"
    anchor = roles.anchor_of(anchor_user)
    reviewed = selectors.anchor_candidates(anchor=anchor, cohort=cohort).first()
    services.anchor_review_submit(candidate=reviewed, actor=anchor_user, verdict="endorse", reason="Buen historial")
    other_anchor = AnchorCompany.objects.filter(supply_areas__suppliers=reviewed.supplier).exclude(pk=anchor.pk).first()
    if other_anchor is not None:
        other_user = users.create_user(username="otra-ancla", email="revisor@otra.demo.sdp.mx")
        other_user.groups.add(Group.objects.get_or_create(name=roles.ANCHOR_GROUP)[0])
        AnchorReviewer.objects.create(user=other_user, anchor=other_anchor)
        services.anchor_review_submit(
            candidate=reviewed, actor=other_user, verdict="endorse", reason=OTHER_ANCHOR_REASON
        )
    cohort.refresh_from_db()
    services.cohort_stage_from_proposal(cohort=cohort, actor=staff)
    cohort.refresh_from_db()
    services.cohort_commit_decisions(cohort=cohort, actor=staff, expected_version=cohort.version)
    selected = Candidate.objects.filter(cohort=cohort, status=Candidate.Status.SELECTED).order_by("pk").first()
    _seed_support(selected, staff)
    _seed_outcomes(cohort, staff)
    _seed_sourcing(selected, anchor_user, staff)
    from decimal import Decimal

    from support import services as support_services

    support_services.financing_case_open(
        candidate=selected, actor=staff, institution="nafin", product="credit", amount_requested=Decimal("1500000")
    )
    # The 2026 cohort, still a draft, has candidates with nothing staged yet (a blank staged decision).
    services.cohort_build_candidates(
        cohort=Cohort.objects.get(name="Cohorte 2026", program=cohort.program), actor=staff
    )
    return {
        "staff": create_token(staff)[1],
        "sme": create_token(sme_user)[1],
        "anchor": create_token(anchor_user)[1],
    }
