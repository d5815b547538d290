"""Scoring tasks: thin, idempotent, retried with backoff on database trouble."""

from celery import shared_task
from django.db import DatabaseError

from .batch import diagnostics_score_batch

RESCORE_CHUNK = 1000


@shared_task(
    name="assessments.tasks.score_diagnostics_batch",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def score_diagnostics_batch(diagnostic_ids: list[int]) -> int:
    """Score (or rescore) one chunk of diagnostics in one transaction; returns how many were scored.

    Rescoring a whole framework fans out one such task per ``RESCORE_CHUNK`` diagnostics, so that
    every worker process takes chunks in parallel."""
    return len(diagnostics_score_batch(diagnostic_ids=diagnostic_ids))


def chunked(ids: list[int], size: int = RESCORE_CHUNK) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
