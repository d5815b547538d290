"""``/api/v1/reports/summary/``: supplier counts for program staff and reporting integrations."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import IsProgramStaff
from reports.selectors.suppliers import supplier_summary


class _StatusCount(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()


class _StateCount(serializers.Serializer):
    state = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class _SizeCount(serializers.Serializer):
    size = serializers.CharField()
    count = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = _StatusCount(many=True)
    by_state = _StateCount(many=True)
    by_size = _SizeCount(many=True)


class ReportSummaryView(APIView):
    permission_classes = [IsProgramStaff]

    @extend_schema(
        summary="Supplier counts by status, state and size",
        tags=["reports"],
        parameters=[OpenApiParameter("program", OpenApiTypes.INT, description="Only this program's suppliers.")],
        responses=SummarySerializer,
    )
    def get(self, request):
        program = request.query_params.get("program")
        if program is not None:
            try:
                program = serializers.IntegerField(min_value=1, max_value=2**63 - 1).run_validation(program)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"program": exc.detail}) from exc
        data = supplier_summary(user=request.user, program_id=program)
        return Response(SummarySerializer(data).data)
