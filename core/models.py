"""Mechanisms every app shares: timestamps, the audit trail and the outbox."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per state change or audited edit: who, when, what, before/after."""

    # Indexed by (content_type, object_id, created_at) in Meta.indexes, not on its own.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} {self.action} {self.from_state}->{self.to_state}"


class OutboundMessage(models.Model):
    """The notification outbox.

    A row is written in the same transaction as the change it reports; a
    Celery task sends it after commit and marks it sent. Rows that are not
    sent (broker or SMTP down) are picked up again by a periodic task.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    template = models.CharField(_("template"), max_length=64)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, default="es-mx")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    dedupe_key = models.CharField(  # unique: outbox_unique_dedupe_key (Meta), without a pattern-matching twin
        _("idempotency key"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("Names the business event, so the same event cannot enqueue two messages."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="outbox_unique_dedupe_key")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due_idx", condition=Q(status="pending")),
            # The admin's list, newest first.
            models.Index(fields=["-created_at", "-id"], name="outbox_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.template} -> {self.recipient} ({self.status})"


class QueuedTask(models.Model):
    """Work handed to Celery after a commit, kept until a worker has done it.

    ``core.queued.enqueue_on_commit`` writes the row in the caller's transaction and publishes the task
    (with the row's ``task_id``) once it commits; the task's success deletes the row. A row still here
    after ``next_attempt_at`` (the broker refused the task, Redis lost it, a worker died) is published
    again by a periodic task, with backoff, until it succeeds or runs out of attempts. Every task queued
    this way is idempotent, so running one twice does no harm.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GAVE_UP = "gave_up", _("Gave up")

    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("sent again"), default=0)
    next_attempt_at = models.DateTimeField(_("send again after"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="queued_task_due_idx", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)} ({self.status})"


class ApiToken(models.Model):
    """A user's API token (one per user). Only a SHA-256 hash of the key is stored, with its first
    characters to tell tokens apart: the key itself is shown once, when ``core.tokens`` issues it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token", verbose_name=_("user")
    )
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user_id"]

    def __str__(self) -> str:
        # Shown by the admin and stored in its log: never the key, only its prefix.
        return f"{self.prefix}… ({self.user_id})"


class NotificationPreference(models.Model):
    """Whether a person receives one kind of reminder by email (no row: yes). The kinds are registered by
    the apps that send them (``core.registry.register_reminder``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    reminder = models.SlugField(_("reminder"), max_length=60)
    by_email = models.BooleanField(_("by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "reminder"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.reminder}: {self.by_email}"
