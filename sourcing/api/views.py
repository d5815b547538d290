"""API of sourcing opportunities and their ranked SMEs (``/api/v1/opportunities/``, ``opportunity-matches/``).

Permissions: ``permissions.py`` (deny by default). Writes go through ``sourcing.services``, the same functions
the pages call, so the same rules hold: a deadline in the past or a negative value is a 400 with the field
named and nothing saved; an update names the version it read (If-Match or ``version``; 409 when stale).
"""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import ErrorSerializer
from programs.models import CertificationStandard
from suppliers.api.views import IF_MATCH, expected_version
from suppliers.models import Certification

from .. import selectors, services
from ..models import Attachment, Invitation, Match, Opportunity
from ..views import attachment_file
from . import serializers as s
from .common import READ, TAGS, fake, managed_opportunities, valid, with_etag
from .invitations import invitation_rows
from .permissions import ANCHOR, SME, STAFF, SourcingRolePermission, reader

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The opportunity's version, to send back in If-Match.",
)
VERSION_ERRORS = {
    409: OpenApiResponse(ErrorSerializer, description="Someone else changed the opportunity since you read it."),
    428: OpenApiResponse(ErrorSerializer, description="Neither If-Match nor a version was sent."),
}
UPDATE_SCHEMA = {
    "tags": TAGS,
    "parameters": [IF_MATCH, ETAG],
    "responses": {200: s.OpportunitySerializer, **VERSION_ERRORS},
}


