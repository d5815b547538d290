"""API of invitations, responses and each invited SME's track (``/api/v1/invitations/``, ``responses/``,
``sourcing-outcomes/``).

Staff: those of their programs. An anchor's user: those of its company's opportunities (it invites, and
records PPAP, purchase order, supplying and lost). An SME user: its own (it accepts the confidentiality
terms, says it is interested or declines with a reason, and sends its response). Writes go through
``sourcing.services``; a step names the version of the invitation it read (409 when stale).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import Invitation, Match
from ..models import Response as SmeResponse
from ..views import response_document_file
from . import serializers as s
from .common import READ, TAGS, fake, managed_opportunities, readable, valid
from .permissions import ANCHOR, SME, SourcingRolePermission, reader

S = Invitation.Status


def invitation_rows(request):
    """The invitations the reader may see (staff: their programs'; an anchor's user: its opportunities'; an
    SME user: its own), with what their representation needs."""
    queryset = Invitation.objects.select_related("opportunity", "supplier", "response").order_by("-id")
    return readable(request, queryset, anchor="opportunity__anchor", sme="supplier")


@extend_schema_view(
    list=extend_schema(summary="Invitations the reader may see", tags=TAGS),
    retrieve=extend_schema(summary="One invitation", tags=TAGS),
    create=extend_schema(summary="Invite an SME to an open opportunity (an anchor's user or staff)", tags=TAGS),
)
class InvitationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [SourcingRolePermission]
    role_actions = {
        ANCHOR: (*READ, "create"),
        SME: (*READ, "accept_terms", "interest", "decline"),
    }
    serializer_class = s.InvitationSerializer
    filterset_fields = ["opportunity", "supplier", "status"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        if fake(self):
            return Invitation.objects.select_related("opportunity", "supplier", "response")
        return invitation_rows(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not fake(self) and self.request is not None and self.action == "create":
            context["opportunities"] = managed_opportunities(self.request)
        return context

    def perform_create(self, serializer):
        opportunity = serializer.validated_data["opportunity"]
        supplier = serializer.validated_data["supplier"]
        role, _who = reader(self.request)
        if (
            role == ANCHOR
            and supplier.program_id == opportunity.anchor.program_id
            and not Match.objects.filter(opportunity=opportunity, supplier=supplier).exists()
        ):
            # An anchor invites from the ranked list: the SMEs that agreed to be visible to anchors.
            raise serializers.ValidationError({"supplier": [_("Invite an SME from this opportunity's ranked list.")]})
        serializer.instance = services.invitation_create(
            opportunity=opportunity, supplier=supplier, actor=self.request.user
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._fresh(serializer.instance), status=status.HTTP_201_CREATED)

    def _fresh(self, invitation) -> dict:
        return s.InvitationSerializer(
            invitation_rows(self.request).get(pk=invitation.pk), context={"request": self.request}
        ).data

    @extend_schema(
        summary="The SME accepts the confidentiality terms (then it downloads the drawings)",
        tags=TAGS,
        request=None,
        responses=s.InvitationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="accept-terms")
    def accept_terms(self, request, pk=None):
        invitation = services.invitation_accept_terms(invitation=self.get_object(), actor=request.user)
        return Response(self._fresh(invitation))

    @extend_schema(
        summary="The SME says it is interested",
        tags=TAGS,
        request=s.InvitationVersionSerializer,
        responses=s.InvitationSerializer,
    )
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        data = valid(s.InvitationVersionSerializer, request)
        invitation = services.invitation_advance(
            invitation=self.get_object(), to=S.INTERESTED, actor=request.user, expected_version=data["version"]
        )
        return Response(self._fresh(invitation))

    @extend_schema(
        summary="The SME declines, with a reason",
        tags=TAGS,
        request=s.InvitationDeclineSerializer,
        responses=s.InvitationSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = valid(s.InvitationDeclineSerializer, request)
        invitation = services.invitation_advance(
            invitation=self.get_object(),
            to=S.DECLINED,
            actor=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._fresh(invitation))


def response_rows(request):
    queryset = (
        SmeResponse.objects.select_related("invitation__supplier", "invitation__opportunity")
        .prefetch_related("documents")
        .order_by("-created_at", "-id")
    )
    return readable(request, queryset, anchor="invitation__opportunity__anchor", sme="invitation__supplier")


@extend_schema_view(
    list=extend_schema(summary="Responses (quotes) the reader may see", tags=TAGS),
    retrieve=extend_schema(summary="One response with its documents", tags=TAGS),
    create=extend_schema(
        summary="The SME sends its response (a quote summary): the invitation moves to quoted", tags=TAGS
    ),
)
class ResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [SourcingRolePermission]
    role_actions = {ANCHOR: (*READ, "document_download"), SME: (*READ, "create", "document_download")}
    serializer_class = s.SourcingResponseSerializer
    filterset_fields = ["invitation", "invitation__opportunity"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        if fake(self):
            return SmeResponse.objects.select_related("invitation__supplier").prefetch_related("documents")
        return response_rows(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not fake(self) and self.request is not None and self.action == "create":
            context["invitations"] = invitation_rows(self.request)
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        response = services.response_submit(
            invitation=data.pop("invitation"),
            actor=request.user,
            summary=data["summary"],
            quoted_value=data.get("quoted_value"),
            currency=data.get("currency", "MXN"),
            lead_time_weeks=data.get("lead_time_weeks"),
        )
        fresh = response_rows(request).get(pk=response.pk)
        return Response(
            s.SourcingResponseSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Download a document of the response",
        tags=TAGS,
        parameters=[OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=s.DOWNLOAD,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)/download",
        url_name="document-download",
        filter_backends=[],
        pagination_class=None,
    )
    def document_download(self, request, pk=None, document_id=None):
        response = self.get_object()
        return response_document_file(request.user, int(document_id), response_id=response.pk)


@extend_schema_view(
    list=extend_schema(summary="Each invited SME's track up to the purchase order (the program's results)", tags=TAGS),
    retrieve=extend_schema(summary="One invited SME's track", tags=TAGS),
)
class OutcomeViewSet(viewsets.ReadOnlyModelViewSet):
    """The track of each invitation: invited -> interested | declined -> quoted -> ppap -> purchase_order ->
    supplying | lost, with the date of each step and the purchase order's value (MXN). The anchor's users and
    staff record PPAP, purchase order, supplying and lost."""

    permission_classes = [SourcingRolePermission]
    role_actions = {ANCHOR: (*READ, "step"), SME: READ}
    serializer_class = s.SourcingOutcomeSerializer
    filterset_fields = ["opportunity", "opportunity__anchor", "supplier", "status"]
    ordering_fields = ["id", "updated_at", "purchase_order_date"]

    def get_queryset(self):
        if fake(self):
            return Invitation.objects.select_related("opportunity", "supplier")
        return invitation_rows(self.request)

    @extend_schema(
        summary="Record a step of the track (a purchase order with its value in MXN and its date; lost with a reason)",
        tags=TAGS,
        request=s.SourcingStepSerializer,
        responses=s.SourcingOutcomeSerializer,
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        data = valid(s.SourcingStepSerializer, request)
        invitation = services.invitation_advance(
            invitation=self.get_object(),
            to=data["to"],
            actor=request.user,
            reason=data["reason"],
            purchase_order_value_mxn=data["purchase_order_value_mxn"],
            purchase_order_date=data["purchase_order_date"],
            expected_version=data["version"],
        )
        fresh = invitation_rows(request).get(pk=invitation.pk)
        return Response(s.SourcingOutcomeSerializer(fresh, context={"request": request}).data)
