"""API permissions of anchor reviewers over cohorts and candidates (``core.permissions.RolePermission``).

An anchor reviewer reads (never writes) what its portal shows: the cohorts under its review and, in
them, the proposed candidates supplying an area its company demands (``cohorts.selectors``).
"""

from core.permissions import RolePermission

from .. import selectors
from ..models import Candidate, Cohort


class IsStaffOrAnchorCandidate(RolePermission):
    """Staff, or an anchor reviewer for the candidates it reviews (read only)."""

    allow_anchor = True

    def anchor_may_see(self, anchor, obj) -> bool:
        """A candidate (or an object with ``candidate``) the anchor reviews."""
        candidate = obj if isinstance(obj, Candidate) else getattr(obj, "candidate", None)
        if candidate is None:
            return False
        return selectors.anchor_candidate_list(anchor=anchor).filter(pk=candidate.pk).exists()


class IsStaffOrAnchorCohort(RolePermission):
    """Staff, or an anchor reviewer for the cohorts under its review (read only)."""

    allow_anchor = True

    def anchor_may_see(self, anchor, obj) -> bool:
        return isinstance(obj, Cohort) and selectors.anchor_cohorts(anchor=anchor).filter(pk=obj.pk).exists()
