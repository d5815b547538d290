"""Permission checks of the cohorts app: plain functions returning ``(allowed, reason)``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles

from .models import Candidate, Cohort

ANCHOR_VISIBLE_COHORT_STATUSES = (Cohort.Status.ANCHOR_REVIEW, Cohort.Status.APPROVED)


def can_manage_cohorts(user) -> tuple[bool, str]:
    if roles.is_program_staff(user):
        return True, ""
    return False, _("Only program staff can manage cohorts.")


def can_view_candidate(user, candidate: Candidate) -> tuple[bool, str]:
    """Staff see every candidate; an anchor reviewer only proposed ones in the areas its company demands."""
    if roles.is_program_staff(user):
        return True, ""
    anchor = roles.anchor_of(user)
    if anchor is None:
        return False, _("Only program staff and anchor reviewers can see candidates.")
    cohort = candidate.cohort
    if cohort.program_id != anchor.program_id or cohort.status not in ANCHOR_VISIBLE_COHORT_STATUSES:
        return False, _("This cohort is not under anchor review.")
    if candidate.status == Candidate.Status.WITHDRAWN:
        return False, _("This SME has withdrawn from the cohort.")
    if not candidate.in_proposal and not candidate.reviews.filter(anchor=anchor).exists():
        # An SME the anchor reviewed stays visible (and its review changeable) after a re-run leaves it out.
        return False, _("This SME is not in the proposal.")
    if not candidate.supplier.supply_areas.filter(anchors=anchor).exists():
        return False, _("This SME does not supply an area your company demands.")
    return True, ""


def can_review_candidate(user, candidate: Candidate) -> tuple[bool, str]:
    if roles.anchor_of(user) is None:
        return False, _("Only anchor reviewers can review candidates.")
    allowed, reason = can_view_candidate(user, candidate)
    if not allowed:
        return allowed, reason
    cohort = candidate.cohort
    if cohort.status != Cohort.Status.ANCHOR_REVIEW:
        return False, _("The anchor review of this cohort is closed.")
    if cohort.review_deadline and cohort.review_deadline < timezone.now():
        return False, _("The review deadline has passed.")
    if candidate.status not in (Candidate.Status.PROPOSED, Candidate.Status.ENDORSED, Candidate.Status.OBJECTED):
        return False, _("This SME already has a decision.")
    return True, ""
