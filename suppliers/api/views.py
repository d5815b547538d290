"""Supplier endpoints: staff see every supplier; an SME user only its own (others answer 404)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core import roles
from core.api import ErrorSerializer, PreconditionRequired, ReadsOutsideTransactionMixin
from core.pagination import CursorPagination
from core.permissions import user_supplier
from core.throttling import ThrottleAnswerLaterMixin
from programs.selectors import scoped
from suppliers import models
from suppliers.services import supplier_update_profile

from .filters import SupplierFilter
from .listing import list_queryset, page_read_with_token, read_page_with_token, supplier_page
from .permissions import IsStaffOrOwnSupplier
from .serializers import SupplierDetailSerializer, SupplierListSerializer, SupplierUpdateSerializer

IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": r'^(W/)?"?[0-9]+"?$'},
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag read (e.g. "3"); alternatively send the "version" field in the body.',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The supplier's version, to send back in If-Match.",
)
VERSION_ERRORS = {
    409: OpenApiResponse(ErrorSerializer, description="Someone else changed the supplier since you read it."),
    428: OpenApiResponse(ErrorSerializer, description="Neither If-Match nor a version was sent."),
}
UPDATE_SCHEMA = {
    "request": SupplierUpdateSerializer,
    "parameters": [IF_MATCH, ETAG],
    "responses": {200: SupplierDetailSerializer, **VERSION_ERRORS},
}


def supplier_queryset(request, *, detail: bool):
    """Suppliers the user may see, with everything the representation needs in a fixed number of queries."""
    queryset = list_queryset()
    if detail:
        queryset = queryset.select_related("program").prefetch_related(
            "anchor_customers",
            "contacts",
            "documents",
            "certifications__standard",
            "annual_figures",
        )
    if roles.is_program_staff(request.user):
        return scoped(queryset, request.user)
    own = user_supplier(request)
    return queryset.filter(pk=own.pk) if own is not None else queryset.none()


def expected_version(request, data) -> int:
    """The version the client read: If-Match (an ETag) or the body's ``version``."""
    header = request.headers.get("If-Match")
    if header:
        value = header.strip().removeprefix("W/").strip('"')
        if not (value.isascii() and value.isdigit()):
            raise exceptions.ValidationError({"If-Match": [_('Send the ETag you received, e.g. "3".')]})
        return int(value)
    if data.get("version") is not None:
        return data["version"]
    raise PreconditionRequired()


def update_supplier(request, supplier, *, partial: bool) -> Response:
    serializer = SupplierUpdateSerializer(supplier, data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    version = expected_version(request, data)
    data.pop("version", None)
    supplier_update_profile(
        supplier=supplier,
        actor=request.user,
        expected_version=version,
        supply_areas=data.pop("supply_areas", None),
        anchor_customers=data.pop("anchor_customers", None),
        changes=data,
    )
    fresh = supplier_queryset(request, detail=True).get(pk=supplier.pk)
    return with_etag(Response(SupplierDetailSerializer(fresh, context={"request": request}).data), fresh)


def with_etag(response: Response, supplier) -> Response:
    response["ETag"] = f'"{supplier.version}"'
    return response


@extend_schema_view(
    list=extend_schema(summary="List suppliers (cursor-paginated)", tags=["suppliers"]),
    retrieve=extend_schema(
        summary="A supplier with contacts, documents, certifications and figures", tags=["suppliers"], parameters=[ETAG]
    ),
    update=extend_schema(summary="Replace a supplier's profile", tags=["suppliers"], **UPDATE_SCHEMA),
    partial_update=extend_schema(summary="Change some profile fields", tags=["suppliers"], **UPDATE_SCHEMA),
)
class SupplierViewSet(
    ThrottleAnswerLaterMixin,
    ReadsOutsideTransactionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsStaffOrOwnSupplier]
    pagination_class = CursorPagination
    filterset_class = SupplierFilter
    search_fields = ["legal_name", "trade_name", "rfc"]
    ordering_fields = ["id", "legal_name", "created_at", "employees", "annual_sales_mdp"]
    ordering = ["-id"]

    def get_queryset(self):
        return supplier_queryset(self.request, detail=self.action != "list")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SupplierUpdateSerializer
        return SupplierListSerializer if self.action == "list" else SupplierDetailSerializer

    def perform_authentication(self, request):
        # A staff list with a token: the page is read by the token's statement (one round trip).
        if self.action == "list":
            read_page_with_token(self, request)
        super().perform_authentication(request)

    def throttles_answer_later(self, request) -> bool:
        return self.action == "list" and page_read_with_token(request)

    def list(self, request, *args, **kwargs):
        # Rows as dictionaries, not model instances (SupplierListSerializer.values/rows); for program staff
        # by SQL compiled once per shape of request (listing.supplier_page), else by the ORM.
        rows = supplier_page(self, request)
        if rows is None:
            queryset = SupplierListSerializer.values(self.filter_queryset(self.get_queryset()))
            page = self.paginate_queryset(queryset)
            if page is None:
                return Response(SupplierListSerializer.rows(list(queryset)))
            rows = SupplierListSerializer.rows(page)
        return self.get_paginated_response(rows)

    def retrieve(self, request, *args, **kwargs):
        supplier = self.get_object()
        return with_etag(Response(self.get_serializer(supplier).data), supplier)

    def update(self, request, *args, partial=False, **kwargs):
        return update_supplier(request, self.get_object(), partial=partial)

    @extend_schema(
        summary="Download a supplier document",
        tags=["suppliers"],
        parameters=[OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)/download",
        url_name="document-download",
        filter_backends=[],
        pagination_class=None,
    )
    def download(self, request, pk=None, document_id=None):
        supplier = self.get_object()
        document = get_object_or_404(models.Document, pk=document_id, supplier=supplier)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise exceptions.NotFound(_("The file of this document is missing.")) from exc
        return FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type="application/octet-stream"
        )


class MySupplierView(APIView):
    """``/api/v1/me/supplier/``: the SME user's own supplier."""

    permission_classes = [IsStaffOrOwnSupplier]
    serializer_class = SupplierDetailSerializer

    def get_object(self):
        own = user_supplier(self.request)
        if own is None:
            raise exceptions.NotFound(_("Your account is not linked to a supplier."))
        supplier = get_object_or_404(supplier_queryset(self.request, detail=True), pk=own.pk)
        self.check_object_permissions(self.request, supplier)
        return supplier

    @extend_schema(summary="My supplier", tags=["me"], responses=SupplierDetailSerializer, parameters=[ETAG])
    def get(self, request):
        supplier = self.get_object()
        return with_etag(Response(SupplierDetailSerializer(supplier, context={"request": request}).data), supplier)

    @extend_schema(summary="Change my supplier's profile", tags=["me"], **UPDATE_SCHEMA)
    def patch(self, request):
        return update_supplier(request, self.get_object(), partial=True)
