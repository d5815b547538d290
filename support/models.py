"""After selection: development plans, the providers who deliver them, visits, courses and attendance."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Diagnostic
from cohorts.models import Candidate, Cohort
from core.files import ServedFileField
from core.models import TimeStampedModel
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import CertificationStandard, CriticalSupplyArea, Program

HOURS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))]


class Provider(TimeStampedModel):
    """A consultant, mentor or trainer, linked to a firm or institution; one account, one role."""

    PROGRAM_PATH = "program"

    class Kind(models.TextChoices):
        CONSULTANT = "consultant", _("Consultant")
        MENTOR = "mentor", _("Mentor")
        TRAINER = "trainer", _("Trainer")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="providers", verbose_name=_("program"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provider",
        verbose_name=_("user account"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    organization = models.CharField(
        _("firm or institution"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es-mx")
    specialties = models.JSONField(
        _("specialties"),
        default=list,
        blank=True,
        help_text=_("Codes of the framework dimensions the provider covers."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})" if self.organization else self.name


class Assignment(TimeStampedModel):
    """A provider assigned to a selected SME, from ``starts_on`` until ``ends_on`` (open when blank)."""

    PROGRAM_PATH = "provider__program"

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("provider")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("selected SME")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="assignment_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["provider", "candidate"])]

    def __str__(self) -> str:
        return f"{self.provider} → {self.candidate.supplier}"


class DevelopmentPlan(TimeStampedModel):
    """A selected SME's development plan, proposed from its current diagnostic."""

    PROGRAM_PATH = "candidate__cohort__program"

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="plan", verbose_name=_("selected SME")
    )
    diagnostic = models.ForeignKey(
        Diagnostic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diagnostic"),
    )
    summary = models.TextField(_("summary"), blank=True, validators=[refuse_control_characters_multiline])
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["candidate__cohort", "id"]

    def __str__(self) -> str:
        return str(self.candidate.supplier)

    @property
    def supplier_id(self) -> int:
        return self.candidate.supplier_id


