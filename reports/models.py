"""Report exports built in the background and kept for download."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import ServedFileField
from core.models import TimeStampedModel
from programs.models import Program


def export_upload_to(instance: "ReportExport", filename: str) -> str:
    return f"reports/exports/{instance.pk}/{filename}"


class ReportExport(TimeStampedModel):
    """A large export (candidates, diagnostics, decisions, sourcing results) built by ``reports.tasks.build_export``."""

    class Kind(models.TextChoices):
        CANDIDATES = "candidates", _("Candidates")
        DIAGNOSTICS = "diagnostics", _("Diagnostics")
        DECISIONS = "decisions", _("Decisions")
        SOURCING = "sourcing", _("Sourcing results")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    PROGRAM_PATH = "program"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="report_exports", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    params = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_("Scope of the export: program, phase and cohort ids.")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    file = ServedFileField(
        _("file"), upload_to=export_upload_to, max_length=255, blank=True, view="reports:export-download"
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="report_export_ready_has_file"),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.file_format}) #{self.pk}"

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.pk}.{self.file_format}"
