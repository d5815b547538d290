from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, OutboundMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "content_type", "to_state")
    search_fields = ("object_id", "reason", "actor__username")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "recipient", "language", "status", "attempts", "sent_at")
    list_filter = ("status", "template", "language")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error", "dedupe_key")
    actions = ("retry_failed_messages",)

    @admin.action(description=_("Queue failed messages again"))
    def retry_failed_messages(self, request, queryset):
        from .notifications import retry_failed

        count = retry_failed(message_ids=list(queryset.values_list("pk", flat=True)), actor=request.user)
        self.message_user(request, _("%(count)d messages queued again.") % {"count": count})


admin.site.site_header = "SDP · INA–IFC"
admin.site.site_title = "SDP"
admin.site.index_title = "Programa de Desarrollo de Proveedores"


class AuditEventInline(GenericTabularInline):
    """Read-only history (who, when, before/after) on the change page of an audited object.

    Each app adds it to the admin of the models whose scores, decisions and states staff must trace.
    """

    model = AuditEvent
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "from_state", "to_state", "changes", "reason")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    verbose_name_plural = _("history (audit trail)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
