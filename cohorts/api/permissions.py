"""API permissions of anchor reviewers over candidates (``core.permissions.RolePermission``)."""

from core.permissions import RolePermission
from programs.models import CriticalSupplyArea

from ..models import Candidate


class IsStaffOrAnchorCandidate(RolePermission):
    """Staff, or an anchor reviewer for candidates in the areas its company demands (read only)."""

    allow_anchor = True

    def anchor_may_see(self, anchor, obj) -> bool:
        """A candidate (or an object with ``candidate``) whose supplier serves an area the anchor demands."""
        candidate = obj if isinstance(obj, Candidate) else getattr(obj, "candidate", None)
        if candidate is None:
            return False
        return CriticalSupplyArea.objects.filter(anchors=anchor, suppliers__pk=candidate.supplier_id).exists()
