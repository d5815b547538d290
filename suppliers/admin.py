import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.admin import AuditEventInline, GuardedAdmin, ReadOnlyAdmin, ReadOnlyInline
from programs.selectors import program_ids_of

from . import privacy, services
from .models import (
    AnnualFigure,
    Certification,
    Contact,
    Document,
    InvitationImport,
    PrivacyConsent,
    PrivacyNotice,
    RegistrationInvitation,
    Supplier,
)
from .rfc import normalize_rfc


class ContactInline(ReadOnlyInline, admin.StackedInline):
    model = Contact
    extra = 0
    autocomplete_fields = ("user",)


class CertificationInline(ReadOnlyInline, admin.TabularInline):
    model = Certification
    extra = 0
    raw_id_fields = ("document",)
    select_related = ("standard", "document", "supplier")


class DocumentInline(ReadOnlyInline, admin.TabularInline):
    model = Document
    extra = 0
    fields = ("kind", "original_name", "content_type", "size_bytes", "created_at")
    readonly_fields = fields


class AnnualFigureInline(ReadOnlyInline, admin.TabularInline):
    model = AnnualFigure
    extra = 0
    select_related = ("supplier",)


@admin.register(Supplier)
class SupplierAdmin(GuardedAdmin):
    """Shown, never edited or deleted here. Registration, profile edits (staff page and API, versioned and
    audited) and reviews go through ``suppliers.services``; the actions below call them. A supplier is
    never deleted (its diagnostics, candidacies and history are kept): its personal data is erased."""

    list_display = (
        "legal_name",
        "rfc",
        "rfc_warning",
        "state",
        "size",
        "employee_range",
        "employees",
        "status",
        "submitted_at",
    )
    list_filter = (
        "status",
        "size",
        "employee_range",
        "sector",
        "rfc_checksum_valid",
        "state__region",
        "state",
        "program",
        "created_at",  # by period (today, 7 days, month, year): no pass over every row, as a date hierarchy makes
    )
    search_fields = ("legal_name", "trade_name", "rfc", "contacts__email")
    list_select_related = ("state",)
    filter_horizontal = ("supply_areas", "anchor_customers")
    readonly_fields = (
        "status",
        "sector",
        "size",
        "employee_range",
        "rfc_checksum_valid",
        "duplicate_of",
        "privacy_notice_version",
        "privacy_accepted_at",
        "submitted_at",
        "verified_at",
        "version",
        "personal_data_erased_at",  # set only by the erasure service
    )
    inlines = [ContactInline, CertificationInline, AnnualFigureInline, DocumentInline, AuditEventInline]
    actions = [
        "verify_registrations",
        "reject_registrations",
        "mark_duplicates",
        "export_personal_data",
        "erase_personal_data",
    ]

    def get_queryset(self, request):
        # The staff member's programs read first: the list is then filtered by their ids, and its first page read
        # in the order of the index on (program, legal name) instead of sorting every participation.
        program_ids_of(request.user)
        return super().get_queryset(request)

    def _each(self, request, queryset, action, **kwargs):
        done = 0
        for supplier in queryset.select_related("program"):
            try:
                action(supplier=supplier, actor=request.user, **kwargs(supplier) if callable(kwargs) else kwargs)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{supplier}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)s registrations updated.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Verify the selected registrations"), permissions=["review"])
    def verify_registrations(self, request, queryset):
        self._each(request, queryset, services.supplier_verify)

    @admin.action(description=_("Reject the selected registrations (asks for a reason)"), permissions=["review"])
    def reject_registrations(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if "apply" in request.POST and reason:
            self._each(request, queryset, services.supplier_reject, reason=reason)
            return None
        return render(
            request,
            "admin/suppliers/reject_reason.html",
            {
                **self.admin_site.each_context(request),
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "missing": "apply" in request.POST,
            },
        )

    @admin.action(
        description=_("Mark as duplicates of the earliest registration with the same RFC"), permissions=["review"]
    )
    def mark_duplicates(self, request, queryset):
        for supplier in queryset:
            original = (
                Supplier.objects.filter(program_id=supplier.program_id, rfc=supplier.rfc)
                .exclude(pk=supplier.pk)
                .exclude(status=Supplier.Status.DUPLICATE)
                .order_by("submitted_at", "pk")
                .first()
            )
            if original is None:
                self.message_user(
                    request, _("%(s)s: no other registration has its RFC.") % {"s": supplier}, messages.WARNING
                )
                continue
            self._each(
                request, Supplier.objects.filter(pk=supplier.pk), services.supplier_mark_duplicate, original=original
            )

    @admin.action(description=_("Export personal data (ARCO access, JSON)"), permissions=["view"])
    def export_personal_data(self, request, queryset):
        data = [privacy.export_supplier_data(supplier=supplier) for supplier in queryset.select_related("state")]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="sdp-suppliers-data.json"'
        return response

    @admin.action(description=_("Erase personal data (ARCO cancellation)"), permissions=["review"])
    def erase_personal_data(self, request, queryset):
        count = 0
        for supplier in queryset:
            privacy.erase_supplier_personal_data(
                supplier=supplier, actor=request.user, reason=str(_("ARCO cancellation handled by program staff."))
            )
            count += 1
        self.message_user(request, _("Personal data of %(count)d suppliers erased.") % {"count": count})

    def has_add_permission(self, request):
        return False  # suppliers register themselves (``services.supplier_register``)

    def has_change_permission(self, request, obj=None):
        return False  # profile edits: the staff supplier page or the API (``services.supplier_update_profile``)

    def has_review_permission(self, request):
        return request.user.has_perm("suppliers.change_supplier")

    def delete_refusal(self, request, obj):
        return _(
            "A supplier is never deleted: its diagnostics, candidacies and history are kept. "
            "To remove its personal data, use the action “Erase personal data (ARCO cancellation)”."
        )

    def get_search_results(self, request, queryset, search_term):
        """A typed RFC (spaces, dashes, lower case) finds its supplier too."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        rfc = normalize_rfc(search_term)
        if len(rfc) in (12, 13):
            results |= queryset.filter(rfc=rfc)
        return results, may_have_duplicates

    @admin.display(boolean=True, description=_("RFC check digit"), ordering="rfc_checksum_valid")
    def rfc_warning(self, obj):
        return obj.rfc_checksum_valid


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "phone", "supplier", "language", "is_primary", "email_verified_at")
    list_filter = ("language", "is_primary")
    search_fields = ("name", "email", "supplier__legal_name")
    list_select_related = ("supplier",)
    autocomplete_fields = ("supplier", "user")


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "standard", "certificate_number", "issued_on", "expires_on")
    list_filter = ("standard",)
    search_fields = ("supplier__legal_name", "certificate_number")
    list_select_related = ("supplier", "standard")
    autocomplete_fields = ("supplier",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "kind", "supplier", "content_type", "size_bytes", "created_at")
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "supplier__legal_name")
    list_select_related = ("supplier",)
    autocomplete_fields = ("supplier",)
    readonly_fields = ("sha256", "size_bytes", "content_type")


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(GuardedAdmin):
    list_display = ("program", "version", "published_on", "template", "consent_count")
    list_filter = ("program",)
    list_select_related = ("program",)
    search_fields = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(consent_total=Count("consents"))

    @admin.display(description=_("consents"), ordering="consent_total")
    def consent_count(self, obj):
        return obj.consent_total

    def get_readonly_fields(self, request, obj=None):
        # A version with consents is evidence of what was accepted: it no longer changes.
        if obj is not None and obj.consents.exists():
            return [field.name for field in obj._meta.fields]
        return []

    def delete_refusal(self, request, obj):
        if obj.consents.exists():
            return _("A privacy notice that SMEs have accepted is kept: it is the evidence of what they accepted.")
        return None


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(ReadOnlyAdmin):
    list_display = ("supplier", "contact", "notice", "necessary_accepted", "voluntary_accepted", "given_at")
    list_filter = ("notice__program", "notice", "voluntary_accepted", "given_at")
    list_select_related = ("supplier", "contact", "notice__program")
    search_fields = ("supplier__legal_name", "supplier__rfc")


@admin.register(InvitationImport)
class InvitationImportAdmin(ReadOnlyAdmin):
    """Shown only: imports are made on the staff page (``suppliers.services.invitations_import``)."""

    list_display = (
        "file_name",
        "program",
        "uploaded_by",
        "created_at",
        "rows",
        "invited",
        "already_invited",
        "already_registered",
        "invalid",
    )
    list_filter = ("program",)
    list_select_related = ("program", "uploaded_by")
    search_fields = ("file_name",)
    date_hierarchy = "created_at"
    exclude = ("problems",)  # thousands of rows: the staff page shows them and offers them as CSV


@admin.register(RegistrationInvitation)
class RegistrationInvitationAdmin(ReadOnlyAdmin):
    """Shown only: an invitation is sent once per company and program, by an import."""

    list_display = ("rfc", "legal_name", "email", "state", "program", "created_at")
    list_filter = ("program", "state", "created_at")
    list_select_related = ("program", "state")
    search_fields = ("rfc", "legal_name", "email")
    raw_id_fields = ("invitation_import",)
