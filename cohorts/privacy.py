"""What the cohorts hold about a supplier, for the ARCO rights (``suppliers.privacy``)."""

from suppliers.privacy import plain

from .models import Candidate
from .selectors import DECIDED_CANDIDATE_STATUSES


def export_decisions(supplier) -> list[dict]:
    """Final cohort decisions only: never staged decisions, pins, proposals or anchor verdicts."""
    candidacies = Candidate.objects.filter(supplier=supplier, status__in=DECIDED_CANDIDATE_STATUSES).select_related(
        "cohort"
    )
    return [
        {
            "cohort": str(c.cohort),
            "status": c.status,
            "decision_reason": c.decision_reason_text,
            "decided_at": plain(c.decided_at),
        }
        for c in candidacies
    ]
