"""Maturity frameworks (versioned, weighted) and the diagnostics that use them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.text import refuse_control_characters_multiline
from programs.models import CriticalSupplyArea
from suppliers.models import Supplier

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
LEVEL = [MinValueValidator(1), MaxValueValidator(5)]


def _localized(obj, field: str) -> str:
    english = getattr(obj, f"{field}_en", "")
    if (get_language() or "es").startswith("en") and english:
        return english
    return getattr(obj, f"{field}_es")


class Framework(TimeStampedModel):
    """A versioned maturity framework. Immutable once a diagnostic uses it."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published frameworks can be used for new diagnostics.")
    )

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_unique_version")]

    @property
    def name(self) -> str:
        return _localized(self, "name")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_locked(self) -> bool:
        """A framework version used by a diagnostic can no longer change."""
        return self.diagnostics.exists()


class FrameworkPart(models.Model):
    """A piece of a framework version (dimension, question, descriptor, band).

    Once a diagnostic uses the version, its parts are immutable: saving or
    deleting one raises ``ValidationError`` (``framework_new_version`` makes an
    editable copy).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_unlocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_unlocked()
        return super().delete(*args, **kwargs)

    def owning_framework_id(self) -> int | None:
        raise NotImplementedError

    def _check_unlocked(self) -> None:
        framework_id = self.owning_framework_id()
        if framework_id and Diagnostic.objects.filter(framework_id=framework_id).exists():
            raise ValidationError(
                _("This framework version is used by a diagnostic and cannot change; make a new version."),
                code="framework_locked",
            )


class Dimension(FrameworkPart):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=40)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("Dimension weights of a framework add up to 100."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dimension_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="dimension_weight_0_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localized(self, "name")

    @property
    def description(self) -> str:
        return _localized(self, "description")

    def owning_framework_id(self) -> int | None:
        return self.framework_id


class Question(FrameworkPart):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=60)
    text_es = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"))
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("Rated at or below its trigger level, it caps the overall maturity level at its cap level."),
    )
    trigger_level = models.PositiveSmallIntegerField(
        _("trigger level"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("A critical question rated at this level or below caps the maturity level (1 to 4)."),
    )
    cap_level = models.PositiveSmallIntegerField(
        _("cap level"),
        null=True,
        blank=True,
        validators=LEVEL,
        help_text=_("The highest overall maturity level allowed when the critical question is triggered."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["dimension", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="question_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
            models.CheckConstraint(
                condition=Q(cap_level__isnull=True) | Q(cap_level__gte=1, cap_level__lte=5), name="question_cap_1_5"
            ),
            models.CheckConstraint(
                condition=Q(is_critical=False) | Q(cap_level__isnull=False), name="question_critical_has_cap"
            ),
            models.CheckConstraint(
                condition=Q(trigger_level__gte=1, trigger_level__lte=4), name="question_trigger_1_4"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return _localized(self, "text")

    def owning_framework_id(self) -> int | None:
        if not self.dimension_id:
            return None
        return Dimension.objects.filter(pk=self.dimension_id).values_list("framework_id", flat=True).first()


class LevelDescriptor(FrameworkPart):
    """What level 1..5 looks like for one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL)
    text_es = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["question", "level"]
        constraints = [
            models.UniqueConstraint(fields=["question", "level"], name="descriptor_unique_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="descriptor_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} L{self.level}"

    @property
    def text(self) -> str:
        return _localized(self, "text")

    def owning_framework_id(self) -> int | None:
        if not self.question_id:
            return None
        return Question.objects.filter(pk=self.question_id).values_list("dimension__framework_id", flat=True).first()


class MaturityBand(FrameworkPart):
    """A maturity level as a score band: ``min_score <= score < max_score`` (top band includes 100)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2, validators=PERCENT)
    max_score = models.DecimalField(_("to score"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        verbose_name = _("maturity band")
        verbose_name_plural = _("maturity bands")
        ordering = ["framework", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="band_unique_level"),
            models.CheckConstraint(
                condition=Q(min_score__gte=0, max_score__lte=100, min_score__lt=F("max_score")),
                name="band_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.name}"

    @property
    def name(self) -> str:
        return _localized(self, "name")

    @property
    def description(self) -> str:
        return _localized(self, "description")

    def owning_framework_id(self) -> int | None:
        return self.framework_id


class Diagnostic(TimeStampedModel):
    PROGRAM_PATH = "supplier__program"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        SCORED = "scored", _("Scored")
        VALIDATED = "validated", _("Validated")

    # A diagnostic with results: what selection, reports and the SME's pages read.
    SCORED_STATUSES = (Status.SCORED, Status.VALIDATED)

    TRANSITIONS = {
        Status.SCHEDULED: {Status.IN_PROGRESS},
        Status.IN_PROGRESS: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.SCORED, Status.IN_PROGRESS},
        Status.SCORED: {Status.SCORED, Status.VALIDATED, Status.IN_PROGRESS},
        Status.VALIDATED: {Status.SCORED},
    }

    class Mode(models.TextChoices):
        SITE_VISIT = "site_visit", _("Site visit")
        REMOTE = "remote", _("Remote")

    # Indexed by (supplier, status) in Meta.indexes, not on its own.
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="diagnostics", db_index=False)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="diagnostics")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="diagnostics"
    )
    baseline = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("baseline diagnostic"),
        help_text=_("Earlier diagnostic this one is compared with."),
    )
    scheduled_for = models.DateField(_("scheduled for"))
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.SITE_VISIT)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    overall_score = models.DecimalField(
        _("overall score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    maturity_level = models.PositiveSmallIntegerField(_("maturity level"), null=True, blank=True, validators=LEVEL)
    level_capped = models.BooleanField(_("level capped by a critical question"), default=False)
    score_details = models.JSONField(_("score explanation"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[refuse_control_characters_multiline])
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(
        _("published to the SME at"), null=True, blank=True, help_text=_("The SME sees its results once published.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Denormalised: the supplier's latest scored baseline (assessments.services.baselines).
    is_current_baseline = models.BooleanField(_("current baseline"), default=False, editable=False)
    # Denormalised: {dimension code: score as text, null when incomplete}, what the DimensionScore rows
    # hold, written with them by scoring (both methods). The reports average baselines' dimension scores
    # from it in one pass over the diagnostics instead of a join of every DimensionScore row .
    scores_by_dimension = models.JSONField(_("scores by dimension"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__gte=0, overall_score__lte=100),
                name="diagnostic_overall_0_100",
            ),
            models.CheckConstraint(
                condition=Q(maturity_level__isnull=True) | Q(maturity_level__gte=1, maturity_level__lte=5),
                name="diagnostic_level_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["supplier", "status"]),
            models.Index(fields=["status", "scheduled_for"]),
            # The staff list, newest first: a page is read in index order, never by sorting every diagnostic.
            models.Index(fields=["-scheduled_for", "-id"], name="diagnostic_newest_first"),
            # A supplier's latest scored baseline (reports, cohort selection): a top-1 index scan.
            models.Index(
                fields=["supplier", "-scheduled_for", "-id"],
                condition=Q(baseline__isnull=True, status__in=["scored", "validated"]),
                name="diagnostic_latest_baseline",
            ),
            # Reports: every supplier's current baseline, read straight from this small partial index
            # (covering: the maturity distribution and score histogram are index-only scans on PostgreSQL).
            models.Index(
                fields=["supplier"],
                include=["id", "maturity_level", "overall_score"],
                condition=Q(is_current_baseline=True),
                name="diagnostic_current_baseline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.scheduled_for}"


class Answer(models.Model):
    """A rated question (level 1-5) or N/A with a reason."""

    PROGRAM_PATH = "diagnostic__supplier__program"

    # No index of its own: the unique (diagnostic, question) index serves every lookup by diagnostic.
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True, validators=LEVEL)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("why not applicable"), blank=True, validators=[refuse_control_characters_multiline])
    evidence = models.TextField(_("evidence notes"), blank=True, validators=[refuse_control_characters_multiline])
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "question"], name="answer_unique_per_question"),
            models.CheckConstraint(
                condition=(Q(not_applicable=False) & Q(level__isnull=False, level__gte=1, level__lte=5))
                | (Q(not_applicable=True) & Q(level__isnull=True) & ~Q(na_reason="")),
                name="answer_level_or_na_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {'N/A' if self.not_applicable else self.level}"


class DimensionScore(models.Model):
    PROGRAM_PATH = "diagnostic__supplier__program"

    # No index of its own: the unique (diagnostic, dimension) index serves every lookup by diagnostic.
    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="dimension_scores", db_index=False
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)
    rated_count = models.PositiveIntegerField(_("rated questions"), default=0)
    na_count = models.PositiveIntegerField(_("N/A questions"), default=0)
    total_count = models.PositiveIntegerField(_("questions"), default=0)
    is_complete = models.BooleanField(_("complete"), default=False)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["diagnostic", "dimension__order"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "dimension"], name="dimension_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="dimension_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code}: {self.score}"


class AreaAlignment(models.Model):
    """How a diagnosed SME meets the requirements of one critical supply area."""

    PROGRAM_PATH = "diagnostic__supplier__program"

    # No index of its own: the unique (diagnostic, area) index serves every lookup by diagnostic.
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="alignments", db_index=False)
    area = models.ForeignKey(CriticalSupplyArea, on_delete=models.CASCADE, related_name="alignments")
    meets_requirements = models.BooleanField(_("meets requirements"), default=False)
    fit_percent = models.DecimalField(_("fit (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT)
    gaps = models.JSONField(_("gaps"), default=list, blank=True)
    missing_certifications = models.JSONField(_("missing certifications"), default=list, blank=True)
    # What the row was computed from besides the dimension scores (``assessments.services.scoring_sql``):
    # an MD5 of the area's requirements and required certifications and of the certifications the SME
    # holds. Set-based rescoring recomputes only the rows whose inputs changed; empty (the Python
    # method) means unknown: the next set-based scoring recomputes the row.
    inputs_digest = models.UUIDField(_("inputs digest"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("supply-area alignment")
        verbose_name_plural = _("supply-area alignments")
        constraints = [models.UniqueConstraint(fields=["diagnostic", "area"], name="alignment_unique_area")]

    def __str__(self) -> str:
        return f"{self.diagnostic} ~ {self.area.code}"
