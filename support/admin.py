"""Admin of the support app: shown to staff; providers are saved through the services, everything else is
written by the services behind the staff, SME and provider pages and the API."""

from django.contrib import admin
from django.forms.models import model_to_dict

from core.admin import AuditEventInline, GuardedAdmin, ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import (
    Assignment,
    Course,
    DevelopmentPlan,
    Disbursement,
    FinancingCase,
    FinancingDocument,
    FinancingStep,
    PlanItem,
    Provider,
    TrainingSession,
    Visit,
)
from .services.delivery import PROVIDER_FIELDS


class AssignmentInline(ReadOnlyInline, admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("candidate", "starts_on", "ends_on")
    readonly_fields = fields
    select_related = ("provider", "candidate__supplier", "candidate__cohort")


@admin.register(Provider)
class ProviderAdmin(GuardedAdmin):
    """Added and edited through ``support.services`` (audited); never deleted: visits name their provider."""

    list_display = ("name", "kind", "organization", "program", "is_active")
    list_filter = ("kind", "is_active", "program")
    search_fields = ("name", "organization", "email")
    list_select_related = ("program",)
    raw_id_fields = ("user",)
    inlines = (AssignmentInline,)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in PROVIDER_FIELDS if f in form.cleaned_data}
        if change:
            stored = Provider.objects.get(pk=obj.pk)
            before = model_to_dict(stored, fields=PROVIDER_FIELDS)
            changed = {f: v for f, v in data.items() if before.get(f) != v}
            services.provider_update(provider=stored, actor=request.user, **changed)
        else:
            saved = services.provider_create(actor=request.user, **data)
            obj.pk = saved.pk
            obj._state.adding = False


class PlanItemInline(ReadOnlyInline, admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ("title", "kind", "dimension_code", "provider", "due_date", "status")
    readonly_fields = fields
    show_change_link = True
    select_related = ("provider",)


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "candidate", "version", "updated_at")
    list_filter = ("candidate__cohort",)
    search_fields = ("candidate__supplier__legal_name", "candidate__supplier__trade_name")
    list_select_related = ("candidate__supplier", "candidate__cohort")
    inlines = (PlanItemInline, AuditEventInline)


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "plan", "kind", "status", "due_date", "provider")
    list_filter = ("kind", "status", "standard")
    search_fields = ("title", "plan__candidate__supplier__legal_name")
    list_select_related = ("plan__candidate__supplier", "provider")
    inlines = (AuditEventInline,)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "provider", "kind", "status", "date", "hours")
    list_filter = ("status", "kind")
    search_fields = ("candidate__supplier__legal_name", "provider__name")
    list_select_related = ("candidate__supplier", "candidate__cohort", "provider")
    inlines = (AuditEventInline,)


class SessionInline(ReadOnlyInline, admin.TabularInline):
    model = TrainingSession
    extra = 0
    fields = ("starts_at", "ends_at", "place", "online", "capacity", "trainer")
    readonly_fields = fields
    select_related = ("course", "trainer")


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("title", "cohort", "trainer")
    list_filter = ("cohort",)
    search_fields = ("title",)
    list_select_related = ("cohort", "trainer")
    inlines = (SessionInline,)


class FinancingStepInline(ReadOnlyInline, admin.TabularInline):
    model = FinancingStep
    extra = 0
    fields = ("status", "on", "backwards", "reason", "amount", "recorded_by")
    readonly_fields = fields
    select_related = ("recorded_by",)


class DisbursementInline(ReadOnlyInline, admin.TabularInline):
    model = Disbursement
    extra = 0
    fields = ("on", "amount", "reference", "recorded_by")
    readonly_fields = fields
    select_related = ("recorded_by",)


class FinancingDocumentInline(ReadOnlyInline, admin.TabularInline):
    model = FinancingDocument
    extra = 0
    fields = ("title", "content_type", "created_at", "added_by")
    readonly_fields = fields
    select_related = ("added_by",)


@admin.register(FinancingCase)
class FinancingCaseAdmin(ReadOnlyAdmin):
    """Written by ``support.services.financing`` behind the pipeline pages and the API (every move audited)."""

    list_display = (
        "candidate",
        "institution",
        "product",
        "bank",
        "status",
        "amount_requested",
        "amount_approved",
        "amount_disbursed",
        "step_since",
    )
    list_filter = ("status", "institution", "product", "candidate__cohort")
    search_fields = ("candidate__supplier__legal_name", "candidate__supplier__trade_name", "bank")
    list_select_related = ("candidate__supplier", "candidate__cohort")
    inlines = (FinancingStepInline, DisbursementInline, FinancingDocumentInline, AuditEventInline)
