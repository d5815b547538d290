"""Writes of the cohorts app (cohort selection, anchor review, decisions)."""

from .bulk import cohort_stage_decisions
from .candidates import cohort_allow_reentry, cohort_build_candidates, cohort_revoke_reentry, eligibility_reasons
from .cohorts import (
    cohort_create,
    cohort_delete,
    cohort_delete_refusal,
    cohort_is_editable,
    cohort_limits_changed,
    cohort_update,
)
from .decisions import (
    can_withdraw,
    candidate_withdraw,
    cohort_commit_decisions,
    cohort_stage_decision,
    cohort_stage_from_proposal,
    waitlist_promote,
)
from .proposal import candidate_set_pin, cohort_propose, cohort_request_proposal, selection_problem
from .review import anchor_review_submit, cohort_extend_review_deadline, cohort_open_review, remind_pending_reviews

__all__ = [
    "anchor_review_submit",
    "can_withdraw",
    "cohort_allow_reentry",
    "cohort_extend_review_deadline",
    "cohort_revoke_reentry",
    "candidate_set_pin",
    "candidate_withdraw",
    "cohort_build_candidates",
    "cohort_commit_decisions",
    "cohort_create",
    "cohort_delete",
    "cohort_delete_refusal",
    "cohort_is_editable",
    "cohort_limits_changed",
    "cohort_open_review",
    "cohort_propose",
    "cohort_request_proposal",
    "cohort_stage_decision",
    "cohort_stage_decisions",
    "cohort_stage_from_proposal",
    "cohort_update",
    "eligibility_reasons",
    "remind_pending_reviews",
    "selection_problem",
    "waitlist_promote",
]
