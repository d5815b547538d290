"""API plumbing shared by every app: errors, pagination, throttling, the schema of error bodies.

Error bodies (docs/api.md):
- 400: an object mapping each field to a list of messages; errors about the
  whole object are under ``non_field_errors``.
- every other error (401, 403, 404, 405, 409, 412, 428, 429): ``{"detail": message, "code": code}``.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import registry, roles
from .concurrency import StaleObjectError
from .pagination import CursorPagination, PageNumberPagination  # noqa: F401 - re-exported


class SingleValuedFormMixin(serializers.Serializer):
    """A form body (multipart or urlencoded) that repeats a single-valued field is a 400 with the field named,
    instead of DRF keeping the last value silently."""

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            repeated = {
                name: [_("Send one value for this field.")]
                for name, field in self.fields.items()
                if not isinstance(field, serializers.ListField | serializers.ManyRelatedField)
                and len(data.getlist(name)) > 1
            }
            if repeated:
                raise serializers.ValidationError(repeated)
        return super().to_internal_value(data)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = StaleObjectError.message
    default_code = "conflict"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the version you read: an If-Match header with the ETag, or a “version” field.")
    default_code = "precondition_required"


def exception_handler(exc, context):
    """Turn Django's ValidationError into HTTP 400 with field messages, a stale write into 409.

    Non-field errors get a machine-readable ``code`` next to ``detail``.
    """
    if isinstance(exc, StaleObjectError):
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        # e.g. a search term with a NUL character: not about one field, yet a 400 body is always an object.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and set(response.data) == {"detail"}:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        response.data["code"] = codes if isinstance(codes, str) else "error"
    return response


# --- the schema of error bodies -----------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("A human-readable message in the request's language."))
    code = serializers.CharField(help_text=_("A stable machine-readable code, e.g. not_found, conflict."))


FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Field name (or non_field_errors) -> list of messages.",
    "additionalProperties": {
        "oneOf": [
            # messages, or one object of messages per item of a list (a bulk write's items)
            {
                "type": "array",
                "items": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": True}]},
            },
            {"type": "object", "additionalProperties": True},
            {"type": "string"},
        ]
    },
}
# A list in the body (bulk writes, e.g. a diagnostic's answers) is refused item by item: a list of those objects.
VALIDATION_ERROR_SCHEMA = {
    "oneOf": [FIELD_ERRORS_SCHEMA, {"type": "array", "items": FIELD_ERRORS_SCHEMA}],
    "description": "Field messages; for a list in the body, one object per item.",
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: field messages.",
    "401": "No or invalid credentials.",
    "403": "Authenticated but not allowed.",
    "404": "Not found, or not visible to you.",
    "409": "Someone else changed this record (a stale version): nothing was written.",
    "429": "Too many requests; see Retry-After.",
}
WRITES_ONLY = {"409"}


class SDPAutoSchema(AutoSchema):
    """Document the common error responses of every operation (see module docstring)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERROR_DESCRIPTIONS.items():
            if code in responses or (code in WRITES_ONLY and self.method in ("GET", "HEAD", "OPTIONS")):
                continue
            schema = VALIDATION_ERROR_SCHEMA if code == "400" else ErrorSerializer
            response = self._get_response_for_code(schema, code, direction=direction)
            response["description"] = description
            responses[code] = response
        return responses


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """The last route under /api/v1/: unknown paths answer a JSON 404 like every other API error."""
    from django.http import JsonResponse

    return JsonResponse({"detail": str(exceptions.NotFound.default_detail), "code": "not_found"}, status=404)


def checks_objects(view: APIView) -> bool:
    """Whether one of the view's permissions decides per object (defines ``has_object_permission``): a
    view that represents a row without building its model instance may do so only when none does."""
    return any(
        type(permission).has_object_permission is not permissions.BasePermission.has_object_permission
        for permission in view.get_permissions()
    )


class ReadsOutsideTransactionMixin(APIView):
    """For the hottest read endpoints (the supplier list and the diagnostic detail): safe methods
    (GET, HEAD, OPTIONS) run in autocommit, without the BEGIN and COMMIT round trips ATOMIC_REQUESTS
    wraps every request in (two of a detail read's four); every other method runs in one transaction as
    under ATOMIC_REQUESTS, and an error response rolls it back (DRF's exception handler marks it). The
    reads lose nothing: the request transaction was READ COMMITTED, which gives each statement its own
    snapshot anyway, and they write nothing."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return transaction.non_atomic_requests(super().as_view(*args, **kwargs))

    def dispatch(self, request, *args, **kwargs):
        # Inside a caller's transaction (a test's, say) a read keeps its savepoint, as under
        # ATOMIC_REQUESTS: DRF's exception handler marks the innermost atomic block for rollback.
        if request.method in permissions.SAFE_METHODS and not transaction.get_connection().in_atomic_block:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)


class ProgramScopedRelationsMixin:
    """A serializer whose writable related fields accept only rows of the programs the requesting staff
    member works on (``core.registry.program_scope``): another program's row reads as one that does not
    exist."""

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        if request is None or not roles.is_program_staff(request.user):
            return fields  # other roles' writes are checked by their own rules
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and not field.read_only:
                relation.queryset = registry.program_scope.function(queryset, request.user)
        return fields
