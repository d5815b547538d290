from django.contrib import admin

from core.admin import GuardedAdmin

from .models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(GuardedAdmin):
    """Exports built by the Celery task; read-only here (they are requested from the report pages)."""

    list_display = ("created_at", "kind", "file_format", "status", "row_count", "requested_by", "finished_at")
    list_filter = ("status", "kind", "file_format")
    search_fields = ("requested_by__username", "error")
    list_select_related = ("requested_by",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "kind",
        "file_format",
        "params",
        "status",
        "file",
        "row_count",
        "error",
        "requested_by",
        "finished_at",
        "created_at",
    )

    def has_add_permission(self, request):
        return False
