"""Staff API of diagnostics and frameworks (thin: serializers validate shapes, services decide)."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.response import Response

from core.api import ReadsOutsideTransactionMixin, checks_objects
from core.authentication import NOT_READ, read_with_token, read_with_token_row
from core.permissions import IsProgramStaff
from core.throttling import ThrottleAnswerLaterMixin
from programs.selectors import staff_sees

from .. import selectors, services
from ..models import AreaAlignment, DimensionScore, Framework, LevelDescriptor, Question
from . import serializers as s
from .filters import DiagnosticFilter


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Framework versions with their dimensions, questions, level descriptors and bands (read only)."""

    permission_classes = [IsProgramStaff]
    filterset_fields = ["code", "is_published"]
    ordering_fields = ["code", "version"]

    def get_queryset(self):
        queryset = Framework.objects.all()
        if self.action == "retrieve":
            questions = Question.objects.order_by("order", "code").prefetch_related(
                Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
            )
            queryset = queryset.prefetch_related(Prefetch("dimensions__questions", queryset=questions), "bands")
        return queryset

    def get_serializer_class(self):
        return s.FrameworkSerializer if self.action == "retrieve" else s.FrameworkListSerializer


class DiagnosticViewSet(
    ThrottleAnswerLaterMixin,
    ReadsOutsideTransactionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Diagnostics: schedule (create), reschedule (update, with ``version``), answer, submit, validate,
    publish, results. Stale ``version`` -> 409."""

    permission_classes = [IsProgramStaff]
    serializer_class = s.DiagnosticSerializer
    filterset_class = DiagnosticFilter
    ordering_fields = ["scheduled_for", "overall_score", "status", "id"]
    search_fields = ["supplier__legal_name", "supplier__trade_name", "supplier__rfc"]

    def get_queryset(self):
        return selectors.diagnostic_list(self.request.user)

    def _detail_pk(self) -> int | None:
        """The primary key asked for, or None when no row can have it."""
        try:
            pk = int(self.kwargs[self.lookup_field])
        except (TypeError, ValueError):
            return None
        return pk if -(2**63) <= pk < 2**63 else None  # outside a bigint: no such row (as the ORM answers)

    def perform_authentication(self, request):
        # A detail read with a token: the diagnostic is read by the token's statement (one round trip).
        if self.action == "retrieve" and (pk := self._detail_pk()) is not None:
            read_with_token(request, *selectors.diagnostic_detail_with_token(pk))
        super().perform_authentication(request)

    def throttles_answer_later(self, request) -> bool:
        # The row is read already (with the token): the representation is built while Redis answers.
        return self.action == "retrieve" and read_with_token_row(request) is not NOT_READ

    def retrieve(self, request, *args, **kwargs):
        # A read by primary key : the list's filter backends only narrow lists, the
        # representation reads two of the list's four joins, and its SQL is built once per process.
        pk = self._detail_pk()
        if pk is None:
            raise Http404
        row = read_with_token_row(request)
        if row is not NOT_READ and not checks_objects(self):
            # Read with the token, with the same scope; represented from the row (no model instances).
            if row is None:
                raise Http404
            return Response(s.diagnostic_data(selectors.diagnostic_detail_values(row)))
        if row is NOT_READ:
            diagnostic = selectors.diagnostic_detail_get(pk, user=request.user)  # only of the user's programs
        else:
            diagnostic = None if row is None else selectors.diagnostic_detail_from_row(row)
        if diagnostic is None:
            raise Http404
        self.check_object_permissions(request, diagnostic)
        return Response(s.DiagnosticSerializer(diagnostic).data)

    def create(self, request, *args, **kwargs):
        serializer = s.DiagnosticSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        for name in ("supplier", "baseline"):
            # Another program's SME or diagnostic reads as one that does not exist.
            if data.get(name) is not None and not staff_sees(request.user, data[name]):
                raise DRFValidationError(
                    {
                        name: [
                            PrimaryKeyRelatedField.default_error_messages["does_not_exist"].format(
                                pk_value=data[name].pk
                            )
                        ]
                    }
                )
        diagnostic = services.diagnostic_schedule(actor=request.user, **data)
        return Response(s.DiagnosticSerializer(diagnostic).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DiagnosticUpdateSerializer, responses=s.DiagnosticSerializer)
    def update(self, request, *args, partial=False, **kwargs):
        diagnostic = self.get_object()
        serializer = s.DiagnosticUpdateSerializer(diagnostic, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "version" not in changes:
            raise DRFValidationError({"version": ["This field is required."]})
        version = changes.pop("version")
        diagnostic = services.diagnostic_update(
            diagnostic=diagnostic, expected_version=version, actor=request.user, **changes
        )
        return Response(s.DiagnosticSerializer(diagnostic).data)

    @extend_schema(request=s.DiagnosticUpdateSerializer, responses=s.DiagnosticSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.diagnostic_delete(diagnostic=instance, actor=self.request.user)

    @extend_schema(request=s.AnswersBulkSerializer, responses=s.DiagnosticSerializer)
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Create or update many answers at once: ``{"version": n, "answers": [...]}``; all or nothing."""
        diagnostic = self.get_object()
        payload = s.AnswersBulkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        items, errors = [], []
        for raw in payload.validated_data["answers"]:
            item = s.AnswerItemSerializer(data=raw)
            errors.append({} if item.is_valid() else item.errors)
            items.append(item.validated_data if not errors[-1] else raw)
        if any(errors):
            raise DRFValidationError({"answers": errors})
        try:
            diagnostic = services.diagnostic_answers_save(
                diagnostic=diagnostic,
                answers=items,
                expected_version=payload.validated_data["version"],
                actor=request.user,
            )
        except services.AnswerItemsInvalid as exc:
            raise DRFValidationError({"answers": exc.items}) from exc
        return Response(s.DiagnosticSerializer(diagnostic).data)

    def _lifecycle(self, request, service):
        diagnostic = self.get_object()
        payload = s.VersionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        diagnostic = service(
            diagnostic=diagnostic, expected_version=payload.validated_data["version"], actor=request.user
        )
        return Response(s.DiagnosticSerializer(diagnostic).data)

    @extend_schema(request=s.VersionSerializer, responses=s.DiagnosticSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._lifecycle(request, services.diagnostic_submit)

    @extend_schema(request=s.VersionSerializer, responses=s.DiagnosticSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        return self._lifecycle(request, services.diagnostic_validate)

    @extend_schema(request=s.VersionSerializer, responses=s.DiagnosticSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._lifecycle(request, services.diagnostic_publish)

    @extend_schema(request=s.VersionSerializer, responses=s.DiagnosticSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._lifecycle(request, services.diagnostic_reopen)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "DiagnosticResults",
            {
                "diagnostic": s.DiagnosticSerializer(),
                "dimension_scores": s.DimensionScoreSerializer(many=True),
                "alignments": s.AreaAlignmentSerializer(many=True),
                "explanation": serializers.JSONField(),
                "comparison": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Dimension scores, supply-area alignments (gaps, missing certifications), the explanation and
        the comparison with the baseline."""
        diagnostic = self.get_object()
        scores = (
            DimensionScore.objects.filter(diagnostic=diagnostic)
            .select_related("dimension")
            .order_by("dimension__order", "dimension__code")
        )
        alignments = AreaAlignment.objects.filter(diagnostic=diagnostic).select_related("area").order_by("area__code")
        comparison = [
            {**row, "baseline": row["baseline"], "name": str(row["name"])}
            for row in selectors.comparison(diagnostic, list(scores))
        ]
        return Response(
            {
                "diagnostic": s.DiagnosticSerializer(diagnostic).data,
                "dimension_scores": s.DimensionScoreSerializer(scores, many=True).data,
                "alignments": s.AreaAlignmentSerializer(alignments, many=True).data,
                "explanation": selectors.diagnostic_explanation(diagnostic),
                "comparison": [
                    {
                        k: (str(v) if v is not None and k in {"baseline", "current", "delta"} else v)
                        for k, v in row.items()
                    }
                    for row in comparison
                ],
            }
        )
