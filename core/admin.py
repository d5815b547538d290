from django.contrib import admin

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
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error")


admin.site.site_header = "SDP · INA–IFC"
admin.site.site_title = "SDP"
admin.site.index_title = "Programa de Desarrollo de Proveedores"
