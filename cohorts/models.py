"""Cohorts and their candidates: selection, anchor review, decisions and the support that follows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import PERCENT, AnchorCompany, CriticalSupplyArea, Phase, Program, Region, State
from suppliers.models import Supplier


def default_growth_weights() -> dict:
    return {"maturity": 40, "alignment": 25, "growth": 25, "certifications": 10}


class Cohort(TimeStampedModel):
    PROGRAM_PATH = "program"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ANCHOR_REVIEW = "anchor_review", _("Anchor review")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = {
        Status.DRAFT: {Status.PROPOSED},
        Status.PROPOSED: {Status.PROPOSED, Status.ANCHOR_REVIEW, Status.DRAFT},
        Status.ANCHOR_REVIEW: {Status.APPROVED, Status.PROPOSED},
        Status.APPROVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("program"))
    phase = models.ForeignKey(Phase, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("phase"))
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    year = models.PositiveSmallIntegerField(_("year"))
    min_size = models.PositiveIntegerField(
        _("minimum cohort size"), default=55, help_text=_("The optimizer selects at least this many SMEs.")
    )
    max_size = models.PositiveIntegerField(
        _("maximum cohort size"),
        default=55,
        help_text=_(
            "Beyond the minimum, the optimizer adds SMEs at or above the growth-potential floor up to this many."
        ),
    )
    growth_floor = models.DecimalField(
        _("growth-potential floor"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_(
            "Beyond the minimum, only SMEs with at least this growth potential are added; empty: any eligible SME."
        ),
    )
    places = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("SMEs selected when the decisions were committed: a withdrawal frees one of these places."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    growth_weights = models.JSONField(
        _("growth-potential weights"),
        default=default_growth_weights,
        help_text=_("Weights of the growth-potential index parts; stored with the cohort."),
    )
    review_deadline = models.DateTimeField(_("anchor review deadline"), null=True, blank=True)
    proposal = models.JSONField(_("last optimizer run"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="cohort_unique_name_per_program"),
            models.CheckConstraint(condition=Q(min_size__gte=1), name="cohort_min_size_positive"),
            models.CheckConstraint(condition=Q(max_size__gte=F("min_size")), name="cohort_min_size_le_max_size"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.min_size is not None and self.max_size is not None and self.max_size < self.min_size:
            raise ValidationError({"max_size": _("The maximum cannot be below the minimum.")})


class CohortAreaLimit(models.Model):
    """Minimum and maximum number of selected SMEs that supply an area."""

    PROGRAM_PATH = "cohort__program"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="area_limits")
    area = models.ForeignKey(
        CriticalSupplyArea, on_delete=models.CASCADE, related_name="+", verbose_name=_("supply area")
    )
    minimum = models.PositiveIntegerField(_("minimum"), default=0)
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        verbose_name = _("supply-area limit")
        verbose_name_plural = _("supply-area limits")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "area"], name="area_limit_unique"),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")), name="area_limit_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        upper = "∞" if self.maximum is None else self.maximum
        return f"{self.area_id}: {self.minimum}..{upper}"


class CohortGeoCap(models.Model):
    """At most ``maximum`` selected SMEs from a state or from a region."""

    PROGRAM_PATH = "cohort__program"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="geo_caps")
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    maximum = models.PositiveIntegerField(_("maximum"))

    class Meta:
        verbose_name = _("state or region cap")
        verbose_name_plural = _("state and region caps")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state__isnull=False) & Q(region__isnull=True))
                | (Q(state__isnull=True) & Q(region__isnull=False)),
                name="geo_cap_state_xor_region",
            ),
            models.UniqueConstraint(fields=["cohort", "state"], name="geo_cap_unique_state"),
            models.UniqueConstraint(fields=["cohort", "region"], name="geo_cap_unique_region"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.maximum} ({self.state_id or self.region_id})"


class Candidate(TimeStampedModel):
    """An SME considered for a cohort, with its explainable growth-potential index."""

    PROGRAM_PATH = "cohort__program"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ENDORSED = "endorsed", _("Endorsed")
        OBJECTED = "objected", _("Objected")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS: dict[str, set[str]] = {
        Status.PROPOSED: {
            Status.ENDORSED,
            Status.OBJECTED,
            Status.SELECTED,
            Status.WAITLISTED,
            Status.NOT_SELECTED,
        },
        Status.ENDORSED: {Status.OBJECTED, Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED},
        Status.OBJECTED: {Status.ENDORSED, Status.SELECTED, Status.WAITLISTED, Status.NOT_SELECTED},
        # Withdrawal applies only after selection.
        Status.WAITLISTED: {Status.SELECTED, Status.NOT_SELECTED},
        Status.SELECTED: {Status.WITHDRAWN},
        Status.NOT_SELECTED: set(),
        Status.WITHDRAWN: set(),
    }

    # Indexed by the cohort's composite indexes (Meta), not on its own.
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("cohort"), db_index=False
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("supplier")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    is_eligible = models.BooleanField(_("eligible"), default=True)
    ineligibility_reasons = models.JSONField(_("why not eligible"), default=list, blank=True)
    growth_index = models.DecimalField(
        _("growth potential"), max_digits=6, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    growth_parts = models.JSONField(_("growth potential parts"), default=dict, blank=True)
    in_proposal = models.BooleanField(_("in optimizer proposal"), default=False)
    proposal_reason = models.JSONField(
        _("optimizer's reason"),
        default=dict,
        blank=True,
        help_text=_("Why the last optimizer run put this candidate in the proposal or left it out."),
    )
    pinned = models.BooleanField(_("pinned by staff"), default=False)
    excluded = models.BooleanField(_("excluded by staff"), default=False)
    staged_status = models.CharField(_("staged decision"), max_length=20, choices=Status.choices, blank=True)
    staged_reason = models.TextField(
        _("staged note from staff"), blank=True, validators=[refuse_control_characters_multiline]
    )
    staged_reason_code = models.JSONField(
        _("staged reason"),
        default=dict,
        blank=True,
        help_text=_("The staged decision's reason as a code and its values, told to each reader in their language."),
    )
    decision_reason = models.TextField(
        _("note from staff"),
        blank=True,
        validators=[refuse_control_characters_multiline],
        help_text=_("Free text typed by program staff, shown as typed."),
    )
    decision_reason_code = models.JSONField(
        _("decision reason"),
        default=dict,
        blank=True,
        help_text=_("The decision's reason as a code and its values, told to each reader in their language."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    waitlist_rank = models.PositiveIntegerField(_("waitlist rank"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["cohort", "-growth_index", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "supplier"], name="candidate_unique_supplier_per_cohort"),
            models.CheckConstraint(
                condition=Q(growth_index__isnull=True) | Q(growth_index__gte=0, growth_index__lte=100),
                name="candidate_growth_index_0_100",
            ),
            models.CheckConstraint(condition=~Q(pinned=True, excluded=True), name="candidate_not_pinned_and_excluded"),
        ]
        indexes = [
            # By status, and the staff cohort page's counts (eligible, in the proposal, staged, by status) of
            # 94,000 candidates read from this index alone, not from the table's rows.
            models.Index(
                fields=["cohort", "status"],
                include=["is_eligible", "in_proposal", "staged_status", "id"],
                name="candidate_cohort_status_cover",
            ),
            # The few candidates of the optimizer's proposal, which anchors review.
            models.Index(fields=["cohort"], condition=Q(in_proposal=True), name="candidate_in_proposal"),
            # The staff cohort page's order: a page of 100 of 94,000 candidates read from the index.
            models.Index(
                fields=["cohort", "-is_eligible", "-in_proposal", "-growth_index", "id"],
                name="candidate_staff_page_order",
            ),
            # The admin's list: the newest cohort first, each by growth potential.
            models.Index(fields=["-cohort", "-growth_index", "id"], name="candidate_cohort_by_growth"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.cohort}"

    @property
    def decision_reason_text(self) -> str:
        """The decision's reason in the active language (the staff note, labelled, as typed)."""
        from .services.reasons import render_decision

        return render_decision(self.decision_reason_code, self.decision_reason)

    @property
    def staged_reason_text(self) -> str:
        from .services.reasons import render_decision

        return render_decision(self.staged_reason_code, self.staged_reason)

    @property
    def ineligibility_texts(self) -> list[str]:
        from .services.reasons import render_all

        return render_all(self.ineligibility_reasons)


