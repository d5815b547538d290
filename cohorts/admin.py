from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import AuditEventInline

from .models import AnchorReview, Candidate, Cohort, CohortAreaLimit, CohortGeoCap, Intervention


class CohortAreaLimitInline(admin.TabularInline):
    model = CohortAreaLimit
    extra = 0
    autocomplete_fields = ("area",)


class CohortGeoCapInline(admin.TabularInline):
    model = CohortGeoCap
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "year", "target_size", "status", "review_deadline", "candidate_count")
    list_filter = ("status", "year", "program")
    search_fields = ("name",)
    list_select_related = ("program",)
    readonly_fields = ("status", "proposal", "version")
    inlines = [CohortAreaLimitInline, CohortGeoCapInline, AuditEventInline]
    actions = ["build_candidates", "run_optimizer"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_candidate_count=Count("candidates"))

    @admin.action(description=_("Rebuild candidates (eligibility and growth potential)"))
    def build_candidates(self, request, queryset):
        from django.core.exceptions import ValidationError

        from . import services

        for cohort in queryset:
            try:
                summary = services.cohort_build_candidates(cohort=cohort, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cohort}: {' '.join(exc.messages)}", level="error")
            else:
                self.message_user(request, f"{cohort}: {summary}")

    @admin.action(description=_("Run the optimizer (queued; the result is a proposal)"))
    def run_optimizer(self, request, queryset):
        from django.core.exceptions import ValidationError

        from . import services

        for cohort in queryset:
            try:
                services.cohort_request_proposal(cohort=cohort, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cohort}: {' '.join(exc.messages)}", level="error")

    @admin.display(description=_("candidates"), ordering="_candidate_count")
    def candidate_count(self, obj):
        return obj._candidate_count


class AnchorReviewInline(admin.TabularInline):
    model = AnchorReview
    extra = 0
    readonly_fields = ("anchor", "reviewer", "verdict", "reason", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("supplier", "cohort", "status", "growth_index", "is_eligible", "in_proposal", "pinned", "excluded")
    list_filter = ("cohort", "status", "is_eligible", "in_proposal", "pinned", "excluded", "supplier__state__region")
    search_fields = ("supplier__legal_name", "supplier__trade_name", "supplier__rfc")
    list_select_related = ("supplier", "cohort")
    autocomplete_fields = ("supplier",)
    # Eligibility, proposal, pins, staging and decisions change only through the services (staff cohort page,
    # API, admin actions), which check versions, write the audit trail and notify.
    readonly_fields = (
        "status",
        "is_eligible",
        "ineligibility_reasons",
        "growth_index",
        "growth_parts",
        "in_proposal",
        "pinned",
        "excluded",
        "staged_status",
        "staged_reason",
        "decision_reason",
        "decided_by",
        "decided_at",
        "waitlist_rank",
        "version",
    )
    inlines = [AnchorReviewInline, InterventionInline, AuditEventInline]


@admin.register(AnchorReview)
class AnchorReviewAdmin(admin.ModelAdmin):
    list_display = ("candidate", "anchor", "verdict", "reviewer", "created_at")
    list_filter = ("verdict", "anchor")
    search_fields = ("candidate__supplier__legal_name", "anchor__name", "reason")
    list_select_related = ("candidate__supplier", "candidate__cohort", "anchor", "reviewer")
    readonly_fields = ("candidate", "anchor", "reviewer", "verdict", "reason", "created_at")

    # Reviews are written by anchor reviewers (portal or API), which also move the candidate's status.
    def has_add_permission(self, request):
        return False


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "candidate", "institution", "hours", "amount_mxn", "status", "start_date")
    list_filter = ("kind", "status", "institution")
    search_fields = ("title", "provider", "candidate__supplier__legal_name")
    list_select_related = ("candidate__supplier", "candidate__cohort")
    autocomplete_fields = ("candidate",)
