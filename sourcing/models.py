"""Anchors' sourcing opportunities, the SMEs ranked for each, invitations, responses and what came of them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import ServedFileField
from core.models import TimeStampedModel
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, State
from suppliers.models import Supplier

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Currency(models.TextChoices):
    MXN = "MXN", _("Mexican pesos (MXN)")
    USD = "USD", _("US dollars (USD)")


class AnchorVisibility(models.Model):
    """An SME's consent to be shown to the program's anchors for open opportunities (off until it agrees)."""

    PROGRAM_PATH = "supplier__program"

    supplier = models.OneToOneField(
        Supplier, on_delete=models.CASCADE, related_name="anchor_visibility", verbose_name=_("supplier")
    )
    visible = models.BooleanField(_("visible to anchors"), default=False)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("visibility to anchors")
        verbose_name_plural = _("visibility to anchors")

    def __str__(self) -> str:
        return f"{self.supplier}: {self.visible}"


class Opportunity(TimeStampedModel):
    """What an anchor needs to buy, posted by its users (or staff on its behalf)."""

    PROGRAM_PATH = "anchor__program"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn by the program")

    TRANSITIONS = {
        Status.OPEN: {Status.CLOSED, Status.WITHDRAWN},
        Status.CLOSED: {Status.OPEN},
        Status.WITHDRAWN: {Status.OPEN},
    }

    class Visibility(models.TextChoices):
        INVITED = "invited", _("Only the SMEs we invite")
        OPEN = "open", _("Every verified SME of the program that meets the requirements and agreed to be visible")

    anchor = models.ForeignKey(
        AnchorCompany, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("anchor")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, validators=[refuse_control_characters])
    areas = models.ManyToManyField(CriticalSupplyArea, related_name="opportunities", verbose_name=_("supply areas"))
    description = models.TextField(_("what is to be made"), validators=[refuse_control_characters_multiline])
    part_family = models.CharField(_("part family"), max_length=120, validators=[refuse_control_characters])
    process = models.CharField(_("process"), max_length=120, validators=[refuse_control_characters])
    annual_volume = models.PositiveIntegerField(_("estimated annual volume (pieces)"))
    annual_value = models.DecimalField(
        _("estimated annual value"), max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.MXN)
    required_certifications = models.ManyToManyField(
        CertificationStandard, blank=True, related_name="+", verbose_name=_("required certifications")
    )
    minimum_maturity_level = models.PositiveSmallIntegerField(
        _("minimum maturity level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    delivery_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivery state")
    )
    delivery_plant = models.CharField(_("delivery plant"), max_length=200, validators=[refuse_control_characters])
    start_date = models.DateField(_("start of supply"))
    response_deadline = models.DateField(_("response deadline"))
    visibility = models.CharField(
        _("who may see it"), max_length=8, choices=Visibility.choices, default=Visibility.INVITED
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    moderation_note = models.TextField(
        _("moderation note"), blank=True, validators=[refuse_control_characters_multiline]
    )
    matched_at = models.DateTimeField(_("ranked at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("sourcing opportunity")
        verbose_name_plural = _("sourcing opportunities")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["anchor", "status"]), models.Index(fields=["status", "response_deadline"])]
        constraints = [
            models.CheckConstraint(condition=Q(annual_value__gte=0), name="opportunity_value_not_negative"),
            models.CheckConstraint(
                condition=Q(minimum_maturity_level__isnull=True)
                | Q(minimum_maturity_level__gte=1, minimum_maturity_level__lte=5),
                name="opportunity_level_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.anchor})"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    return f"sourcing/opportunities/{instance.opportunity_id}/{filename}"


class Attachment(TimeStampedModel):
    """A file of an opportunity; a confidential one (drawings) is downloaded only by invited SMEs that
    accepted the terms, and every download is logged."""

    PROGRAM_PATH = "opportunity__anchor__program"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("opportunity")
    )
    file = ServedFileField(_("file"), upload_to=attachment_upload_to, max_length=255, view="sourcing:attachment")
    original_name = models.CharField(_("original file name"), max_length=255, validators=[refuse_control_characters])
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    is_confidential = models.BooleanField(_("confidential (drawings)"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class AttachmentDownload(models.Model):
    """One download of an attachment: who, for which SME, when."""

    PROGRAM_PATH = "attachment__opportunity__anchor__program"

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("attachment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("supplier")
    )
    downloaded_at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment download")
        verbose_name_plural = _("attachment downloads")
        ordering = ["-downloaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attachment} · {self.downloaded_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """An SME's stored rank for an opportunity, with the parts of its score and the reasons."""

    PROGRAM_PATH = "opportunity__anchor__program"

    opportunity = models.ForeignKey(  # indexed by (opportunity, rank) and match_once_per_supplier
        Opportunity, on_delete=models.CASCADE, related_name="matches", verbose_name=_("opportunity"), db_index=False
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+", verbose_name=_("supplier"))
    rank = models.PositiveIntegerField(_("rank"))
    score = models.DecimalField(_("fit"), max_digits=5, decimal_places=2)
    meets_requirements = models.BooleanField(_("meets the hard requirements"))
    parts = models.JSONField(_("parts of the fit"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["opportunity", "rank"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "supplier"], name="match_once_per_supplier")]
        indexes = [models.Index(fields=["opportunity", "rank"])]  # the supplier's: its foreign key's index

    def __str__(self) -> str:
        return f"{self.opportunity_id} #{self.rank}: {self.supplier_id}"


class Invitation(TimeStampedModel):
    """An SME invited to an opportunity, and its track up to supplying (or lost)."""

    PROGRAM_PATH = "opportunity__anchor__program"

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Declined")
        QUOTED = "quoted", _("Quoted")
        PPAP = "ppap", _("Sample / PPAP")
        PURCHASE_ORDER = "purchase_order", _("Purchase order")
        SUPPLYING = "supplying", _("Supplying")
        LOST = "lost", _("Lost")

    TRANSITIONS = {
        Status.INVITED: {Status.INTERESTED, Status.DECLINED, Status.LOST},
        Status.INTERESTED: {Status.QUOTED, Status.DECLINED, Status.LOST},
        Status.DECLINED: set(),
        Status.QUOTED: {Status.PPAP, Status.PURCHASE_ORDER, Status.LOST},
        Status.PPAP: {Status.PURCHASE_ORDER, Status.LOST},
        Status.PURCHASE_ORDER: {Status.SUPPLYING, Status.LOST},
        Status.SUPPLYING: set(),
        Status.LOST: set(),
    }
    # The steps the SME takes; the anchor records the others.
    SME_STEPS = {Status.INTERESTED, Status.DECLINED, Status.QUOTED}
    ANCHOR_STEPS = {Status.PPAP, Status.PURCHASE_ORDER, Status.SUPPLYING, Status.LOST}
    FUNNEL = (Status.INVITED, Status.INTERESTED, Status.QUOTED, Status.PPAP, Status.PURCHASE_ORDER, Status.SUPPLYING)

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("opportunity")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="sourcing_invitations", verbose_name=_("supplier")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    terms_accepted_at = models.DateTimeField(_("confidentiality terms accepted at"), null=True, blank=True)
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[refuse_control_characters_multiline],
        help_text=_("Why the SME declined or why the business was lost."),
    )
    purchase_order_value_mxn = models.DecimalField(
        _("purchase order value (MXN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    purchase_order_date = models.DateField(_("purchase order date"), null=True, blank=True)
    reached = models.JSONField(_("steps reached"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["opportunity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "supplier"], name="invitation_once_per_supplier"),
            models.CheckConstraint(
                condition=Q(purchase_order_value_mxn__isnull=True) | Q(purchase_order_value_mxn__gte=0),
                name="invitation_po_value_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.opportunity}"


def response_upload_to(instance: "ResponseDocument", filename: str) -> str:
    return f"sourcing/responses/{instance.response_id}/{filename}"


class Response(TimeStampedModel):
    """The SME's answer to an invitation: a quote summary and documents."""

    PROGRAM_PATH = "invitation__opportunity__anchor__program"

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="response", verbose_name=_("invitation")
    )
    summary = models.TextField(_("quote summary"), validators=[refuse_control_characters_multiline])
    quoted_value = models.DecimalField(
        _("quoted annual value"), max_digits=14, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.MXN)
    lead_time_weeks = models.PositiveSmallIntegerField(_("lead time (weeks)"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.invitation)


class ResponseDocument(TimeStampedModel):
    PROGRAM_PATH = "response__invitation__opportunity__anchor__program"

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="documents", verbose_name=_("response")
    )
    file = ServedFileField(_("file"), upload_to=response_upload_to, max_length=255, view="sourcing:response_document")
    original_name = models.CharField(_("original file name"), max_length=255, validators=[refuse_control_characters])
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("response document")
        verbose_name_plural = _("response documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
