"""A financing case: referral -> application -> approved | rejected -> disbursed (one or more disbursements),
with the date of each step, its history, the disbursements and the documents."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Candidate
from core.files import ServedFileField
from core.models import TimeStampedModel
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import AnchorCompany

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class FinancingCase(TimeStampedModel):
    """A selected SME's request for financing, followed from the referral to the money paid out."""

    PROGRAM_PATH = "candidate__cohort__program"

    class Institution(models.TextChoices):
        NAFIN = "nafin", "NAFIN"
        BANCOMEXT = "bancomext", "BANCOMEXT"
        OTHER = "other", _("Other institution")

    class Product(models.TextChoices):
        CREDIT = "credit", _("Credit")
        FACTORING = "factoring", _("Factoring (supplier chains)")
        GUARANTEE = "guarantee", _("Guarantee")
        OTHER = "other", _("Other product")

    class Status(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        APPLICATION = "application", _("Application")
        APPROVED = "approved", pgettext_lazy("financing case", "Approved")
        REJECTED = "rejected", pgettext_lazy("financing case", "Rejected")
        DISBURSED = "disbursed", _("Disbursed")

    # Moves a service may make with ``financing_case_move``; to disbursed only by recording a disbursement.
    FORWARD = {
        Status.REFERRAL: {Status.APPLICATION, Status.REJECTED},
        Status.APPLICATION: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
        Status.DISBURSED: set(),
    }
    # Steps back (a mistake corrected, a reopened application): only with a reason.
    BACKWARD = {
        Status.REFERRAL: set(),
        Status.APPLICATION: {Status.REFERRAL},
        Status.APPROVED: {Status.APPLICATION},
        Status.REJECTED: {Status.REFERRAL, Status.APPLICATION},
        Status.DISBURSED: set(),
    }
    OPEN_STATUSES = (Status.REFERRAL, Status.APPLICATION, Status.APPROVED)
    FUNNEL = (Status.REFERRAL, Status.APPLICATION, Status.APPROVED, Status.DISBURSED)

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="financing_cases", verbose_name=_("selected SME")
    )
    institution = models.CharField(_("institution"), max_length=12, choices=Institution.choices)
    institution_name = models.CharField(
        _("name of the other institution"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    product = models.CharField(_("product"), max_length=12, choices=Product.choices)
    bank = models.CharField(
        _("intermediary bank"),
        max_length=120,
        blank=True,
        validators=[refuse_control_characters],
        help_text=_("The bank that lends the institution's funds, when there is one."),
    )
    anchor = models.ForeignKey(
        AnchorCompany,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("anchor (factoring)"),
        help_text=_("In factoring, the anchor whose payables are discounted."),
    )
    purpose = models.TextField(_("purpose"), blank=True, validators=[refuse_control_characters_multiline])
    status = models.CharField(_("step"), max_length=12, choices=Status.choices, default=Status.REFERRAL)
    amount_requested = models.DecimalField(_("amount requested (MXN)"), validators=NOT_NEGATIVE, **MONEY)
    amount_approved = models.DecimalField(
        _("amount approved (MXN)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    amount_disbursed = models.DecimalField(
        _("amount disbursed (MXN)"), default=Decimal("0"), validators=NOT_NEGATIVE, **MONEY
    )
    rejection_reason = models.TextField(_("why rejected"), blank=True, validators=[refuse_control_characters_multiline])
    referred_on = models.DateField(_("referred on"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("approved or rejected on"), null=True, blank=True)
    disbursed_on = models.DateField(_("first disbursed on"), null=True, blank=True)
    step_since = models.DateField(_("in this step since"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("financing case")
        verbose_name_plural = _("financing cases")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="financing_requested_positive"),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True) | Q(amount_approved__gt=0),
                name="financing_approved_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "disbursed"])
                | (Q(amount_approved__isnull=False) & Q(applied_on__isnull=False) & Q(decided_on__isnull=False)),
                name="financing_approved_has_amount_and_dates",
            ),
            models.CheckConstraint(
                condition=Q(amount_disbursed=0) | Q(amount_disbursed__lte=F("amount_approved")),
                name="financing_disbursed_within_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="disbursed") | (Q(amount_disbursed__gt=0) & Q(disbursed_on__isnull=False)),
                name="financing_disbursed_has_money",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | (~Q(rejection_reason="") & Q(decided_on__isnull=False)),
                name="financing_rejected_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(product="factoring") | Q(anchor__isnull=False), name="financing_factoring_names_anchor"
            ),
            models.CheckConstraint(
                condition=~Q(institution="other") | ~Q(institution_name=""),
                name="financing_other_institution_named",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "step_since"], name="financing_status_since"),
            models.Index(fields=["candidate", "status"], name="financing_candidate_status"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_label} · {self.get_product_display()} · {self.candidate.supplier}"

    @property
    def institution_label(self) -> str:
        return self.institution_name if self.institution == self.Institution.OTHER else self.get_institution_display()

    @property
    def remaining(self) -> Decimal:
        """What may still be disbursed."""
        return (self.amount_approved or Decimal("0")) - self.amount_disbursed


class FinancingStep(models.Model):
    """One move of a case, with its date: the case's history as the SME and staff see it."""

    PROGRAM_PATH = "case__candidate__cohort__program"

    case = models.ForeignKey(FinancingCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    status = models.CharField(_("step"), max_length=12, choices=FinancingCase.Status.choices)
    on = models.DateField(_("date"))
    backwards = models.BooleanField(_("a step back"), default=False)
    reason = models.TextField(_("reason"), blank=True, validators=[refuse_control_characters_multiline])
    amount = models.DecimalField(_("amount (MXN)"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("financing step")
        verbose_name_plural = _("financing steps")
        ordering = ["case", "on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(backwards=False) | ~Q(reason=""), name="financing_step_back_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.on}"


class Disbursement(models.Model):
    """Money paid out on an approved case; the case's disbursements never add up to more than approved."""

    PROGRAM_PATH = "case__candidate__cohort__program"

    case = models.ForeignKey(
        FinancingCase, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("case")
    )
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (MXN)"), validators=NOT_NEGATIVE, **MONEY)
    reference = models.CharField(_("reference"), max_length=120, blank=True, validators=[refuse_control_characters])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["case", "on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} MXN · {self.on}"


def financing_document_upload_to(instance: "FinancingDocument", filename: str) -> str:
    return f"financing/{instance.case_id}/{filename}"


class FinancingDocument(TimeStampedModel):
    """A document of the case: financial statements, the application, the institution's answer."""

    PROGRAM_PATH = "case__candidate__cohort__program"

    case = models.ForeignKey(FinancingCase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case"))
    title = models.CharField(_("title"), max_length=200, validators=[refuse_control_characters])
    file = ServedFileField(_("file"), upload_to=financing_document_upload_to, view="support:financing_document")
    content_type = models.CharField(_("file type"), max_length=40, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("financing document")
        verbose_name_plural = _("financing documents")
        ordering = ["case", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
