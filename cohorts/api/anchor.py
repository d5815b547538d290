"""What an anchor reviewer reads through the cohort API: exactly what its portal (``/anclas/``) shows.

The cohorts under its review (name, year, status, deadline) and, in them, the proposed candidates
supplying an area its company demands: the SME, its state, those areas, the growth potential, the
maturity summary with the gaps in those areas and the company's own review. Nothing of other
anchors, no decision internals, no SME finances (the growth index's parts hold sales growth).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import AnchorReview, Candidate, Cohort


class AnchorCohortSerializer(serializers.ModelSerializer):
    """The view passes the anchor's ``area_codes`` in the context."""

    supply_areas = serializers.SerializerMethodField(help_text="Codes of the areas the anchor's company demands.")

    class Meta:
        model = Cohort
        fields = ["id", "program", "name", "year", "status", "review_deadline", "supply_areas"]
        read_only_fields = fields

    def get_supply_areas(self, obj) -> list[str]:
        return self.context["area_codes"]


class AnchorOwnReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnchorReview
        fields = ["id", "verdict", "reason", "updated_at"]
        read_only_fields = fields


class AnchorDimensionScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class AreaFitSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code", help_text="Supply area code.")
    fit_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    meets = serializers.BooleanField()
    gaps = serializers.ListField(
        child=serializers.DictField(), help_text="Per dimension below the area's minimum: dimension, required, actual."
    )
    missing_certifications = serializers.ListField(child=serializers.CharField())


class MaturitySummarySerializer(serializers.Serializer):
    overall_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    maturity_level = serializers.IntegerField(allow_null=True)
    dimensions = serializers.SerializerMethodField()
    areas = AreaFitSerializer(many=True, help_text="Fit with each area the anchor's company demands.")

    @extend_schema_field(AnchorDimensionScoreSerializer(many=True))
    def get_dimensions(self, summary):
        rows = [{"dimension": name, "score": score} for name, score in summary["dimensions"]]
        return AnchorDimensionScoreSerializer(rows, many=True).data


class AnchorCandidateSerializer(serializers.ModelSerializer):
    """Built from ``selectors.anchor_candidate_list`` rows; the view passes ``summaries`` in the context."""

    supplier_name = serializers.CharField(source="supplier.__str__", read_only=True)
    state = serializers.CharField(source="supplier.state.name", read_only=True)
    supply_areas = serializers.SerializerMethodField(help_text="Codes of the areas the anchor's company demands.")
    maturity = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField(help_text="The anchor company's own review, if any.")

    class Meta:
        model = Candidate
        fields = ["id", "cohort", "supplier_name", "state", "supply_areas", "growth_index", "maturity", "review"]
        read_only_fields = fields

    def get_supply_areas(self, obj) -> list[str]:
        return [area.code for area in obj.supplier.demanded_areas]

    @extend_schema_field(MaturitySummarySerializer(allow_null=True))
    def get_maturity(self, obj):
        summary = self.context["summaries"].get(obj.pk)
        return None if summary is None else MaturitySummarySerializer(summary).data

    @extend_schema_field(AnchorOwnReviewSerializer(allow_null=True))
    def get_review(self, obj):
        return AnchorOwnReviewSerializer(obj.own_reviews[0]).data if obj.own_reviews else None
