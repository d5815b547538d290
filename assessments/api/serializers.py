from functools import cache

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from core.representation import iso_datetime
from core.text import refuse_control_characters_multiline

from ..models import (
    AreaAlignment,
    Diagnostic,
    Dimension,
    DimensionScore,
    Framework,
    LevelDescriptor,
    MaturityBand,
    Question,
)


class LevelDescriptorSerializer(serializers.ModelSerializer):
    class Meta:
        model = LevelDescriptor
        fields = ["level", "text_es", "text_en"]


class QuestionSerializer(serializers.ModelSerializer):
    descriptors = LevelDescriptorSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "code",
            "text_es",
            "text_en",
            "weight",
            "is_critical",
            "trigger_level",
            "cap_level",
            "order",
            "descriptors",
        ]


class DimensionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = [
            "id",
            "code",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "weight",
            "order",
            "questions",
        ]


class MaturityBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityBand
        fields = ["level", "name_es", "name_en", "min_score", "max_score"]


class FrameworkSerializer(serializers.ModelSerializer):
    dimensions = DimensionSerializer(many=True, read_only=True)
    bands = MaturityBandSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "is_published",
            "dimensions",
            "bands",
        ]


class FrameworkListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["id", "code", "version", "name_es", "name_en", "is_published"]


class DiagnosticSerializer(serializers.ModelSerializer):
    """Create schedules a diagnostic; update reschedules or reassigns and needs ``version``."""

    supplier_name = serializers.CharField(source="supplier.__str__", read_only=True)
    assessor_username = serializers.CharField(source="assessor.username", read_only=True, default=None)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Diagnostic
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "framework",
            "assessor",
            "assessor_username",
            "baseline",
            "scheduled_for",
            "mode",
            "status",
            "overall_score",
            "maturity_level",
            "level_capped",
            "notes",
            "submitted_at",
            "scored_at",
            "validated_at",
            "published_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "overall_score",
            "maturity_level",
            "level_capped",
            "submitted_at",
            "scored_at",
            "validated_at",
            "published_at",
        ]

    def to_representation(self, instance):
        # DRF's ModelSerializer.to_representation, over fields built once per process: building the
        # fields (a deep copy of the declared ones plus the model field mapping) was ~1/6 of a detail
        # request . These fields only read and format attributes (no context, no request).
        ret = {}
        for field in _readable_fields(type(self)):
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[field.field_name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


@cache
def _readable_fields(serializer_class) -> tuple:
    return tuple(field for field in serializer_class().fields.values() if not field.write_only)


@cache
def _readable_field_map(serializer_class) -> dict:
    return {field.field_name: field for field in _readable_fields(serializer_class)}


_TIMES = ("submitted_at", "scored_at", "validated_at", "published_at")


def diagnostic_data(values: dict) -> dict:
    """``DiagnosticSerializer(diagnostic).data`` of the diagnostic whose values
    ``selectors.diagnostic_detail_values`` read, built from them without model instances (the API detail
    read with a token). The one place its keys are written out by hand, in the serializer's order; each
    value is formatted by the serializer's own field (the times as it formats them: ``iso_datetime``).
    Tests hold it equal to the serializer's output for the ORM's instance."""
    fields = _readable_field_map(DiagnosticSerializer)
    stamp = iso_datetime(*(fields[name] for name in _TIMES))

    def formatted(name: str, value):
        return None if value is None else fields[name].to_representation(value)

    def own(name: str):
        return formatted(name, values[name])

    def time(name: str):
        return None if values[name] is None else stamp(values[name])

    return {
        "id": own("id"),
        "supplier": values["supplier_id"],
        "supplier_name": formatted("supplier_name", values["supplier__trade_name"] or values["supplier__legal_name"]),
        "framework": values["framework_id"],
        "assessor": values["assessor_id"],
        "assessor_username": formatted("assessor_username", values["assessor__username"]),
        "baseline": values["baseline_id"],
        "scheduled_for": own("scheduled_for"),
        "mode": own("mode"),
        "status": own("status"),
        "overall_score": own("overall_score"),
        "maturity_level": own("maturity_level"),
        "level_capped": own("level_capped"),
        "notes": own("notes"),
        "submitted_at": time("submitted_at"),
        "scored_at": time("scored_at"),
        "validated_at": time("validated_at"),
        "published_at": time("published_at"),
        "version": own("version"),
    }


class DiagnosticUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField()

    class Meta:
        model = Diagnostic
        fields = ["assessor", "baseline", "scheduled_for", "mode", "notes", "version"]


class AnswerItemSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    not_applicable = serializers.BooleanField(required=False, default=False)
    na_reason = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[refuse_control_characters_multiline]
    )
    evidence = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[refuse_control_characters_multiline]
    )


class AnswersBulkSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answers = serializers.ListField(child=serializers.DictField(), allow_empty=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


class DimensionScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="dimension.code")
    name_es = serializers.CharField(source="dimension.name_es")
    name_en = serializers.CharField(source="dimension.name_en")

    class Meta:
        model = DimensionScore
        fields = ["code", "name_es", "name_en", "score", "rated_count", "na_count", "total_count", "is_complete"]


class AreaAlignmentSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name_es")

    class Meta:
        model = AreaAlignment
        fields = [
            "area",
            "area_code",
            "area_name",
            "meets_requirements",
            "fit_percent",
            "gaps",
            "missing_certifications",
        ]
