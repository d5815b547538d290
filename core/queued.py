"""Work queued after a commit is never lost.

``enqueue_on_commit(task, *args)`` records the task (``core.models.QueuedTask``) in the caller's
transaction and publishes it once the transaction commits, with a bounded publish retry: when the
broker refuses, the request that asked for the work still succeeds at once, the refusal is logged and
the row stays pending. The row's id is the Celery task id; the task's success deletes the row. A row
that is still pending when its ``next_attempt_at`` comes (the broker refused it, Redis lost it, a worker
was killed) is published again by ``core.tasks.resend_queued_tasks`` (Celery beat, every minute), with
backoff, until the task succeeds or ``MAX_ATTEMPTS`` is reached (the row is then kept as *gave up*, for
staff to see in the admin). Tasks queued this way must be idempotent: one may run twice.

While a worker runs the task, its row's ``next_attempt_at`` is pushed past the task's time limit, so a
long task (an optimizer run, a framework rescoring) is not sent again while it is running.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from celery import current_app
from celery.signals import task_prerun, task_success
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import QueuedTask

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "sdp-q-"
MAX_ATTEMPTS = 8
# A publish that the broker refuses fails after one quick retry instead of hanging the request.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def _grace() -> timedelta:
    """How long a task may wait in the queue before it is sent again."""
    return timedelta(seconds=getattr(settings, "SDP_QUEUED_TASK_GRACE_SECONDS", 120))


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes after the 1st, 2nd, 3rd resend, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts, 1), 6 * 60))


def enqueue_on_commit(task, *args) -> QueuedTask:
    """Queue ``task(*args)`` (JSON-serialisable arguments) once the current transaction commits, and
    keep it until it has run (see the module)."""
    queued = QueuedTask.objects.create(
        task_id=f"{TASK_ID_PREFIX}{uuid.uuid4()}",
        name=task.name,
        args=list(args),
        next_attempt_at=timezone.now() + _grace(),
    )
    transaction.on_commit(lambda: publish(queued))
    return queued


def enqueue_many_on_commit(task, args_list: list[list]) -> list[QueuedTask]:
    """``enqueue_on_commit`` for many calls of one task: the rows in one statement, published after the commit."""
    now = timezone.now()
    rows = QueuedTask.objects.bulk_create(
        QueuedTask(
            task_id=f"{TASK_ID_PREFIX}{uuid.uuid4()}", name=task.name, args=list(args), next_attempt_at=now + _grace()
        )
        for args in args_list
    )
    transaction.on_commit(lambda: [publish(row) for row in rows])
    return rows


def publish(queued: QueuedTask) -> bool:
    """Hand the task to the broker; False (logged, the row stays pending) when the broker refuses."""
    try:
        current_app.tasks[queued.name].apply_async(
            tuple(queued.args), task_id=queued.task_id, retry=True, retry_policy=PUBLISH_RETRY
        )
    except Exception as exc:  # broker unreachable: the periodic resend will queue it again
        logger.warning("Could not queue %s%s; it stays pending: %s", queued.name, tuple(queued.args), exc)
        QueuedTask.objects.filter(pk=queued.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    return True


def due_ids(limit: int = 500) -> list[int]:
    return list(
        QueuedTask.objects.filter(status=QueuedTask.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def resend_due() -> int:
    """Publish again every pending task whose time has come; returns how many were sent."""
    sent = 0
    for pk in due_ids():
        with transaction.atomic():
            queued = (
                QueuedTask.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=QueuedTask.Status.PENDING, next_attempt_at__lte=timezone.now())
                .first()
            )
            if queued is None:
                continue  # done meanwhile, or another sweep has it
            queued.attempts += 1
            if queued.attempts > MAX_ATTEMPTS:
                queued.status = QueuedTask.Status.GAVE_UP
                queued.save(update_fields=["attempts", "status"])
                logger.error("Gave up on %s%s after %d resends", queued.name, tuple(queued.args), MAX_ATTEMPTS)
                continue
            queued.next_attempt_at = timezone.now() + backoff(queued.attempts)
            queued.save(update_fields=["attempts", "next_attempt_at"])
        sent += publish(queued)
    return sent


def _ours(task_id) -> bool:
    return isinstance(task_id, str) and task_id.startswith(TASK_ID_PREFIX)


@task_prerun.connect(dispatch_uid="core.queued.running")
def _running(sender=None, task_id=None, **kwargs) -> None:
    if _ours(task_id):
        limit = timedelta(seconds=(getattr(sender, "time_limit", None) or current_app.conf.task_time_limit or 600))
        QueuedTask.objects.filter(task_id=task_id).update(next_attempt_at=timezone.now() + limit + _grace())


@task_success.connect(dispatch_uid="core.queued.done")
def _done(sender=None, **kwargs) -> None:
    task_id = getattr(getattr(sender, "request", None), "id", None)
    if _ours(task_id):
        QueuedTask.objects.filter(task_id=task_id).delete()
