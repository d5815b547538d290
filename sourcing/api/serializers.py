"""Serializers of the sourcing API. What an anchor reads of an SME is what its page shows (name, state, supply
areas, certifications, maturity level, dimension scores, the reasons of its rank), never its finances: the
capacity part of a rank (the opportunity's value as a share of the SME's sales) is given to staff only."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ProgramScopedRelationsMixin, SingleValuedFormMixin
from core.text import refuse_control_characters_multiline
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea, State
from suppliers.models import Supplier

from ..explain import FINANCIAL_PARTS, reason_text
from ..models import Attachment, Currency, Invitation, Match, Opportunity, Response, ResponseDocument

VERSION_HELP = "The version read (a stale one is refused with 409)."
# Reason codes and parts an anchor never reads: they derive from the SME's annual sales.
# The steps of an invited SME's track the anchor records (named in settings.SPECTACULAR_SETTINGS).
ANCHOR_STEP_CHOICES = [(step.value, step.label) for step in Invitation.Status if step in Invitation.ANCHOR_STEPS]


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class OpportunityAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The download link, only for who may download the file (a confidential one: the anchor, staff "
        "and the invited SMEs that accepted the confidentiality terms); null otherwise. Every download is logged."
    )

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size_bytes", "is_confidential", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str | None:
        if not self.context.get("may_download", lambda a: False)(attachment):
            return None
        path = reverse(
            "api:opportunity-attachment-download",
            kwargs={"pk": attachment.opportunity_id, "attachment_id": attachment.pk},
        )
        return _absolute(self.context, path)


class StatedBooleanField(serializers.BooleanField):
    """A boolean a form body must state: left out, it is a 400 (not False, as for an unticked checkbox)."""

    default_empty_html = serializers.empty


class AttachmentUploadSerializer(SingleValuedFormMixin, serializers.Serializer):
    """A file added to an opportunity (multipart)."""

    file = serializers.FileField(help_text="PDF, PNG or JPEG (checked by its content), up to the upload limit.")
    is_confidential = StatedBooleanField(
        help_text="Confidential files (drawings) reach only invited SMEs that accepted the confidentiality terms; "
        "say it for every file.",
    )


class OpportunitySerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    anchor = serializers.PrimaryKeyRelatedField(
        queryset=AnchorCompany.objects.filter(is_active=True),
        required=False,
        help_text="Staff name the anchor they post for; an anchor's user posts for its own company (left out).",
    )
    anchor_name = serializers.CharField(source="anchor.name", read_only=True)
    areas = serializers.PrimaryKeyRelatedField(many=True, queryset=CriticalSupplyArea.objects.all())
    required_certifications = serializers.PrimaryKeyRelatedField(
        many=True, queryset=CertificationStandard.objects.all(), required=False
    )
    delivery_state = serializers.SlugRelatedField(
        slug_field="code", queryset=State.objects.all(), help_text="INEGI code of the state."
    )
    annual_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    moderation_note = serializers.CharField(
        read_only=True, help_text="Why the program withdrew it (the anchor and staff only; blank for SMEs)."
    )
    attachments = OpportunityAttachmentSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "anchor",
            "anchor_name",
            "title",
            "areas",
            "description",
            "part_family",
            "process",
            "annual_volume",
            "annual_value",
            "currency",
            "required_certifications",
            "minimum_maturity_level",
            "delivery_state",
            "delivery_plant",
            "start_date",
            "response_deadline",
            "visibility",
            "status",
            "moderation_note",
            "attachments",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        anchor = self.context.get("anchor")
        if anchor is not None:  # an anchor's user: the supply areas of its program
            fields["areas"].child_relation.queryset = CriticalSupplyArea.objects.filter(program_id=anchor.program_id)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("manages"):
            data["moderation_note"] = ""
        return data


class OpportunityStatusSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=Opportunity.Status.choices,
        help_text="closed or open (the anchor or staff); withdrawn, or open again after that, by staff only.",
    )
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        validators=[refuse_control_characters_multiline],
        help_text="Why it is withdrawn (required then).",
    )


class OpportunityMatchSerializer(serializers.ModelSerializer):
    """A ranked SME as an anchor may see it."""

    supplier_name = serializers.SerializerMethodField()
    state = serializers.CharField(source="supplier.state.code", read_only=True, help_text="INEGI code.")
    supply_areas = serializers.SerializerMethodField(help_text="Codes of the supply areas the SME serves.")
    certifications = serializers.SerializerMethodField(help_text="Names of the certifications it holds (valid today).")
    maturity_level = serializers.SerializerMethodField()
    dimension_scores = serializers.SerializerMethodField(help_text="Dimension code -> score 0-100 (null: incomplete).")
    parts = serializers.SerializerMethodField(
        help_text="Part -> 0-100. The capacity part (it derives from the SME's sales) is given to staff only."
    )
    reasons = serializers.SerializerMethodField(help_text="Each requirement met or missed, in the reader's language.")
    invited = serializers.BooleanField(read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "opportunity",
            "supplier",
            "supplier_name",
            "state",
            "supply_areas",
            "certifications",
            "maturity_level",
            "dimension_scores",
            "rank",
            "score",
            "meets_requirements",
            "parts",
            "reasons",
            "shortlisted",
            "invited",
            "computed_at",
        ]
        read_only_fields = fields

    def _baseline(self, match):
        baselines = getattr(match.supplier, "baselines", None) or []
        return baselines[0] if baselines else None

    def get_supplier_name(self, match) -> str:
        return match.supplier.trade_name or match.supplier.legal_name

    def get_supply_areas(self, match) -> list[str]:
        return [area.code for area in match.supplier.supply_areas.all()]

    def get_certifications(self, match) -> list[str]:
        return [c.standard.name for c in match.supplier.certifications.all()]

    def get_maturity_level(self, match) -> int | None:
        baseline = self._baseline(match)
        return baseline.maturity_level if baseline else None

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number", "nullable": True}})
    def get_dimension_scores(self, match):
        baseline = self._baseline(match)
        scores = (baseline.scores_by_dimension if baseline else None) or {}
        return {code: (float(value) if value is not None else None) for code, value in sorted(scores.items())}

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
    def get_parts(self, match):
        hidden = () if self.context.get("sees_finances") else FINANCIAL_PARTS
        return {name: value for name, value in (match.parts or {}).items() if name not in hidden}

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "met": {"type": "boolean"}, "text": {"type": "string"}},
                "required": ["code", "met", "text"],
            },
        }
    )
    def get_reasons(self, match):
        certifications = self.context.get("certification_names", {})
        dimensions = self.context.get("dimension_names", {})
        sees_finances = self.context.get("sees_finances")
        rows = []
        for reason in match.reasons or []:
            text = reason_text(reason, certifications, dimensions, sees_finances=bool(sees_finances))
            rows.append({"code": str(reason.get("code")), "met": bool(reason.get("met")), "text": text})
        return rows


class MatchShortlistSerializer(serializers.Serializer):
    shortlisted = serializers.BooleanField()


class InvitationSerializer(serializers.ModelSerializer):
    opportunity = serializers.PrimaryKeyRelatedField(queryset=Opportunity.objects.all())
    opportunity_title = serializers.CharField(source="opportunity.title", read_only=True)
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(),
        help_text="The SME to invite: for an anchor's user, one of the opportunity's ranked SMEs.",
    )
    supplier_name = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField(help_text="The id of the SME's response, once it sent one.")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "opportunity",
            "opportunity_title",
            "supplier",
            "supplier_name",
            "status",
            "terms_accepted_at",
            "response",
            "created_at",
            "version",
        ]
        read_only_fields = ["status", "terms_accepted_at", "created_at", "version"]
        validators: list = []  # the service says which SME is already invited, on its field

    def get_fields(self):
        fields = super().get_fields()
        fields["opportunity"].queryset = self.context.get("opportunities", Opportunity.objects.none())
        return fields

    def get_supplier_name(self, invitation) -> str:
        return invitation.supplier.trade_name or invitation.supplier.legal_name

    def get_response(self, invitation) -> int | None:
        try:
            return invitation.response.pk
        except Response.DoesNotExist:
            return None


class InvitationVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class InvitationDeclineSerializer(InvitationVersionSerializer):
    reason = serializers.CharField(max_length=5000, validators=[refuse_control_characters_multiline])


class SourcingResponseDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Download link: the anchor, staff and the SME that sent it."
    )

    class Meta:
        model = ResponseDocument
        fields = ["id", "original_name", "content_type", "size_bytes", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        path = reverse(
            "api:sourcing-response-document-download", kwargs={"pk": document.response_id, "document_id": document.pk}
        )
        return _absolute(self.context, path)


class SourcingResponseSerializer(SingleValuedFormMixin, serializers.ModelSerializer):
    invitation = serializers.PrimaryKeyRelatedField(queryset=Invitation.objects.none())
    opportunity = serializers.IntegerField(source="invitation.opportunity_id", read_only=True)
    supplier = serializers.IntegerField(source="invitation.supplier_id", read_only=True)
    supplier_name = serializers.SerializerMethodField()
    summary = serializers.CharField(max_length=10000, validators=[refuse_control_characters_multiline])
    quoted_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = serializers.ChoiceField(choices=Currency.choices, default=Currency.MXN)
    lead_time_weeks = serializers.IntegerField(min_value=0, max_value=520, required=False, allow_null=True)
    documents = SourcingResponseDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "invitation",
            "opportunity",
            "supplier",
            "supplier_name",
            "summary",
            "quoted_value",
            "currency",
            "lead_time_weeks",
            "documents",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["invitation"].queryset = self.context.get("invitations", Invitation.objects.none())
        return fields

    def get_supplier_name(self, response) -> str:
        supplier = response.invitation.supplier
        return supplier.trade_name or supplier.legal_name


class SourcingOutcomeSerializer(serializers.ModelSerializer):
    """An invited SME's track: the steps reached (with their dates) and the purchase order awarded."""

    anchor = serializers.IntegerField(source="opportunity.anchor_id", read_only=True)
    supplier_name = serializers.SerializerMethodField()
    reached = serializers.SerializerMethodField(help_text="Step -> the date it was reached (YYYY-MM-DD).")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "opportunity",
            "anchor",
            "supplier",
            "supplier_name",
            "status",
            "reached",
            "reason",
            "purchase_order_value_mxn",
            "purchase_order_date",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_supplier_name(self, invitation) -> str:
        return invitation.supplier.trade_name or invitation.supplier.legal_name

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "date"}})
    def get_reached(self, invitation):
        return dict(invitation.reached or {})


class SourcingStepSerializer(InvitationVersionSerializer):
    to = serializers.ChoiceField(
        choices=ANCHOR_STEP_CHOICES,
        help_text="The step the anchor records: ppap, purchase_order, supplying or lost.",
    )
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        validators=[refuse_control_characters_multiline],
        help_text="Why the business was lost (required then).",
    )
    purchase_order_value_mxn = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    purchase_order_date = serializers.DateField(required=False, allow_null=True, default=None)


DOWNLOAD = {(200, kind): OpenApiTypes.BINARY for kind in ("application/pdf", "image/png", "image/jpeg")}
