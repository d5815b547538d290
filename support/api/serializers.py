"""Serializers of the support API: thin shapes over the models; writes go through ``support.services``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ProgramScopedRelationsMixin
from core.text import refuse_control_characters, refuse_control_characters_multiline

from ..models import (
    Attendance,
    Course,
    DevelopmentPlan,
    Evidence,
    Milestone,
    PlanItem,
    Provider,
    TrainingSession,
    Visit,
)

VERSION_HELP = "The version read; required on update (a stale one is refused with 409)."


class ProviderSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    specialties = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, max_length=30, help_text="Dimension codes."
    )

    class Meta:
        model = Provider
        fields = [
            "id",
            "program",
            "user",
            "kind",
            "name",
            "organization",
            "email",
            "language",
            "specialties",
            "is_active",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "step", "order", "reached_on"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "note", "has_file", "created_at"]
        read_only_fields = fields

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class PlanItemSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "kind",
            "title",
            "target",
            "dimension_code",
            "area",
            "standard",
            "owner_name",
            "provider",
            "due_date",
            "order",
            "status",
            "drop_reason",
            "completed_on",
            "milestones",
            "evidence",
            "version",
        ]
        read_only_fields = ["status", "drop_reason", "completed_on", "milestones", "evidence"]
        extra_kwargs = {
            "version": {"required": False, "help_text": VERSION_HELP, "min_value": 1, "max_value": 2147483647}
        }


class DevelopmentPlanSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    supplier = serializers.IntegerField(source="candidate.supplier_id", read_only=True)
    supplier_name = serializers.CharField(source="candidate.supplier.__str__", read_only=True)
    accept_proposals = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create: add the items the SME's current diagnostic proposes.",
    )

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id",
            "candidate",
            "supplier",
            "supplier_name",
            "diagnostic",
            "summary",
            "accept_proposals",
            "version",
            "created_at",
        ]
        read_only_fields = ["diagnostic", "created_at"]
        extra_kwargs = {
            "version": {"required": False, "help_text": VERSION_HELP, "min_value": 1, "max_value": 2147483647}
        }


class ProposalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    reason = serializers.CharField()
    title = serializers.CharField()
    target = serializers.CharField(allow_blank=True)
    dimension_code = serializers.CharField(allow_blank=True)
    area = serializers.IntegerField(source="area.pk", allow_null=True, default=None)
    standard = serializers.IntegerField(source="standard.pk", allow_null=True, default=None)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanItem.Status.choices)
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=2000, validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(help_text="The version read.", min_value=1, max_value=2147483647)


class EvidenceInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=5000, validators=[refuse_control_characters_multiline]
    )
    file = serializers.FileField(required=False, allow_null=True, default=None)


class MilestoneInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Milestone.Step.choices)
    reached_on = serializers.DateField(allow_null=True)


class VisitSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="candidate.supplier.__str__", read_only=True)
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), required=False, help_text="Staff name the provider; a provider logs its own."
    )
    items = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all(), many=True, required=False)

    class Meta:
        model = Visit
        fields = [
            "id",
            "provider",
            "candidate",
            "supplier_name",
            "kind",
            "status",
            "scheduled_for",
            "date",
            "hours",
            "topics",
            "items",
            "agreements",
            "next_steps",
            "dispute_reason",
            "resolution",
            "version",
        ]
        read_only_fields = ["status", "scheduled_for", "dispute_reason", "resolution", "version"]
        extra_kwargs = {"date": {"required": False, "help_text": "The day of the visit; required to log one."}}


class ScheduleSerializer(ProgramScopedRelationsMixin, serializers.Serializer):
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
    candidate = serializers.IntegerField(min_value=1, max_value=2147483647)
    kind = serializers.ChoiceField(choices=Visit.Kind.choices, default=Visit.Kind.CONSULTING)
    scheduled_for = serializers.DateField()


class AnswerSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=2000, validators=[refuse_control_characters_multiline]
    )
    version = serializers.IntegerField(help_text="The version read.", min_value=1, max_value=2147483647)


class ResolveSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="True: the hours count; false: the visit is rejected.")
    resolution = serializers.CharField(max_length=2000, validators=[refuse_control_characters_multiline])
    version = serializers.IntegerField(help_text="The version read.", min_value=1, max_value=2147483647)


class CourseSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "cohort", "title", "topic", "dimension_code", "trainer", "created_at"]
        read_only_fields = ["created_at"]


class ParticipantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, validators=[refuse_control_characters])
    email = serializers.EmailField(required=False, default="", allow_blank=True)


class EnrolSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1, max_value=2147483647)
    participants = ParticipantInputSerializer(many=True, required=False, default=list, max_length=100)  # type: ignore[call-arg]


class SessionSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    hours = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["id", "course", "topic", "trainer", "starts_at", "ends_at", "place", "online", "capacity", "hours"]

    @extend_schema_field(serializers.DecimalField(max_digits=6, decimal_places=1))
    def get_hours(self, obj):
        return str(obj.hours)


class AttendanceSerializer(ProgramScopedRelationsMixin, serializers.ModelSerializer):
    participant_name = serializers.CharField(source="participant.name", read_only=True)
    supplier_name = serializers.CharField(source="participant.enrolment.candidate.supplier.__str__", read_only=True)

    class Meta:
        model = Attendance
        fields = ["participant", "participant_name", "supplier_name", "status"]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1, max_value=2147483647)
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class AttendanceInputSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, max_length=500)  # type: ignore[call-arg]
