"""API of the support after selection (``/api/v1/``): development plans, plan items, providers, visits,
courses and sessions with attendance. Permissions: ``permissions.py``; writes: ``support.services``."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cohorts.models import Candidate
from programs.selectors import scoped

from .. import selectors, services
from ..models import Attendance, Course, DevelopmentPlan, PlanItem, Provider, TrainingSession, Visit
from . import serializers as s
from .permissions import SupportRolePermission, reader

READ = ("list", "retrieve")


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _version(data) -> int:
    expected = data.pop("version", None)
    if expected is None:
        raise serializers.ValidationError({"version": ["Give the version you read."]})
    return expected


def _selected(candidate_id, user) -> Candidate:
    candidate = scoped(Candidate.objects.select_related("cohort", "supplier"), user).filter(pk=candidate_id).first()
    if candidate is None:
        raise serializers.ValidationError({"candidate": ["No such selected SME."]})
    return candidate


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


class ProviderViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff manage providers; a provider reads its own record; an SME reads the providers assigned to it."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": READ, "provider": READ}
    serializer_class = s.ProviderSerializer
    filterset_fields = ["program", "kind", "is_active"]

    def get_queryset(self):
        queryset = Provider.objects.order_by("name", "id")
        if _fake(self):
            return queryset
        role, who = reader(self.request)
        if role == "provider":
            return queryset.filter(pk=who.pk)
        if role == "sme":
            return queryset.filter(
                assignments__candidate__supplier=who, assignments__candidate__status=Candidate.Status.SELECTED
            ).distinct()
        return scoped(queryset, self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.provider_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.provider_update(
            provider=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


def _plans_for(view):
    queryset = DevelopmentPlan.objects.select_related("candidate__supplier").order_by("id")
    if _fake(view):
        return queryset
    role, who = reader(view.request)
    if role == "sme":
        return queryset.filter(candidate__supplier=who, candidate__status=Candidate.Status.SELECTED)
    if role == "provider":
        return queryset.filter(pk__in=selectors.plans_for_provider(who).values("pk"))
    return scoped(queryset, view.request.user)


class DevelopmentPlanViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff create a selected SME's plan (optionally with the items its diagnostic proposes) and keep
    versions; the SME and the providers assigned to it read it."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": READ, "provider": READ}
    serializer_class = s.DevelopmentPlanSerializer
    filterset_fields = ["candidate", "candidate__cohort"]

    def get_queryset(self):
        return _plans_for(self)

    def perform_create(self, serializer):
        data = serializer.validated_data
        candidate = data["candidate"]
        items = []
        if data.get("accept_proposals"):
            items = [{k: v for k, v in p.items() if k not in ("reason",)} for p in selectors.plan_proposals(candidate)]
        from assessments.selectors import current_diagnostic

        serializer.instance = services.plan_create(
            candidate=candidate,
            actor=self.request.user,
            items=items,
            diagnostic=current_diagnostic(candidate.supplier),
            summary=data.get("summary", ""),
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = _version(data)
        if "candidate" in data and data["candidate"].pk != serializer.instance.candidate_id:
            raise serializers.ValidationError({"candidate": ["A plan stays with its SME."]})
        serializer.instance = services.plan_update(
            plan=serializer.instance,
            actor=self.request.user,
            expected_version=expected,
            summary=data.get("summary", serializer.instance.summary),
        )

    @extend_schema(
        operation_id="v1_development_plans_proposals_read",
        parameters=[OpenApiParameter("candidate", int, required=True, description="A selected SME (candidate id).")],
        responses=s.ProposalSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def proposals(self, request):
        """The items the SME's current diagnostic proposes (staff accept, edit or add to them)."""
        raw = request.query_params.get("candidate", "")
        if not raw.isdigit() or len(raw) > 9:
            raise serializers.ValidationError({"candidate": ["Give a candidate id."]})
        candidate = get_object_or_404(Candidate.objects.select_related("supplier"), pk=int(raw))
        return Response(s.ProposalSerializer(selectors.plan_proposals(candidate), many=True).data)

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def save_version(self, request, pk=None):
        version = services.plan_save_version(plan=self.get_object(), actor=request.user)
        return Response({"number": version.number}, status=status.HTTP_201_CREATED)


class PlanItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff add and edit items; the SME moves its items' progress and adds evidence; providers read the
    items of their SMEs and add evidence."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": (*READ, "set_status", "evidence"), "provider": (*READ, "evidence")}
    serializer_class = s.PlanItemSerializer
    filterset_fields = ["plan", "status", "kind", "dimension_code", "provider", "standard"]

    def get_queryset(self):
        return (
            PlanItem.objects.filter(plan__in=_plans_for(self).values("pk"))
            .prefetch_related("milestones", "evidence")
            .order_by("plan", "order", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        plan = data.pop("plan")
        serializer.instance = services.plan_item_add(plan=plan, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = _version(data)
        plan = data.pop("plan", None)
        if plan is not None and plan.pk != serializer.instance.plan_id:
            raise serializers.ValidationError({"plan": ["An item stays in its plan."]})
        serializer.instance = services.plan_item_update(
            item=serializer.instance, actor=self.request.user, expected_version=expected, **data
        )

    @extend_schema(request=s.StatusSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"])
    def set_status(self, request, pk=None):
        data = _valid(s.StatusSerializer, request)
        item = services.plan_item_set_status(
            item=self.get_object(),
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(s.PlanItemSerializer(item).data)

    @extend_schema(request=s.EvidenceInputSerializer, responses={201: s.EvidenceSerializer})
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        data = _valid(s.EvidenceInputSerializer, request)
        evidence = services.evidence_add(
            item=self.get_object(), actor=request.user, note=data["note"], file=data["file"]
        )
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MilestoneInputSerializer, responses=s.PlanItemSerializer)
    @action(detail=True, methods=["post"])
    def milestone(self, request, pk=None):
        """Staff record the date a certification step was reached (null clears it)."""
        item = self.get_object()
        data = _valid(s.MilestoneInputSerializer, request)
        milestone = item.milestones.filter(step=data["step"]).first()
        if milestone is None:
            raise serializers.ValidationError({"step": ["This item has no such step."]})
        services.milestone_reach(milestone=milestone, actor=request.user, reached_on=data["reached_on"])
        return Response(s.PlanItemSerializer(self.get_object()).data)


class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Providers log visits to the SMEs assigned to them; the SME confirms or disputes them; staff
    schedule visits and resolve disputes. Only confirmed hours count."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": (*READ, "confirm", "dispute"), "provider": (*READ, "create", "log")}
    serializer_class = s.VisitSerializer
    filterset_fields = ["candidate", "candidate__cohort", "provider", "status", "kind"]

    def get_queryset(self):
        queryset = (
            Visit.objects.select_related("candidate__supplier").prefetch_related("items").order_by("-date", "-id")
        )
        if _fake(self):
            return queryset
        role, who = reader(self.request)
        if role == "sme":
            return queryset.filter(candidate__supplier=who).exclude(status=Visit.Status.SCHEDULED)
        if role == "provider":
            return queryset.filter(pk__in=selectors.visits_for_provider(who).values("pk"))
        return scoped(queryset, self.request.user)

    def _provider(self, given):
        role, who = reader(self.request)
        if role == "provider":
            if given is not None and given.pk != who.pk:
                raise PermissionDenied("A provider logs only its own visits.")
            return who
        if given is None:
            raise serializers.ValidationError({"provider": ["Name the provider."]})
        return given

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        provider = self._provider(data.pop("provider", None))
        data.pop("version", None)
        candidate = data.pop("candidate")
        items = data.pop("items", None)
        serializer.instance = services.visit_log(
            provider=provider, candidate=candidate, actor=self.request.user, items=items, **data
        )

    @extend_schema(request=s.ScheduleSerializer, responses={201: s.VisitSerializer})
    @action(detail=False, methods=["post"])
    def schedule(self, request):
        data = _valid(s.ScheduleSerializer, request)
        visit = services.visit_schedule(
            provider=data["provider"],
            candidate=_selected(data["candidate"], self.request.user),
            actor=request.user,
            scheduled_for=data["scheduled_for"],
            kind=data["kind"],
        )
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        """Log a scheduled visit once it happened (send the version read)."""
        visit = self.get_object()
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send an object."]})
        body = request.data.copy()
        body["candidate"] = visit.candidate_id
        serializer = s.VisitSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = request.data.get("version")
        if not isinstance(expected, int) or isinstance(expected, bool) or not 0 < expected < 2**31:
            raise serializers.ValidationError({"version": ["Give the version you read."]})
        provider = self._provider(data.pop("provider", None) or visit.provider)
        data.pop("candidate")
        items = data.pop("items", None)
        visit = services.visit_log(
            provider=provider,
            candidate=visit.candidate,
            actor=request.user,
            visit=visit,
            items=items,
            expected_version=expected,
            **data,
        )
        return Response(s.VisitSerializer(visit).data)

    @extend_schema(request=s.AnswerSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        data = _valid(s.AnswerSerializer, request)
        visit = services.visit_answer(
            visit=self.get_object(), actor=request.user, confirm=True, expected_version=data["version"]
        )
        return Response(s.VisitSerializer(visit).data)

    @extend_schema(request=s.AnswerSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        data = _valid(s.AnswerSerializer, request)
        visit = services.visit_answer(
            visit=self.get_object(),
            actor=request.user,
            confirm=False,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(s.VisitSerializer(visit).data)

    @extend_schema(request=s.ResolveSerializer, responses=s.VisitSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        data = _valid(s.ResolveSerializer, request)
        visit = services.visit_resolve(
            visit=self.get_object(),
            actor=request.user,
            confirm=data["confirm"],
            resolution=data["resolution"],
            expected_version=data["version"],
        )
        return Response(s.VisitSerializer(visit).data)


def _courses_for(view):
    queryset = Course.objects.order_by("cohort", "title", "id")
    if _fake(view):
        return queryset
    role, who = reader(view.request)
    if role == "sme":
        return queryset.filter(enrolments__candidate__supplier=who).distinct()
    if role == "provider":
        return queryset.filter(Q(trainer=who) | Q(sessions__trainer=who)).distinct()
    return scoped(queryset, view.request.user)


class CourseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff run courses and enrol selected SMEs with their participants; enrolled SMEs and the trainers read them."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": READ, "provider": READ}
    serializer_class = s.CourseSerializer
    filterset_fields = ["cohort", "trainer", "dimension_code"]

    def get_queryset(self):
        return _courses_for(self)

    def perform_create(self, serializer):
        serializer.instance = services.course_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.course_update(
            course=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=s.EnrolSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        data = _valid(s.EnrolSerializer, request)
        enrolment = services.enrol(
            course=self.get_object(),
            candidate=_selected(data["candidate"], self.request.user),
            actor=request.user,
            participants=[dict(p) for p in data["participants"]],
        )
        return Response(
            {"enrolment": enrolment.pk, "participants": list(enrolment.participants.values("id", "name"))},
            status=status.HTTP_201_CREATED,
        )


class SessionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Sessions of the courses a reader sees; attendance read by staff and the trainer, recorded by them."""

    permission_classes = [SupportRolePermission]
    role_actions = {"sme": READ, "provider": (*READ, "attendance")}
    serializer_class = s.SessionSerializer
    filterset_fields = ["course", "trainer", "online"]

    def get_queryset(self):
        return TrainingSession.objects.filter(course__in=_courses_for(self).values("pk")).order_by("starts_at", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        course = data.pop("course")
        serializer.instance = services.session_create(course=course, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        course = data.pop("course", None)
        if course is not None and course.pk != serializer.instance.course_id:
            raise serializers.ValidationError({"course": ["A session stays in its course."]})
        serializer.instance = services.session_update(session=serializer.instance, actor=self.request.user, **data)

    @extend_schema(
        methods=["GET"],
        operation_id="v1_sessions_attendance_read",
        request=None,
        responses=s.AttendanceSerializer(many=True),
        description="The attendance marks.",
    )
    @extend_schema(methods=["POST"], request=s.AttendanceInputSerializer, responses=s.AttendanceSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def attendance(self, request, pk=None):
        session = self.get_object()
        role, who = reader(request)
        if role == "provider" and who.pk not in (session.trainer_id, session.course.trainer_id):
            raise PermissionDenied("Only the session's trainer records its attendance.")
        if request.method == "POST":
            data = _valid(s.AttendanceInputSerializer, request)
            marks = {}
            for mark in data["marks"]:
                marks[mark["participant"]] = mark["status"]
            services.attendance_record(session=session, actor=request.user, marks=marks)
        rows = Attendance.objects.filter(session=session).select_related("participant__enrolment__candidate__supplier")
        return Response(s.AttendanceSerializer(rows.order_by("participant__name", "pk"), many=True).data)
