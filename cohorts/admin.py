from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import AuditEventInline, GuardedAdmin, GuardedInline, ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import AnchorReview, Candidate, Cohort, CohortAreaLimit, CohortGeoCap
from .services.cohorts import FIELDS as COHORT_FIELDS


def _editable(obj) -> bool:
    return obj is None or obj.pk is None or services.cohort_is_editable(obj)[0]


class CohortLimitInlineMixin:
    """Area limits and caps change only while the cohort is editable (``services.cohort_is_editable``)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _editable(obj)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(obj)  # type: ignore[misc]


class CohortAreaLimitInline(CohortLimitInlineMixin, GuardedInline, admin.TabularInline):
    model = CohortAreaLimit
    extra = 0
    select_related = ("area",)


class CohortGeoCapInline(CohortLimitInlineMixin, GuardedInline, admin.TabularInline):
    model = CohortGeoCap
    extra = 0
    select_related = ("state", "region")


@admin.register(Cohort)
class CohortAdmin(GuardedAdmin):
    """Cohorts are created, edited and deleted through ``cohorts.services`` (audited, versioned): the
    settings only while the cohort is a draft or proposed, a delete only for a draft without candidates."""

    list_display = ("name", "program", "year", "min_size", "status", "review_deadline", "candidate_count")
    list_filter = ("status", "year", "program")
    search_fields = ("name",)
    list_select_related = ("program",)
    readonly_fields = ("status", "proposal", "version")
    inlines = [CohortAreaLimitInline, CohortGeoCapInline, AuditEventInline]
    actions = ["build_candidates", "run_optimizer"]
    delete_service = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_candidate_count=Count("candidates"))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        cohort = self.get_object(request, object_id)
        if cohort is not None and request.method == "GET":
            allowed, reason = services.cohort_is_editable(cohort)
            if not allowed:
                self.message_user(request, reason, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in COHORT_FIELDS if f in form.cleaned_data}
        if change:
            changed = {f: v for f, v in data.items() if f in form.changed_data}
            if changed:
                saved = services.cohort_update(cohort=obj, actor=request.user, expected_version=None, **changed)
                obj.version = saved.version
        else:
            saved = services.cohort_create(actor=request.user, **data)
            obj.pk, obj.status, obj.version = saved.pk, saved.status, saved.version
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changes = {}
        for formset in formsets:
            if formset.model not in (CohortAreaLimit, CohortGeoCap):
                continue
            name = formset.model._meta.model_name
            for label, objects in (
                ("added", formset.new_objects),
                ("changed", [changed[0] for changed in formset.changed_objects]),
                ("deleted", formset.deleted_objects),
            ):
                if objects:
                    changes.setdefault(name, {})[label] = [str(o) for o in objects]
        if changes:
            services.cohort_limits_changed(cohort=form.instance, actor=request.user, changes=changes)

    def delete_refusal(self, request, obj):
        return services.cohort_delete_refusal(obj)

    def delete_model(self, request, obj):
        services.cohort_delete(cohort=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for cohort in queryset:
            services.cohort_delete(cohort=cohort, actor=request.user)

    @admin.action(description=_("Rebuild candidates (eligibility and growth potential)"))
    def build_candidates(self, request, queryset):
        for cohort in queryset:
            try:
                summary = services.cohort_build_candidates(cohort=cohort, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cohort}: {' '.join(exc.messages)}", level="error")
            else:
                self.message_user(request, f"{cohort}: {summary}")

    @admin.action(description=_("Run the optimizer (queued; the result is a proposal)"))
    def run_optimizer(self, request, queryset):
        for cohort in queryset:
            try:
                services.cohort_request_proposal(cohort=cohort, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{cohort}: {' '.join(exc.messages)}", level="error")

    @admin.display(description=_("candidates"), ordering="_candidate_count")
    def candidate_count(self, obj):
        return obj._candidate_count


class AnchorReviewInline(ReadOnlyInline, admin.TabularInline):
    model = AnchorReview
    extra = 0
    readonly_fields = ("anchor", "reviewer", "verdict", "reason", "created_at")
    select_related = ("anchor", "reviewer", "candidate__supplier")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "cohort", "status", "growth_index", "is_eligible", "in_proposal", "pinned", "excluded")
    list_filter = ("cohort", "status", "is_eligible", "in_proposal", "pinned", "excluded", "supplier__state__region")
    search_fields = ("supplier__legal_name", "supplier__trade_name", "supplier__rfc")
    list_select_related = ("supplier", "cohort")
    ordering = ("-cohort_id", "-growth_index", "id")  # index candidate_cohort_by_growth
    autocomplete_fields = ("supplier",)
    # Candidates are built, pinned, staged, decided and withdrawn only through the services (staff cohort
    # page, API, the cohort's admin actions), which check versions, write the audit trail and notify.
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
    inlines = [AnchorReviewInline, AuditEventInline]


@admin.register(AnchorReview)
class AnchorReviewAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "anchor", "verdict", "reviewer", "created_at")
    list_filter = ("verdict", "anchor")
    search_fields = ("candidate__supplier__legal_name", "anchor__name", "reason")
    list_select_related = ("candidate__supplier", "candidate__cohort", "anchor", "reviewer")
    readonly_fields = ("candidate", "anchor", "reviewer", "verdict", "reason", "created_at")

    # Reviews are written by anchor reviewers (portal or API), which also move the candidate's status.