@extend_schema_view(
    list=extend_schema(summary="Sourcing opportunities the reader may see", tags=TAGS),
    retrieve=extend_schema(summary="A sourcing opportunity with its files", tags=TAGS, parameters=[ETAG]),
    create=extend_schema(summary="Post an opportunity (an anchor's user, or staff for an anchor)", tags=TAGS),
    update=extend_schema(summary="Change an opportunity", **UPDATE_SCHEMA),
    partial_update=extend_schema(summary="Change some fields of an opportunity", **UPDATE_SCHEMA),
)
class OpportunityViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Staff: the opportunities of their programs (post for an anchor, change, moderate). An anchor's user: its
    company's (post, change, close, reopen). An SME user: those it is invited to or eligible for (read, say it
    is interested). Nobody else."""

    permission_classes = [SourcingRolePermission]
    role_actions = {
        ANCHOR: (*READ, "create", "update", "partial_update", "set_status", "attachments", "attachment_download"),
        SME: (*READ, "interest", "attachment_download"),
    }
    serializer_class = s.OpportunitySerializer
    filterset_fields = ["anchor", "status", "visibility", "currency", "delivery_state"]
    ordering_fields = ["id", "created_at", "response_deadline"]

    def get_queryset(self):
        prefetch = [
            "areas",
            "required_certifications",
            Prefetch("attachments", queryset=Attachment.objects.order_by("id")),
        ]
        if fake(self):
            return Opportunity.objects.select_related("anchor", "delivery_state").prefetch_related(*prefetch)
        role, who = reader(self.request)
        if role == SME:
            return selectors.sme_opportunities(who).prefetch_related(*prefetch)
        return (
            managed_opportunities(self.request)
            .select_related("anchor", "delivery_state")
            .prefetch_related(*prefetch)
            .order_by("-created_at", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if fake(self) or self.request is None:
            return context
        role, who = reader(self.request)
        context["manages"] = role in (STAFF, ANCHOR)
        if role == ANCHOR:
            context["anchor"] = who
        if role == SME:
            accepted: set[int] | None = None

            def may_download(attachment) -> bool:
                nonlocal accepted
                if not attachment.is_confidential:
                    return True
                if accepted is None:
                    accepted = set(
                        Invitation.objects.filter(supplier=who, terms_accepted_at__isnull=False).values_list(
                            "opportunity_id", flat=True
                        )
                    )
                return attachment.opportunity_id in accepted

            context["may_download"] = may_download
        elif role in (STAFF, ANCHOR):
            context["may_download"] = lambda attachment: True
        return context

    def _fresh(self, opportunity) -> Response:
        fresh = self.get_queryset().get(pk=opportunity.pk)
        return with_etag(Response(self.get_serializer(fresh).data), fresh)

    def retrieve(self, request, *args, **kwargs):
        opportunity = self.get_object()
        return with_etag(Response(self.get_serializer(opportunity).data), opportunity)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        role, who = reader(self.request)
        anchor = data.pop("anchor", None)
        if role == ANCHOR:
            if anchor is not None and anchor.pk != who.pk:
                raise serializers.ValidationError({"anchor": [_("An anchor's user posts for its own company.")]})
            anchor = who
        elif anchor is None:
            raise serializers.ValidationError({"anchor": [_("Name the anchor company you post for.")]})
        areas = data.pop("areas")
        certifications = data.pop("required_certifications", [])
        serializer.instance = services.opportunity_post(
            anchor=anchor, actor=self.request.user, data=data, areas=areas, required_certifications=certifications
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        response = self._fresh(serializer.instance)
        response.status_code = status.HTTP_201_CREATED
        return response

    def update(self, request, *args, partial=False, **kwargs):
        opportunity = self.get_object()
        serializer = self.get_serializer(opportunity, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = expected_version(request, data)
        data.pop("version", None)
        anchor = data.pop("anchor", None)
        if anchor is not None and anchor.pk != opportunity.anchor_id:
            raise serializers.ValidationError({"anchor": [_("An opportunity stays with its anchor.")]})
        areas = data.pop("areas", None)
        certifications = data.pop("required_certifications", None)
        services.opportunity_update(
            opportunity=opportunity,
            actor=request.user,
            data=data,
            areas=areas,
            required_certifications=certifications,
            expected_version=version,
        )
        return self._fresh(opportunity)

    @extend_schema(
        summary="Close or reopen an opportunity; staff also withdraw (with a reason) and restore",
        tags=TAGS,
        request=s.OpportunityStatusSerializer,
        responses=s.OpportunitySerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = valid(s.OpportunityStatusSerializer, request)
        opportunity = services.opportunity_set_status(
            opportunity=self.get_object(), actor=request.user, to=data["to"], reason=data["reason"]
        )
        return self._fresh(opportunity)

    @extend_schema(
        summary="An eligible SME says it is interested in an open opportunity it was not invited to",
        tags=TAGS,
        request=None,
        responses={201: s.InvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def interest(self, request, pk=None):
        role, supplier = reader(request)
        if role != SME:
            raise PermissionDenied(_("Only an SME says it is interested."))
        invitation = services.opportunity_express_interest(
            opportunity=self.get_object(), supplier=supplier, actor=request.user
        )
        fresh = invitation_rows(request).get(pk=invitation.pk)
        return Response(s.InvitationSerializer(fresh, context={"request": request}).data, status=201)

    @extend_schema(
        summary="Add a file to an opportunity (its anchor's user, or staff)",
        tags=TAGS,
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={201: s.OpportunityAttachmentSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], filter_backends=[], pagination_class=None)
    def attachments(self, request, pk=None):
        """The file is checked by its content and stored under a random name, as on the page; a refused file is a
        400 with the field named and nothing stored."""
        opportunity = self.get_object()
        data = valid(s.AttachmentUploadSerializer, request)
        attachment = services.attachment_add(
            opportunity=opportunity,
            actor=request.user,
            uploaded=data["file"],
            is_confidential=data["is_confidential"],
        )
        context = {**self.get_serializer_context(), "may_download": lambda _attachment: True}
        return Response(s.OpportunityAttachmentSerializer(attachment, context=context).data, status=201)

    @extend_schema(
        summary="Download a file of the opportunity (who may: see download_url); every download is logged",
        tags=TAGS,
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=s.DOWNLOAD,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)/download",
        url_name="attachment-download",
        filter_backends=[],
        pagination_class=None,
    )
    def attachment_download(self, request, pk=None, attachment_id=None):
        opportunity = self.get_object()
        return attachment_file(request.user, int(attachment_id), opportunity_id=opportunity.pk)


def _valid_certifications():
    today = timezone.localdate()
    return (
        Certification.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("standard")
        .only("pk", "supplier_id", "standard__name")
    )


@extend_schema_view(
    list=extend_schema(summary="The ranked SMEs of the reader's opportunities, with the reasons", tags=TAGS),
    retrieve=extend_schema(summary="One ranked SME", tags=TAGS),
)
class MatchViewSet(viewsets.ReadOnlyModelViewSet):
    """The SMEs ranked for an opportunity, as an anchor may see them (never their finances). Staff and the
    anchor's users; SMEs never read a rank."""

    permission_classes = [SourcingRolePermission]
    role_actions = {ANCHOR: (*READ, "shortlist")}
    serializer_class = s.OpportunityMatchSerializer
    filterset_fields = ["opportunity", "shortlisted", "meets_requirements"]
    ordering_fields = ["rank", "score", "id"]

    def get_queryset(self):
        queryset = (
            Match.objects.select_related("supplier__state", "opportunity")
            .prefetch_related(
                "supplier__supply_areas",
                Prefetch("supplier__certifications", queryset=_valid_certifications()),
                selectors.current_baselines(),
            )
            .annotate(
                invited=Exists(
                    Invitation.objects.filter(
                        opportunity_id=OuterRef("opportunity_id"), supplier_id=OuterRef("supplier_id")
                    )
                )
            )
            .order_by("opportunity_id", "rank", "id")
        )
        if fake(self):
            return queryset
        return queryset.filter(opportunity__in=managed_opportunities(self.request))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if fake(self) or self.request is None or self.action not in READ:
            return context
        return {**context, **read_context(self.request)}

    @extend_schema(
        summary="Put a ranked SME on the shortlist, or take it off", tags=TAGS, request=s.MatchShortlistSerializer
    )
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        data = valid(s.MatchShortlistSerializer, request)
        match = self.get_object()
        services.match_shortlist(match=match, actor=request.user, shortlisted=data["shortlisted"])
        fresh = get_object_or_404(self.get_queryset(), pk=match.pk)
        return Response(s.OpportunityMatchSerializer(fresh, context=read_context(request)).data)


def read_context(request) -> dict:
    """What a rank's representation needs: whether the reader sees finances, names of certifications and
    dimensions (two queries, whatever the page size)."""
    role, _who = reader(request)
    return {
        "request": request,
        "sees_finances": role == STAFF,
        "certification_names": dict(CertificationStandard.objects.values_list("pk", "name")),
        "dimension_names": selectors.dimension_names(),
    }
