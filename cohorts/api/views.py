"""API of cohort selection: cohorts, candidates, anchor reviews (``/api/v1/``).

Staff do everything. An anchor reviewer reads the cohorts under its review and the candidates it
reviews, as its portal shows them (``anchor.py``), and lists and creates its own company's reviews.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core import roles
from core.api import ProgramScopedRelationsMixin
from core.filters import StrictFilterSet
from core.pagination import DeferredJoinPagination
from core.text import refuse_control_characters_multiline
from programs.selectors import scoped
from suppliers.models import Supplier

from .. import growth, selectors, services
from ..models import AnchorReview, Candidate, Cohort
from ..services.reasons import render, render_all
from .anchor import AnchorCandidateSerializer, AnchorCohortSerializer
from .permissions import IsStaffOrAnchorCandidate, IsStaffOrAnchorCohort


class CohortSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = [
            "id",
            "program",
            "name",
            "year",
            "min_size",
            "max_size",
            "growth_floor",
            "places",
            "status",
            "growth_weights",
            "review_deadline",
            "proposal",
            "version",
        ]
        read_only_fields = ["status", "proposal", "places"]
        extra_kwargs = {
            "version": {
                "required": False,
                "help_text": "The version read; required on update (a stale one is refused with 409).",
            }
        }

    def validate(self, attrs):
        low = attrs.get("min_size", getattr(self.instance, "min_size", None))
        high = attrs.get("max_size", getattr(self.instance, "max_size", None))
        if "max_size" in attrs and low is not None and high is not None and high < low:
            raise serializers.ValidationError({"max_size": [_("The maximum cannot be below the minimum.")]})
        return attrs

    def validate_growth_weights(self, value):
        errors = growth.validate_weights(value if isinstance(value, dict) else {})
        if errors or not isinstance(value, dict):
            raise serializers.ValidationError(errors or ["Give the weights as an object."])
        return value


class CandidateSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.__str__", read_only=True)
    ineligibility_texts = serializers.SerializerMethodField()
    proposal_reason_text = serializers.SerializerMethodField()
    decision_reason_text = serializers.CharField(read_only=True, help_text="The decision's reason in your language.")
    staged_reason_text = serializers.CharField(read_only=True, help_text="The staged reason in your language.")
    # Blank while no decision is staged: read-only fields lose ``allow_blank``, so it is declared here
    # (the schema then allows ``""`` as well as a status).
    staged_status = serializers.ChoiceField(choices=Candidate.Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "cohort",
            "supplier",
            "supplier_name",
            "status",
            "is_eligible",
            "ineligibility_reasons",
            "ineligibility_texts",
            "growth_index",
            "growth_parts",
            "in_proposal",
            "proposal_reason",
            "proposal_reason_text",
            "pinned",
            "excluded",
            "staged_status",
            "staged_reason",
            "staged_reason_code",
            "staged_reason_text",
            "decision_reason",
            "decision_reason_code",
            "decision_reason_text",
            "decided_by",
            "decided_at",
            "waitlist_rank",
            "version",
        ]
        read_only_fields = fields

    def get_ineligibility_texts(self, obj) -> list[str]:
        return render_all(obj.ineligibility_reasons)

    def get_proposal_reason_text(self, obj) -> str:
        return render(obj.proposal_reason) if obj.proposal_reason else ""


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnchorReview
        fields = ["id", "candidate", "anchor", "reviewer", "verdict", "reason", "created_at", "updated_at"]
        read_only_fields = ["anchor", "reviewer", "created_at", "updated_at"]

    def validate_candidate(self, candidate):
        """A candidate the anchor may not see is refused exactly like an id that does not exist,
        so an anchor cannot learn which candidate ids exist."""
        anchor = self.context.get("anchor")
        if anchor is not None:
            visible = selectors.anchor_candidates(anchor=anchor, cohort=candidate.cohort).filter(pk=candidate.pk)
            if not visible.exists():
                self.fields["candidate"].fail("does_not_exist", pk_value=candidate.pk)
        return candidate


class OpenReviewSerializer(serializers.Serializer):
    review_deadline = serializers.DateTimeField()
    version = serializers.IntegerField(required=False)


class ExtendReviewSerializer(serializers.Serializer):
    review_deadline = serializers.DateTimeField()
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(required=False)


class ReentrySerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[refuse_control_characters_multiline]
    )


class WaitlistEntrySerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    supplier_name = serializers.CharField(source="candidate.supplier.__str__")
    waitlist_rank = serializers.IntegerField(source="candidate.waitlist_rank", allow_null=True)
    promotable = serializers.BooleanField()
    why = serializers.SerializerMethodField()

    def get_why(self, obj) -> str:
        return render(obj.why)


class WaitlistSerializer(serializers.Serializer):
    places = serializers.IntegerField()
    selected = serializers.IntegerField()
    free_places = serializers.IntegerField()
    next = serializers.SerializerMethodField()
    next_reason = serializers.SerializerMethodField()
    blocked = serializers.SerializerMethodField()
    entries = WaitlistEntrySerializer(many=True)

    def get_next(self, obj) -> int | None:
        return obj.next.pk if obj.next else None

    def get_next_reason(self, obj) -> str:
        return render(obj.next_reason)

    def get_blocked(self, obj) -> str:
        return render(obj.blocked)


class CommitSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    candidate_versions = serializers.DictField(child=serializers.IntegerField(), required=False)


class StageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["", "selected", "waitlisted", "not_selected"], allow_blank=True)
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(required=False)


class PinSerializer(serializers.Serializer):
    pinned = serializers.BooleanField(required=False, allow_null=True, default=None)
    excluded = serializers.BooleanField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(required=False)


class CandidateFilter(StrictFilterSet):
    class Meta:
        model = Candidate
        fields = ["cohort", "status", "is_eligible", "in_proposal", "pinned", "excluded", "staged_status"]


class AnchorCandidateFilter(StrictFilterSet):
    class Meta:
        model = Candidate
        fields = ["cohort"]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _by_role(name: str, staff, anchor, many: bool = False):
    """One response, two shapes: staff read ``staff``, anchor reviewers ``anchor`` (the fields their portal shows)."""
    return PolymorphicProxySerializer(
        component_name=name, serializers=[staff, anchor], resource_type_field_name=None, many=many
    )


def _anchor_reading(view):
    """The requesting anchor company, when an anchor reviewer (not staff) reads; else None."""
    if getattr(view, "swagger_fake_view", False) or roles.is_program_staff(view.request.user):
        return None
    return roles.anchor_of(view.request.user)


@extend_schema_view(
    list=extend_schema(responses=_by_role("CohortForRole", CohortSerializer, AnchorCohortSerializer, many=True)),
    retrieve=extend_schema(responses=_by_role("CohortForRole", CohortSerializer, AnchorCohortSerializer)),
)
class CohortViewSet(viewsets.ModelViewSet):
    """Staff: every cohort, and its writes. An anchor reviewer: the cohorts under its review, read only."""

    permission_classes = [IsStaffOrAnchorCohort]
    serializer_class = CohortSerializer
    filterset_fields = ["program", "year", "status"]
    ordering_fields = ["year", "name"]

    def get_queryset(self):
        anchor = _anchor_reading(self)
        if anchor is not None:
            return selectors.anchor_cohorts(anchor=anchor).select_related("program").order_by("-year", "name")
        return scoped(Cohort.objects.select_related("program"), self.request.user).order_by("-year", "name")

    def get_serializer_class(self):
        return AnchorCohortSerializer if _anchor_reading(self) is not None else CohortSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        anchor = _anchor_reading(self)
        if anchor is not None:
            context["area_codes"] = sorted(anchor.supply_areas.values_list("code", flat=True))
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.cohort_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise serializers.ValidationError({"version": ["Give the version you read."]})
        serializer.instance = services.cohort_update(
            cohort=serializer.instance, actor=self.request.user, expected_version=expected, **data
        )

    def perform_destroy(self, instance):
        services.cohort_delete(cohort=instance, actor=self.request.user)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def build_candidates(self, request, pk=None):
        return Response(services.cohort_build_candidates(cohort=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """Queue the optimizer (``cohorts.tasks.propose_cohort``); the result is stored as a proposal."""
        services.cohort_request_proposal(cohort=self.get_object(), actor=request.user)
        return Response({"detail": "queued"}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=OpenReviewSerializer, responses=CohortSerializer)
    @action(detail=True, methods=["post"])
    def open_review(self, request, pk=None):
        data = _valid(OpenReviewSerializer, request)
        cohort = services.cohort_open_review(
            cohort=self.get_object(),
            deadline=data["review_deadline"],
            actor=request.user,
            expected_version=data.get("version"),
        )
        return Response(CohortSerializer(cohort).data)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def stage_from_proposal(self, request, pk=None):
        return Response({"staged": services.cohort_stage_from_proposal(cohort=self.get_object(), actor=request.user)})

    @extend_schema(request=CommitSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def commit_decisions(self, request, pk=None):
        data = _valid(CommitSerializer, request)
        versions = {int(k): v for k, v in (data.get("candidate_versions") or {}).items()}
        counts = services.cohort_commit_decisions(
            cohort=self.get_object(), actor=request.user, expected_version=data["version"], candidate_versions=versions
        )
        return Response(counts)

    @extend_schema(request=ReasonSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """Select the next waitlisted SME into a freed place (``waitlist`` says who and why)."""
        data = _valid(ReasonSerializer, request)
        candidate = services.waitlist_promote(
            cohort=self.get_object(), actor=request.user, reason=data["reason"], expected_version=data.get("version")
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=None, responses=WaitlistSerializer)
    @action(detail=True, methods=["get"])
    def waitlist(self, request, pk=None, format=None):  # noqa: A002 (DRF passes the format suffix)
        """The free places, who the waitlist promotes next and why each SME before it is passed over (staff only)."""
        if _anchor_reading(self) is not None:
            raise PermissionDenied("Only program staff can see the waitlist.")
        return Response(WaitlistSerializer(selectors.waitlist(cohort=self.get_object())).data)

    @extend_schema(request=ExtendReviewSerializer, responses=CohortSerializer)
    @action(detail=True, methods=["post"])
    def extend_review(self, request, pk=None):
        data = _valid(ExtendReviewSerializer, request)
        cohort = services.cohort_extend_review_deadline(
            cohort=self.get_object(),
            deadline=data["review_deadline"],
            actor=request.user,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(CohortSerializer(cohort).data)

    @extend_schema(request=ReentrySerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post", "delete"])
    def reentry(self, request, pk=None):
        """Allow (POST, with a reason) or take back (DELETE) the re-entry of an SME selected in an earlier cohort."""
        data = _valid(ReentrySerializer, request)
        cohort = self.get_object()
        supplier = Supplier.objects.filter(pk=data["supplier"], program_id=cohort.program_id).first()
        if supplier is None:
            raise serializers.ValidationError({"supplier": [_("This SME is not registered in the cohort's program.")]})
        if request.method == "DELETE":
            services.cohort_revoke_reentry(cohort=cohort, supplier=supplier, actor=request.user, reason=data["reason"])
            return Response({"supplier": supplier.pk, "allowed": False})
        services.cohort_allow_reentry(cohort=cohort, supplier=supplier, actor=request.user, reason=data["reason"])
        return Response({"supplier": supplier.pk, "allowed": True}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        responses=_by_role("CandidateForRole", CandidateSerializer, AnchorCandidateSerializer, many=True)
    ),
    retrieve=extend_schema(responses=_by_role("CandidateForRole", CandidateSerializer, AnchorCandidateSerializer)),
)
class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff: every candidate, and the decisions. An anchor reviewer: the candidates it reviews, read only."""

    permission_classes = [IsStaffOrAnchorCandidate]
    pagination_class = DeferredJoinPagination  # ids first: a deep page does not join the rows before it
    serializer_class = CandidateSerializer

    @property
    def filterset_class(self):
        """Anchor reviewers filter by cohort only: no decision internals, not even through a filter."""
        return AnchorCandidateFilter if _anchor_reading(self) is not None else CandidateFilter

    @property
    def ordering_fields(self):
        return ["growth_index", "id"] if _anchor_reading(self) is not None else ["growth_index", "waitlist_rank", "id"]

    def get_queryset(self):
        anchor = _anchor_reading(self)
        if anchor is not None:
            return selectors.anchor_candidate_list(anchor=anchor)
        return scoped(Candidate.objects.select_related("supplier"), self.request.user).order_by(
            "cohort", "-growth_index", "id"
        )

    def get_serializer(self, *args, **kwargs):
        anchor = _anchor_reading(self)
        if anchor is None or not args:
            return super().get_serializer(*args, **kwargs)
        rows = list(args[0]) if kwargs.get("many") else [args[0]]
        area_ids = [area.pk for area in anchor.supply_areas.all()]
        summaries = selectors.maturity_summaries(rows, area_ids=area_ids)
        kwargs["context"] = {**self.get_serializer_context(), "summaries": summaries}
        return AnchorCandidateSerializer(rows if kwargs.get("many") else args[0], *args[1:], **kwargs)

    @extend_schema(request=StageSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        data = _valid(StageSerializer, request)
        candidate = services.cohort_stage_decision(
            candidate=self.get_object(),
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=PinSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        data = _valid(PinSerializer, request)
        candidate = services.candidate_set_pin(
            candidate=self.get_object(),
            actor=request.user,
            pinned=data["pinned"],
            excluded=data["excluded"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(CandidateSerializer(candidate).data)

    @extend_schema(request=ReasonSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = _valid(ReasonSerializer, request)
        candidate = services.candidate_withdraw(
            candidate=self.get_object(), actor=request.user, reason=data["reason"], expected_version=data.get("version")
        )
        return Response(CandidateSerializer(candidate).data)


class ReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff see every review; an anchor reviewer sees and writes only its own company's."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReviewSerializer
    filterset_fields = ["candidate", "anchor", "verdict", "candidate__cohort"]

    def get_queryset(self):
        queryset = AnchorReview.objects.select_related("candidate", "anchor", "reviewer")
        if getattr(self, "swagger_fake_view", False) or roles.is_program_staff(self.request.user):
            return scoped(queryset, self.request.user)
        anchor = roles.anchor_of(self.request.user)
        if anchor is None:
            raise PermissionDenied("Only program staff and anchor reviewers can see reviews.")
        return queryset.filter(anchor=anchor)

    def create(self, request, *args, **kwargs):
        anchor = roles.anchor_of(request.user)
        serializer = self.get_serializer(data=request.data, context={**self.get_serializer_context(), "anchor": anchor})
        serializer.is_valid(raise_exception=True)
        if anchor is None:
            raise PermissionDenied("Only anchor reviewers write reviews.")
        candidate = serializer.validated_data["candidate"]
        review = services.anchor_review_submit(
            candidate=candidate,
            actor=request.user,
            verdict=serializer.validated_data["verdict"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
