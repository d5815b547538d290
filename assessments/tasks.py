"""Scoring tasks: thin, idempotent, retried with backoff on database trouble."""
from celery import shared_task
from django.db import DatabaseError

from .models import Diagnostic, Framework
from .services import RESCORABLE, diagnostics_score

RESCORE_CHUNK = 500


@shared_task(name="assessments.tasks.score_diagnostic", acks_late=True, autoretry_for=(DatabaseError,),
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def score_diagnostic(diagnostic_id: int) -> bool:
    """Score one submitted diagnostic (scoring again gives the same rows)."""
    return bool(diagnostics_score(diagnostic_ids=[diagnostic_id]))


@shared_task(name="assessments.tasks.rescore_framework", acks_late=True, autoretry_for=(DatabaseError,),
             retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def rescore_framework(framework_id: int) -> int:
    """Rescore every submitted, scored or validated diagnostic of a framework version, in chunks
    (each chunk one transaction with a fixed number of queries). Returns how many were scored."""
    if not Framework.objects.filter(pk=framework_id).exists():
        return 0
    ids = list(Diagnostic.objects.filter(framework_id=framework_id, status__in=RESCORABLE)
               .order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), RESCORE_CHUNK):
        done += len(diagnostics_score(diagnostic_ids=ids[start:start + RESCORE_CHUNK]))
    return done
