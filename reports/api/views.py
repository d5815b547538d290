from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cohorts.models import Cohort
from core.api import ReadsOutsideTransactionMixin
from core.permissions import IsProgramStaff
from programs.selectors import scoped

from ..selectors import ReportScope, report_summary


class CohortReportViewSet(ReadsOutsideTransactionMixin, viewsets.ViewSet):
    """Summary figures of a cohort report (program staff only); read outside a transaction, so that
    ``report_summary`` can read on two connections (``core.snapshot``)."""

    permission_classes = [IsAuthenticated, IsProgramStaff]
    lookup_value_regex = r"[0-9]+"  # anything else is the API's JSON 404, never a ValueError

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Cohort id")],
    )
    def retrieve(self, request, pk=None):
        cohort = get_object_or_404(scoped(Cohort.objects.select_related("program", "phase"), request.user), pk=pk)
        summary = report_summary(ReportScope.for_cohort(cohort))
        return Response(
            {
                "cohort": {
                    "id": cohort.pk,
                    "name": cohort.name,
                    "year": cohort.year,
                    "status": cohort.status,
                    "program": cohort.program.code,
                    "phase": cohort.phase_id,
                },
                **summary,
            }
        )
