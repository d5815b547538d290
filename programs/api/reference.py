"""Reference data of the program, read-only over the API (staff edit it in the admin):
programs, phases, regions, states, certification standards, anchors and supply areas."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core import roles
from core.permissions import IsAnyRoleReadOnly
from programs import models
from programs.selectors import programs_of_person, sees_every_program


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Region
        fields = ["id", "code", "name_es", "name_en", "order"]


class StateSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = models.State
        fields = ["id", "code", "name", "abbreviation", "region"]


class CertificationStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.CertificationStandard
        fields = ["id", "code", "name", "description_es", "description_en"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Phase
        fields = ["id", "program", "order", "kind", "name_es", "name_en", "start_date", "end_date"]


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Program
        fields = [
            "id",
            "code",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "start_date",
            "end_date",
            "registration_open",
            "profile_editing_open",
            "created_at",
            "updated_at",
        ]


class AnchorCompanySerializer(serializers.ModelSerializer):
    state = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = models.AnchorCompany
        fields = ["id", "program", "name", "kind", "state", "description_es", "description_en", "is_active"]


class AreaRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.AreaRequirement
        fields = ["dimension_code", "minimum_score"]


class CriticalSupplyAreaSerializer(serializers.ModelSerializer):
    requirements = AreaRequirementSerializer(many=True, read_only=True)
    required_certifications = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    anchors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = models.CriticalSupplyArea
        fields = [
            "id",
            "program",
            "code",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "scian_code",
            "anchors",
            "requirements",
            "required_certifications",
        ]


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Any user with a program role may read reference data."""

    permission_classes = [IsAnyRoleReadOnly]


class ProgramDataViewSet(ReferenceViewSet):
    """A program's own rows (the program, its phases, anchors and supply areas): a reader sees those of the
    programs it takes part in (staff: their memberships; anchors and SMEs: their own), and anchors and SMEs
    also those of the programs taking registrations, which the registration pages show to anyone. A superuser
    sees all; another program's row is a 404."""

    program_lookup = "program"

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or sees_every_program(user):
            return queryset
        readable = Q(**{f"{self.program_lookup}__in": programs_of_person(user)})
        if not roles.is_program_staff(user):
            open_programs = models.Program.objects.filter(registration_open=True).values("pk")
            readable |= Q(**{f"{self.program_lookup}__in": open_programs})
        return queryset.filter(readable)


@extend_schema_view(list=extend_schema(tags=["reference"]), retrieve=extend_schema(tags=["reference"]))
class RegionViewSet(ReferenceViewSet):
    queryset = models.Region.objects.all()
    serializer_class = RegionSerializer
    search_fields = ["code", "name_es", "name_en"]
    ordering_fields = ["order", "code"]


@extend_schema_view(list=extend_schema(tags=["reference"]), retrieve=extend_schema(tags=["reference"]))
class StateViewSet(ReferenceViewSet):
    queryset = models.State.objects.select_related("region")
    serializer_class = StateSerializer
    filterset_fields = {"region__code": ["exact"], "code": ["exact"]}
    search_fields = ["code", "name", "abbreviation"]
    ordering_fields = ["code", "name"]


@extend_schema_view(list=extend_schema(tags=["reference"]), retrieve=extend_schema(tags=["reference"]))
class CertificationStandardViewSet(ReferenceViewSet):
    queryset = models.CertificationStandard.objects.all()
    serializer_class = CertificationStandardSerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


@extend_schema_view(list=extend_schema(tags=["programs"]), retrieve=extend_schema(tags=["programs"]))
class ProgramViewSet(ProgramDataViewSet):
    program_lookup = "pk"
    queryset = models.Program.objects.all()
    serializer_class = ProgramSerializer
    filterset_fields = ["registration_open"]
    search_fields = ["code", "name_es", "name_en"]
    ordering_fields = ["start_date", "code"]


@extend_schema_view(list=extend_schema(tags=["programs"]), retrieve=extend_schema(tags=["programs"]))
class PhaseViewSet(ProgramDataViewSet):
    queryset = models.Phase.objects.all()
    serializer_class = PhaseSerializer
    filterset_fields = ["program", "kind"]
    ordering_fields = ["program", "order", "start_date"]


@extend_schema_view(list=extend_schema(tags=["programs"]), retrieve=extend_schema(tags=["programs"]))
class AnchorCompanyViewSet(ProgramDataViewSet):
    queryset = models.AnchorCompany.objects.select_related("state")
    serializer_class = AnchorCompanySerializer
    filterset_fields = ["program", "kind", "is_active"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]


@extend_schema_view(list=extend_schema(tags=["programs"]), retrieve=extend_schema(tags=["programs"]))
class CriticalSupplyAreaViewSet(ProgramDataViewSet):
    queryset = models.CriticalSupplyArea.objects.prefetch_related("requirements", "required_certifications", "anchors")
    serializer_class = CriticalSupplyAreaSerializer
    filterset_fields = ["program", "anchors", "scian_code"]
    search_fields = ["code", "name_es", "name_en", "scian_code"]
    ordering_fields = ["code", "id"]
