"""Writes of the outcomes app (atomic, keyword-only, with an ``actor``)."""

from .classes import company_classes_compute
from .estimates import round_estimates_compute
from .reminders import send_reminders
from .responses import response_save, responses_send_many
from .results import responses_record_sources, round_indicators_store
from .rounds import round_chase, round_close, round_members, round_open, round_schedule, selection_line

__all__ = [
    "company_classes_compute",
    "response_save",
    "responses_send_many",
    "responses_record_sources",
    "round_chase",
    "round_close",
    "round_estimates_compute",
    "round_indicators_store",
    "round_members",
    "round_open",
    "round_schedule",
    "selection_line",
    "send_reminders",
]
