from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cohorts.models import Cohort
from core.api import ReadsOutsideTransactionMixin
from core.permissions import IsProgramStaff
from programs.selectors import scoped

from ..selectors import SUMMARY_SECTIONS, ReportScope, report_parts, summary_of


class CohortReportViewSet(ReadsOutsideTransactionMixin, viewsets.ViewSet):
    """Summary figures of a cohort report (program staff only), the results of its latest closed follow-up round
    under ``results`` (``null`` when none is closed); read outside a transaction, so that ``report_parts`` can
    read on two connections (``core.snapshot``)."""

    permission_classes = [IsAuthenticated, IsProgramStaff]
    lookup_value_regex = r"[0-9]+"  # anything else is the API's JSON 404, never a ValueError

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Cohort id")],
    )
    def retrieve(self, request, pk=None):
        cohort = get_object_or_404(scoped(Cohort.objects.select_related("program", "phase"), request.user), pk=pk)
        scope = ReportScope.for_cohort(cohort)
        parts = report_parts(scope, (*SUMMARY_SECTIONS, "results"))  # each from the cache unless its tables changed
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
                **summary_of(scope, parts),
                "results": parts["results"],
            }
        )
