"""API of the financing cases (``/api/v1/financing-cases/``), with their steps, disbursements and documents.

Deny by default: staff read and write every case; an SME user reads its own cases and opens new ones for
its selected candidacy; anchors, providers and anyone else are refused. Writes go through
``support.services.financing``; an update, a move or a disbursement names the version it read (409 when
stale)."""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cohorts.models import Candidate
from core.filters import StrictFilterSet
from core.text import refuse_control_characters, refuse_control_characters_multiline
from programs.selectors import scoped, staff_sees

from .. import services
from ..financing.models import Disbursement, FinancingCase, FinancingDocument, FinancingStep
from .permissions import SupportRolePermission, reader

VERSION_HELP = "The version read (a stale one is refused with 409)."
TERMS = ("institution", "institution_name", "product", "bank", "anchor", "purpose", "amount_requested")


class FinancingStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancingStep
        fields = ["id", "status", "on", "backwards", "reason", "amount", "recorded_at"]
        read_only_fields = fields


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "on", "amount", "reference", "recorded_at"]
        read_only_fields = fields


class FinancingDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Where staff and the SME download the file (a private download; nobody else is served)."
    )

    class Meta:
        model = FinancingDocument
        fields = ["id", "title", "content_type", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        path = reverse("support:financing_document", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class FinancingDocumentInputSerializer(serializers.Serializer):
    """A document sent as ``multipart/form-data``: PDF, PNG or JPEG, its real type checked from the content."""

    title = serializers.CharField(max_length=200, validators=[refuse_control_characters])
    file = serializers.FileField(help_text="PDF, PNG or JPEG, up to the upload limit.")


class FinancingCaseSerializer(serializers.ModelSerializer):
    candidate = serializers.PrimaryKeyRelatedField(
        queryset=Candidate.objects.filter(status=Candidate.Status.SELECTED),
        required=False,
        help_text="The selected SME (candidate id); an SME user may leave it out: its newest selected candidacy.",
    )
    institution_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, validators=[refuse_control_characters]
    )
    bank = serializers.CharField(
        max_length=120, required=False, allow_blank=True, validators=[refuse_control_characters]
    )
    purpose = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, validators=[refuse_control_characters_multiline]
    )
    amount_requested = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    steps = FinancingStepSerializer(many=True, read_only=True)
    disbursements = DisbursementSerializer(many=True, read_only=True)
    documents = FinancingDocumentSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = FinancingCase
        fields = [
            "id",
            "candidate",
            "institution",
            "institution_name",
            "product",
            "bank",
            "anchor",
            "purpose",
            "status",
            "amount_requested",
            "amount_approved",
            "amount_disbursed",
            "rejection_reason",
            "referred_on",
            "applied_on",
            "decided_on",
            "disbursed_on",
            "step_since",
            "steps",
            "disbursements",
            "documents",
            "version",
        ]
        read_only_fields = [
            "status",
            "amount_approved",
            "amount_disbursed",
            "rejection_reason",
            "referred_on",
            "applied_on",
            "decided_on",
            "disbursed_on",
            "step_since",
        ]


class MoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=FinancingCase.Status.choices)
    on = serializers.DateField(required=False, help_text="The date of the step (today when left out).")
    amount_approved = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(help_text=VERSION_HELP)


class DisbursementInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    on = serializers.DateField(required=False)
    reference = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", validators=[refuse_control_characters]
    )
    version = serializers.IntegerField(help_text=VERSION_HELP)


