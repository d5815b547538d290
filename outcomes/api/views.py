"""The outcomes API (read-only, tidy rows a donor's system can import). Deny by default: staff read everything;
an SME user reads its own answers; everyone else is refused."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from core import roles
from core.permissions import user_supplier
from programs.selectors import scoped

from ..indicators import CATALOGUE, stored_row, stored_values
from ..models import OutcomeResponse, OutcomeRound


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


class StaffOnly(BasePermission):
    def has_permission(self, request, view):
        return roles.is_program_staff(request.user)


class StaffOrOwnSme(BasePermission):
    def has_permission(self, request, view):
        if roles.is_program_staff(request.user):
            return True
        return getattr(view, "action", None) in ("list", "retrieve") and user_supplier(request) is not None


class OutcomeRoundSerializer(serializers.ModelSerializer):
    cohort = serializers.CharField(source="cohort.name", read_only=True)

    class Meta:
        model = OutcomeRound
        fields = [
            "id",
            "cohort_id",
            "cohort",
            "kind",
            "name",
            "period_start",
            "period_end",
            "opens_on",
            "closes_on",
            "status",
            "closed_at",
        ]


class OutcomeResponseSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)

    class Meta:
        model = OutcomeResponse
        fields = [
            "id",
            "round_id",
            "round_name",
            "supplier_id",
            "group",
            "status",
            "submitted_at",
            *OutcomeResponse.FIGURE_FIELDS,
            *OutcomeResponse.FACT_FIELDS,
            *OutcomeResponse.RECORDED_FIELDS,
        ]


class IndicatorRowSerializer(serializers.Serializer):
    round = serializers.CharField()
    round_id = serializers.IntegerField()
    period_end = serializers.DateField()
    indicator = serializers.CharField()
    name_es = serializers.CharField()
    name_en = serializers.CharField()
    unit = serializers.CharField()
    group = serializers.CharField()
    breakdown = serializers.CharField()
    level = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Empty when suppressed (fewer than 5 SMEs).")
    n_smes = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


class OutcomeRoundViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [StaffOnly]
    serializer_class = OutcomeRoundSerializer
    filterset_fields = ["cohort", "kind", "status"]

    def get_queryset(self):
        queryset = OutcomeRound.objects.select_related("cohort").order_by("period_end", "id")
        return queryset if _fake(self) else scoped(queryset, self.request.user)


class OutcomeResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """One row per SME and round: the figures it answered (staff: all; an SME user: its own)."""

    permission_classes = [StaffOrOwnSme]
    serializer_class = OutcomeResponseSerializer
    filterset_fields = ["round", "group", "status"]

    def get_queryset(self):
        queryset = OutcomeResponse.objects.select_related("round").order_by("round_id", "supplier_id", "id")
        if _fake(self):
            return queryset
        if roles.is_program_staff(self.request.user):
            return scoped(queryset, self.request.user)
        return queryset.filter(supplier=user_supplier(self.request))


class IndicatorViewSet(viewsets.GenericViewSet):
    """The indicators of closed rounds, one row per round, indicator, group, breakdown and level."""

    permission_classes = [StaffOnly]
    serializer_class = IndicatorRowSerializer
    queryset = OutcomeRound.objects.none()  # rows are the values stored when each round closed

    @extend_schema(
        parameters=[OpenApiParameter("round", OpenApiTypes.INT, description="Only this round.")],
        responses=IndicatorRowSerializer(many=True),
    )
    def list(self, request):
        closed = OutcomeRound.objects.filter(status=OutcomeRound.Status.CLOSED).order_by("period_end", "id")
        rounds = scoped(closed, request.user)
        wanted = request.query_params.get("round")
        if wanted is not None:
            if not wanted.isdigit():
                raise serializers.ValidationError({"round": ["Write a round id."]})
            rounds = rounds.filter(pk=int(wanted))
        page = self.paginate_queryset(stored_values(rounds))
        names = {i.code: (i.names(), str(i.unit)) for i in CATALOGUE}
        rows = []
        for value in page:
            row = stored_row(value)
            (n, unit) = names.get(row["indicator"], ({"es": row["indicator"], "en": row["indicator"]}, ""))
            row.update(name_es=n["es"], name_en=n["en"], unit=unit)
            rows.append(row)
        return self.get_paginated_response(IndicatorRowSerializer(rows, many=True).data)
