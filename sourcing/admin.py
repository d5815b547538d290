"""Admin of the sourcing app: shown to staff, read-only; the services behind the anchor, SME and staff pages
and the API write every record (audited)."""

from django.contrib import admin

from core.admin import AuditEventInline, ReadOnlyAdmin, ReadOnlyInline

from .models import AnchorVisibility, Attachment, AttachmentDownload, Invitation, Match, Opportunity, Response


class AttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "content_type", "size_bytes", "is_confidential", "created_at")
    readonly_fields = fields


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = ("title", "anchor", "status", "visibility", "response_deadline", "matched_at")
    list_filter = ("status", "visibility", "anchor__program")
    search_fields = ("title", "anchor__name", "part_family")
    list_select_related = ("anchor",)
    inlines = (AttachmentInline, AuditEventInline)


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "rank", "supplier", "score", "meets_requirements", "shortlisted")
    list_filter = ("meets_requirements", "shortlisted")
    list_select_related = ("opportunity__anchor", "supplier")
    raw_id_fields = ("opportunity", "supplier")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "supplier", "status", "purchase_order_value_mxn", "created_at")
    list_filter = ("status",)
    search_fields = ("supplier__legal_name", "supplier__trade_name", "opportunity__title")
    list_select_related = ("opportunity__anchor", "supplier")
    raw_id_fields = ("opportunity", "supplier")
    inlines = (AuditEventInline,)


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("invitation", "quoted_value", "currency", "created_at")
    list_select_related = ("invitation__opportunity", "invitation__supplier")
    raw_id_fields = ("invitation",)


@admin.register(AttachmentDownload)
class AttachmentDownloadAdmin(ReadOnlyAdmin):
    list_display = ("attachment", "user", "supplier", "downloaded_at")
    list_select_related = ("attachment", "user", "supplier")
    raw_id_fields = ("attachment", "user", "supplier")


@admin.register(AnchorVisibility)
class AnchorVisibilityAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "visible", "changed_at")
    list_filter = ("visible",)
    list_select_related = ("supplier",)
    raw_id_fields = ("supplier",)
