"""The demo program (``demo.builder``, a small size) with a row in every API resource, and a token per role.

The 2025 cohort goes through its anchor review: the demo anchor and a second anchor endorse a
candidate both review, staff stage the optimizer's proposal and commit the decisions (a blank staged
decision, selected, waitlisted and not selected candidates), and a selected SME gets an intervention;
the 2026 cohort, a draft, gets its candidates with nothing staged.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts import selectors, services
from cohorts.models import Candidate, Cohort
from core import roles
from core.tokens import create_token
from demo.builder import DemoBuilder
from programs.models import AnchorCompany, AnchorReviewer

# The smallest demo whose 2025 cohort has enough eligible SMEs for the optimizer's proposal.
DEMO_SIZE = 150
ROLES = ("staff", "sme", "anchor")
OTHER_ANCHOR_REASON = "Revisión de otra ancla"


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
    services.intervention_create(candidate=selected, actor=staff, kind="training", title="Core tools (APQP, PPAP)")
    services.intervention_create(
        candidate=selected, actor=staff, kind="financing", title="Crédito PyME", institution="nafin", amount_mxn=500000
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