class CohortReentry(TimeStampedModel):
    """Program staff let an SME selected in an earlier cohort of the program be a candidate of this one."""

    PROGRAM_PATH = "cohort__program"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reentries", verbose_name=_("cohort"))
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+", verbose_name=_("supplier"))
    reason = models.TextField(_("reason"), validators=[refuse_control_characters_multiline])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )

    class Meta:
        verbose_name = _("re-entry allowed")
        verbose_name_plural = _("re-entries allowed")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "supplier"], name="reentry_unique_supplier_per_cohort"),
            models.CheckConstraint(condition=~Q(reason=""), name="reentry_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} · {self.cohort}"


class AnchorReview(TimeStampedModel):
    PROGRAM_PATH = "candidate__cohort__program"

    class Verdict(models.TextChoices):
        ENDORSE = "endorse", _("Endorse")
        OBJECT = "object", _("Object")
        CONFLICT = "conflict", _("Conflict of interest")

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("candidate")
    )
    anchor = models.ForeignKey(
        AnchorCompany, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("anchor")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("reviewer")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True, validators=[refuse_control_characters_multiline])

    class Meta:
        verbose_name = _("anchor review")
        verbose_name_plural = _("anchor reviews")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "anchor"], name="review_one_per_anchor"),
            models.CheckConstraint(
                condition=Q(verdict="endorse") | ~Q(reason=""), name="review_objection_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor}: {self.get_verdict_display()} {self.candidate.supplier}"
