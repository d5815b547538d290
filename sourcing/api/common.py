"""Helpers shared by the sourcing API's viewsets."""

from rest_framework.response import Response

from programs.selectors import scoped

from ..models import Opportunity
from .permissions import ANCHOR, SME, STAFF, reader

READ = ("list", "retrieve")
TAGS = ["sourcing"]


def fake(view) -> bool:
    """The schema generator's view (no request user)."""
    return getattr(view, "swagger_fake_view", False)


def valid(serializer_class, request, **context) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def with_etag(response: Response, obj) -> Response:
    response["ETag"] = f'"{obj.version}"'
    return response


def readable(request, queryset, *, anchor: str, sme: str | None = None):
    """``queryset`` as the reader may see it: staff the rows of their programs, an anchor's user those whose
    ``anchor`` path is its company, an SME user those whose ``sme`` path is itself; nothing to anyone else."""
    role, who = reader(request)
    if role == STAFF:
        return scoped(queryset, request.user)
    if role == ANCHOR:
        return queryset.filter(**{anchor: who})
    if role == SME and sme is not None:
        return queryset.filter(**{sme: who})
    return queryset.none()


def managed_opportunities(request):
    """The opportunities the reader manages: staff those of their programs, an anchor's user its company's."""
    return readable(request, Opportunity.objects.all(), anchor="anchor")