class PlanVersion(models.Model):
    """A saved copy of a plan and its items, kept each time staff save a version."""

    PROGRAM_PATH = "plan__candidate__cohort__program"

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("plan as saved"), default=dict)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[refuse_control_characters])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanItem(TimeStampedModel):
    """One thing the SME will improve (a dimension's next level) or a certification to reach."""

    PROGRAM_PATH = "plan__candidate__cohort__program"

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("Improvement")
        CERTIFICATION = "certification", _("Certification")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.DROPPED},
        Status.IN_PROGRESS: {Status.DONE, Status.DROPPED, Status.PLANNED},
        Status.DONE: {Status.IN_PROGRESS},
        Status.DROPPED: {Status.PLANNED},
    }
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.IMPROVEMENT)
    title = models.CharField(_("title"), max_length=200, validators=[refuse_control_characters])
    target = models.TextField(
        _("target"),
        blank=True,
        validators=[refuse_control_characters_multiline],
        help_text=_("What the next level looks like."),
    )
    dimension_code = models.SlugField(_("dimension"), max_length=40, blank=True)
    area = models.ForeignKey(
        CriticalSupplyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supply area served"),
    )
    standard = models.ForeignKey(
        CertificationStandard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("certification"),
    )
    owner_name = models.CharField(
        _("owner at the SME"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="items", verbose_name=_("provider")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    drop_reason = models.TextField(_("why dropped"), blank=True, validators=[refuse_control_characters_multiline])
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""), name="plan_item_dropped_needs_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="certification") | Q(standard__isnull=False),
                name="plan_item_certification_names_standard",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="plan_item_status_due")]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A step on the way to a certification; reached on a date."""

    PROGRAM_PATH = "item__plan__candidate__cohort__program"

    class Step(models.TextChoices):
        GAP_ASSESSMENT = "gap_assessment", _("Gap assessment")
        DOCUMENTATION = "documentation", _("Documentation")
        INTERNAL_AUDIT = "internal_audit", _("Internal audit")
        MANAGEMENT_REVIEW = "management_review", _("Management review")
        STAGE_1 = "stage_1", _("Stage 1 audit")
        STAGE_2 = "stage_2", _("Stage 2 audit")
        CERTIFICATE = "certificate", _("Certificate")

    ORDER = list(Step.values)

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="milestones")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification milestone")
        verbose_name_plural = _("certification milestones")
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "step"], name="milestone_unique_step")]

    def __str__(self) -> str:
        return self.get_step_display()


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    return f"support/{instance.item.plan_id}/{instance.item_id}/{filename}"


class Evidence(TimeStampedModel):
    """A note or a file showing progress on a plan item."""

    PROGRAM_PATH = "item__plan__candidate__cohort__program"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("plan item"))
    note = models.TextField(_("note"), blank=True, validators=[refuse_control_characters_multiline])
    file = ServedFileField(_("file"), upload_to=evidence_upload_to, blank=True, view="support:evidence_file")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["item", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(note="") | ~Q(file=""), name="evidence_note_or_file"),
        ]

    def __str__(self) -> str:
        return self.note[:60] or self.file.name or ""


class Visit(TimeStampedModel):
    """A consulting visit or mentoring session: scheduled, logged by the provider, confirmed or disputed by the SME."""

    PROGRAM_PATH = "candidate__cohort__program"

    class Kind(models.TextChoices):
        CONSULTING = "consulting", _("Consulting")
        MENTORING = "mentoring", _("Mentoring")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LOGGED = "logged", _("Logged")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = {
        Status.SCHEDULED: {Status.LOGGED},
        Status.LOGGED: {Status.CONFIRMED, Status.DISPUTED},
        Status.DISPUTED: {Status.CONFIRMED, Status.REJECTED},
        Status.CONFIRMED: set(),
        Status.REJECTED: set(),
    }

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="visits", verbose_name=_("provider"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="visits", verbose_name=_("selected SME")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONSULTING)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.LOGGED)
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=Decimal("0"), validators=HOURS)
    topics = models.TextField(_("topics"), blank=True, validators=[refuse_control_characters_multiline])
    items = models.ManyToManyField(PlanItem, blank=True, related_name="visits", verbose_name=_("plan items worked on"))
    agreements = models.TextField(_("agreements"), blank=True, validators=[refuse_control_characters_multiline])
    next_steps = models.TextField(_("next steps"), blank=True, validators=[refuse_control_characters_multiline])
    dispute_reason = models.TextField(_("why disputed"), blank=True, validators=[refuse_control_characters_multiline])
    resolution = models.TextField(_("resolution"), blank=True, validators=[refuse_control_characters_multiline])
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("confirmed or disputed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-scheduled_for", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="visit_hours_non_negative"),
            models.CheckConstraint(
                condition=Q(status="scheduled") | Q(date__isnull=False), name="visit_logged_has_date"
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | Q(scheduled_for__isnull=False) | Q(date__isnull=False),
                name="visit_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | ~Q(dispute_reason=""), name="visit_dispute_needs_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["candidate", "status"], name="visit_candidate_status"),
            models.Index(fields=["status", "scheduled_for"], name="visit_status_scheduled"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.candidate.supplier} · {self.date or self.scheduled_for}"


class Course(TimeStampedModel):
    """Group training offered to the selected SMEs of a cohort."""

    PROGRAM_PATH = "cohort__program"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="courses", verbose_name=_("cohort"))
    title = models.CharField(_("title"), max_length=200, validators=[refuse_control_characters])
    topic = models.TextField(_("topic"), blank=True, validators=[refuse_control_characters_multiline])
    dimension_code = models.SlugField(_("dimension"), max_length=40, blank=True)
    trainer = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses", verbose_name=_("trainer")
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["cohort", "title"]

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStampedModel):
    """One session of a course: when, where (a place or online), how long, how many seats."""

    PROGRAM_PATH = "course__cohort__program"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    topic = models.CharField(_("topic"), max_length=200, blank=True, validators=[refuse_control_characters])
    trainer = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions", verbose_name=_("trainer")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True, validators=[refuse_control_characters])
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["course", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(online=True) | ~Q(place=""), name="session_place_or_online"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_at:%Y-%m-%d}"

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / 3600).quantize(Decimal("0.1"))


class Enrolment(TimeStampedModel):
    """A selected SME enrolled in a course."""

    PROGRAM_PATH = "course__cohort__program"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("selected SME")
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "candidate"], name="enrolment_unique_per_course")]

    def __str__(self) -> str:
        return f"{self.candidate.supplier} · {self.course}"


class Participant(TimeStampedModel):
    """A named person of an enrolled SME who takes the course."""

    PROGRAM_PATH = "enrolment__course__cohort__program"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="participants", verbose_name=_("enrolment")
    )
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es-mx")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["enrolment", "name"]
        # The outbox a staff member sees finds the participants' messages by address.
        indexes = [models.Index(fields=["email"], name="participant_email")]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    PROGRAM_PATH = "session__course__cohort__program"

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("participant")
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.get_status_display()}"


# Financing cases live in their own module (``support.financing.models``), registered with this app here.
from .financing.models import Disbursement, FinancingCase, FinancingDocument, FinancingStep  # noqa: E402, F401
