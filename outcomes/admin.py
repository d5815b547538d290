"""Admin of the outcomes app: shown to staff, read-only (the services write rounds, answers and estimates)."""

from django.contrib import admin

from core.admin import AuditEventInline, ReadOnlyAdmin, ReadOnlyInline

from .models import AnchorSales, CompanyClass, ImpactEstimate, IndicatorValue, OutcomeResponse, OutcomeRound


@admin.register(OutcomeRound)
class OutcomeRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "cohort", "kind", "status", "period_start", "period_end", "closes_on")
    list_filter = ("kind", "status")
    list_select_related = ("cohort",)
    inlines = (AuditEventInline,)


class AnchorSalesInline(ReadOnlyInline, admin.TabularInline):
    model = AnchorSales
    extra = 0
    fields = ("anchor", "sales_mdp")
    readonly_fields = fields


@admin.register(OutcomeResponse)
class OutcomeResponseAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "round", "group", "status", "submitted_at", "reminders_sent")
    list_filter = ("group", "status")
    list_select_related = ("supplier", "round")
    search_fields = ("supplier__legal_name", "supplier__trade_name", "supplier__rfc")
    raw_id_fields = ("supplier", "round", "submitted_by")
    inlines = (AnchorSalesInline, AuditEventInline)


@admin.register(CompanyClass)
class CompanyClassAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "dof_size", "ifc_size", "ifc_size_on", "women_class", "women_class_on")
    list_filter = ("ifc_size", "women_class")
    list_select_related = ("supplier",)
    search_fields = ("supplier__legal_name", "supplier__rfc")
    raw_id_fields = ("supplier",)


@admin.register(ImpactEstimate)
class ImpactEstimateAdmin(ReadOnlyAdmin):
    list_display = ("round", "outcome", "method", "estimate", "ci_low", "ci_high", "n_selected", "n_comparison")
    list_filter = ("method", "outcome")
    list_select_related = ("round",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("round", "indicator", "group", "breakdown", "level", "value", "n_smes", "suppressed")
    list_filter = ("indicator", "group", "breakdown", "suppressed")
    list_select_related = ("round",)
    raw_id_fields = ("round",)
