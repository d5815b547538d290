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
    """Read-only history (who, when, before/after) on the change page of an audited object."""

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


# The models whose scores, decisions and registration state staff must be able to trace.
AUDITED_MODELS = ("suppliers.Supplier", "assessments.Diagnostic", "programs.Candidate", "programs.Cohort")


def attach_audit_inlines(site: admin.AdminSite = admin.site) -> None:
    """Append ``AuditEventInline`` to the admin of every audited model (called once admin is loaded)."""
    from django.apps import apps

    for label in AUDITED_MODELS:
        model_admin = site._registry.get(apps.get_model(label))
        if model_admin is not None and AuditEventInline not in model_admin.inlines:
            model_admin.inlines = [*model_admin.inlines, AuditEventInline]


@admin.action(description=_("Export personal data (ARCO access, JSON)"), permissions=["view"])
def export_personal_data(modeladmin, request, queryset):
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse

    from suppliers.privacy import export_supplier_data

    data = [export_supplier_data(supplier=supplier) for supplier in queryset.select_related("state")]
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="sdp-suppliers-data.json"'
    return response


@admin.action(description=_("Erase personal data (ARCO cancellation)"), permissions=["change"])
def erase_personal_data(modeladmin, request, queryset):
    from suppliers.privacy import erase_supplier_personal_data

    count = 0
    for supplier in queryset:
        erase_supplier_personal_data(supplier=supplier, actor=request.user,
                                     reason=str(_("ARCO cancellation handled by program staff.")))
        count += 1
    modeladmin.message_user(request, _("Personal data of %(count)d suppliers erased.") % {"count": count})


def attach_privacy_actions(site: admin.AdminSite = admin.site) -> None:
    """Give the supplier admin the ARCO actions (export, erase)."""
    from django.apps import apps

    model_admin = site._registry.get(apps.get_model("suppliers", "Supplier"))
    if model_admin is None:
        return
    actions = list(model_admin.actions or [])
    for action in (export_personal_data, erase_personal_data):
        if action not in actions:
            actions.append(action)
    model_admin.actions = actions
    if "personal_data_erased_at" not in model_admin.readonly_fields:  # set only by the erasure service
        model_admin.readonly_fields = (*model_admin.readonly_fields, "personal_data_erased_at")
