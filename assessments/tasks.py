"""Scoring tasks: thin, idempotent, retried with backoff on database trouble."""

from celery import shared_task
from django.db import DatabaseError

from .models import Diagnostic, Framework
from .services import RESCORABLE, diagnostics_score, framework_rescore_part_done, framework_rescore_start

RESCORE_CHUNK = 1000


@shared_task(
    name="assessments.tasks.score_diagnostic",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def score_diagnostic(diagnostic_id: int) -> bool:
    """Score one submitted diagnostic (scoring again gives the same rows)."""
    return bool(diagnostics_score(diagnostic_ids=[diagnostic_id]))


@shared_task(
    name="assessments.tasks.score_diagnostics",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def score_diagnostics(diagnostic_ids: list[int]) -> int:
    """Score (or rescore) one chunk of diagnostics in one transaction; returns how many were scored."""
    return len(diagnostics_score(diagnostic_ids=diagnostic_ids))


def chunked(ids: list[int], size: int = RESCORE_CHUNK) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@shared_task(
    name="assessments.tasks.rescore_framework",
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def rescore_framework(self, framework_id: int, chunk: int = RESCORE_CHUNK) -> int:
    """Rescore every submitted, scored or validated diagnostic of a framework version: one queued
    ``rescore_chunk`` task per ``chunk`` diagnostics (each one transaction with a fixed number of
    queries), so that every worker process takes chunks in parallel. Returns how many were queued.
    The last task to finish records that the rescoring finished (``framework_rescore_part_done``)."""
    framework = Framework.objects.filter(pk=framework_id).first()
    ids = []
    if framework is not None:
        ids = list(
            Diagnostic.objects.filter(framework_id=framework_id, status__in=RESCORABLE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        framework_rescore_start(framework=framework, parts=chunked(ids, chunk))
    framework_rescore_part_done(framework_id=framework_id, task_id=self.request.id)
    return len(ids)


@shared_task(
    name="assessments.tasks.rescore_chunk",
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def rescore_chunk(self, framework_id: int, diagnostic_ids: list[int]) -> int:
    """One part of a framework rescoring: score its diagnostics in one transaction, then mark the part done."""
    scored = len(diagnostics_score(diagnostic_ids=diagnostic_ids))
    framework_rescore_part_done(framework_id=framework_id, task_id=self.request.id)
    return scored
