"""Writes of the support app: plans, providers and assignments, visits, training."""

from .delivery import (
    assignment_create,
    assignment_end,
    is_assigned,
    provider_create,
    provider_update,
    visit_answer,
    visit_log,
    visit_resolve,
    visit_schedule,
)
from .plans import (
    certification_item,
    evidence_add,
    milestone_reach,
    plan_create,
    plan_item_add,
    plan_item_set_status,
    plan_item_update,
    plan_save_version,
)
from .training import (
    attendance_record,
    course_create,
    course_update,
    enrol,
    participant_add,
    session_create,
    session_update,
)

__all__ = [
    "assignment_create",
    "assignment_end",
    "attendance_record",
    "certification_item",
    "course_create",
    "course_update",
    "enrol",
    "evidence_add",
    "is_assigned",
    "milestone_reach",
    "participant_add",
    "plan_create",
    "plan_item_add",
    "plan_item_set_status",
    "plan_item_update",
    "plan_save_version",
    "provider_create",
    "provider_update",
    "session_create",
    "session_update",
    "visit_answer",
    "visit_log",
    "visit_resolve",
    "visit_schedule",
]