class FinancingCaseFilter(StrictFilterSet):
    """The list's filters; a parameter given without a value is an error, not "no filter"."""

    class Meta:
        model = FinancingCase
        fields = ["candidate", "candidate__cohort", "institution", "product", "bank", "status"]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, "Give a value or leave the parameter out.")
                valid = False
        return valid


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class FinancingCaseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Financing cases with their steps, disbursements and documents. Staff: everything; an SME user:
    its own cases (read), new ones (create) and their documents (list, upload). Nobody else."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": ("list", "retrieve", "create", "documents")}
    serializer_class = FinancingCaseSerializer
    filterset_class = FinancingCaseFilter

    def get_queryset(self):
        queryset = (
            FinancingCase.objects.select_related("candidate")
            .prefetch_related(
                Prefetch("steps", queryset=FinancingStep.objects.order_by("on", "id")),
                Prefetch("disbursements", queryset=Disbursement.objects.order_by("on", "id")),
                Prefetch("documents", queryset=FinancingDocument.objects.order_by("-created_at", "-id")),
            )
            .order_by("-referred_on", "-id")
        )
        if getattr(self, "swagger_fake_view", False):
            return queryset
        role, who = reader(self.request)
        if role == "staff":
            return scoped(queryset, self.request.user)
        if role == "sme":
            return queryset.filter(candidate__supplier=who)
        return queryset.none()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        role, who = reader(self.request)
        candidate = data.pop("candidate", None)
        if role == "sme":
            own = Candidate.objects.filter(supplier=who, status=Candidate.Status.SELECTED).order_by(
                "-cohort__year", "-cohort_id"
            )
            if candidate is not None and candidate.supplier_id != who.pk:
                raise PermissionDenied("An SME opens cases only for itself.")
            candidate = candidate or own.first()
            if candidate is None:
                raise serializers.ValidationError({"candidate": ["Financing is offered to the selected SMEs."]})
        elif candidate is None or not staff_sees(self.request.user, candidate):
            raise serializers.ValidationError({"candidate": ["Name a selected SME of your programs."]})
        serializer.instance = services.financing_case_open(
            candidate=candidate, actor=self.request.user, **{k: v for k, v in data.items() if k in TERMS}
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": ["Give the version you read."]})
        candidate = data.pop("candidate", None)
        if candidate is not None and candidate.pk != serializer.instance.candidate_id:
            raise serializers.ValidationError({"candidate": ["A case stays with its SME."]})
        serializer.instance = services.financing_case_update(
            case=serializer.instance,
            actor=self.request.user,
            expected_version=expected,
            **{k: v for k, v in data.items() if k in TERMS},
        )

    def _fresh(self, case) -> dict:
        return FinancingCaseSerializer(self.get_queryset().get(pk=case.pk), context=self.get_serializer_context()).data

    @extend_schema(request=MoveSerializer, responses=FinancingCaseSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the case a step (approved needs the amount; rejected and steps back need a reason)."""
        data = _valid(MoveSerializer, request)
        case = services.financing_case_move(
            case=self.get_object(),
            actor=request.user,
            to=data["to"],
            on=data.get("on"),
            amount_approved=data.get("amount_approved"),
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._fresh(case))

    @extend_schema(request=DisbursementInputSerializer, responses={201: FinancingCaseSerializer})
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        """Record money paid out (the total never exceeds the amount approved)."""
        data = _valid(DisbursementInputSerializer, request)
        disbursement = services.financing_disbursement_add(
            case=self.get_object(),
            actor=request.user,
            amount=data["amount"],
            on=data.get("on"),
            reference=data["reference"],
            expected_version=data["version"],
        )
        return Response(self._fresh(disbursement.case), status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=FinancingDocumentSerializer(many=True),
        description="The case's documents, newest first, each with its download URL.",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": FinancingDocumentInputSerializer},
        responses={201: FinancingDocumentSerializer},
        description="Add a document (multipart: `title`, `file`). A file that is not a PDF, PNG or JPEG by its "
        "content, whose name claims another type, or that is too large is refused with 400 and nothing is stored.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """The case's documents (GET) or a new one (POST, multipart), for staff and the SME itself."""
        case = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(FinancingDocumentSerializer(case.documents.all(), many=True, context=context).data)
        data = _valid(FinancingDocumentInputSerializer, request)
        document = services.financing_document_add(
            case=case, actor=request.user, title=data["title"], file=data["file"]
        )
        return Response(FinancingDocumentSerializer(document, context=context).data, status=status.HTTP_201_CREATED)
