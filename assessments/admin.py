from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.admin import AuditEventInline, GuardedAdmin, ReadOnlyAdmin, fixed_values_filter

from . import selectors, services
from .forms import FrameworkImportForm
from .models import (
    Answer,
    AreaAlignment,
    Diagnostic,
    Dimension,
    DimensionScore,
    Framework,
    LevelDescriptor,
    MaturityBand,
    Question,
)


def _framework_id(obj) -> int | None:
    """The id of the framework an admin object belongs to (None for a new object)."""
    if obj is None or obj.pk is None:
        return None
    if isinstance(obj, Framework):
        return obj.pk
    if isinstance(obj, Dimension | MaturityBand):
        return obj.framework_id
    if isinstance(obj, Question):
        return obj.dimension.framework_id
    return None


def _locked(request, obj) -> bool:
    """Whether the framework version of ``obj`` is used by a diagnostic, read once per request: the
    change page asks for every inline form's permissions."""
    framework_id = _framework_id(obj)
    if framework_id is None:
        return False
    known = request.__dict__.setdefault("_sdp_locked_frameworks", {})
    if framework_id not in known:
        known[framework_id] = Diagnostic.objects.filter(framework_id=framework_id).exists()
    return known[framework_id]


LOCKED_MESSAGE = _("This framework version is used by a diagnostic and cannot change; make a new version.")


class FrameworkPartForm(forms.ModelForm):
    """A part added to, or moved into, a framework version in use is refused on the form (the model's
    own check would otherwise fail the save with a server error)."""

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework") or getattr(cleaned.get("dimension"), "framework", None)
        if framework is not None and framework.pk and framework.is_locked:
            raise ValidationError(LOCKED_MESSAGE, code="framework_locked")
        return cleaned


class LockedFrameworkMixin:
    """Read-only admin once the framework version is used by a diagnostic."""

    form = FrameworkPartForm

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(request, obj)


class LockedInlineMixin:
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _locked(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _locked(request, obj)


class DimensionWeightsFormSet(BaseInlineFormSet):
    """The dimension weights of a framework add up to exactly 100."""

    def clean(self):
        super().clean()
        total, count = Decimal(0), 0
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            try:
                total += Decimal(form.cleaned_data.get("weight") or 0)
            except InvalidOperation:
                continue
            count += 1
        if count and total != Decimal(100):
            raise ValidationError(_("Dimension weights must add up to 100 (now %(total)s).") % {"total": total})


class DimensionInline(LockedInlineMixin, admin.TabularInline):
    model = Dimension
    formset = DimensionWeightsFormSet
    extra = 0
    show_change_link = True


class MaturityBandInline(LockedInlineMixin, admin.TabularInline):
    model = MaturityBand
    extra = 0


@admin.action(description=_("Copy into a new version"))
def make_new_version(modeladmin, request, queryset):
    for framework in queryset:
        copy = services.framework_new_version(framework=framework, actor=request.user)
        modeladmin.message_user(request, _("Created %(fw)s (unpublished).") % {"fw": copy}, messages.SUCCESS)


@admin.action(description=_("Rescore its diagnostics"))
def rescore_diagnostics(modeladmin, request, queryset):
    for framework in queryset:
        services.framework_rescore(framework=framework, actor=request.user, reason="admin action")
    modeladmin.message_user(request, _("Rescoring queued."), messages.SUCCESS)


@admin.action(description=_("Download as a file"))
def download_framework(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(request, _("Choose one framework version to download."), messages.WARNING)
        return None
    framework = queryset.get()
    response = HttpResponse(services.framework_export(framework), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{services.framework_filename(framework)}"'
    return response


@admin.register(Framework)
class FrameworkAdmin(LockedFrameworkMixin, GuardedAdmin):
    form = forms.ModelForm
    list_display = ("code", "version", "name_es", "is_published", "dimension_count")
    list_filter = ("is_published", "code")
    search_fields = ("code", "name_es", "name_en")
    inlines = [DimensionInline, MaturityBandInline]
    actions = [make_new_version, rescore_diagnostics, download_framework]
    change_list_template = "admin/assessments/framework/change_list.html"

    def get_urls(self):
        urls = [path("import/", self.admin_site.admin_view(self.import_view), name="assessments_framework_import")]
        return urls + super().get_urls()

    def import_view(self, request):
        """Upload a framework file: checked in full, then loaded like ``manage.py import_framework``."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            load = services.framework_load(data=form.content, actor=request.user)
            self.message_user(request, load.message, messages.SUCCESS)
            return redirect(reverse("admin:assessments_framework_change", args=[load.framework.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Import a framework from a file"),
        }
        return TemplateResponse(request, "admin/assessments/framework/import.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_dimension_count=Count("dimensions"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        framework = self.get_object(request, object_id)
        if framework is not None and request.method == "GET":
            if _locked(request, framework):
                self.message_user(
                    request,
                    _("Used by diagnostics: read only. Copy it into a new version to change it."),
                    messages.INFO,
                )
            for error in services.framework_errors(framework):
                self.message_user(request, error, messages.WARNING)
        if framework is not None:
            extra_context = {**(extra_context or {}), "rescoring": selectors.rescoring_status(framework)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is MaturityBand and (
            formset.new_objects or formset.changed_objects or formset.deleted_objects
        ):
            services.framework_rescore(framework=form.instance, actor=request.user, reason="bands changed")

    def save_model(self, request, obj, form, change):
        if obj.is_published and obj.pk:
            errors = services.framework_errors(obj)
            if errors:
                obj.is_published = False
                self.message_user(
                    request, _("Not published: %(errors)s") % {"errors": "; ".join(errors)}, messages.ERROR
                )
        super().save_model(request, obj, form, change)

    @admin.display(description="dimensions", ordering="_dimension_count")
    def dimension_count(self, obj):
        return obj._dimension_count


class QuestionInline(LockedInlineMixin, admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(LockedFrameworkMixin, GuardedAdmin):
    list_display = ("code", "name_es", "framework", "weight", "order")
    list_filter = ("framework",)
    search_fields = ("code", "name_es", "name_en")
    list_select_related = ("framework",)
    inlines = [QuestionInline]


class LevelDescriptorInline(LockedInlineMixin, admin.TabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 5

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")  # each row's name shows its code


@admin.register(Question)
class QuestionAdmin(LockedFrameworkMixin, GuardedAdmin):
    list_display = ("code", "dimension", "weight", "is_critical", "trigger_level", "cap_level")
    list_filter = ("is_critical", "dimension__framework", "dimension__code")
    search_fields = ("code", "text_es", "text_en")
    list_select_related = ("dimension__framework",)
    inlines = [LevelDescriptorInline]


def _levels() -> list[tuple[int, str]]:
    """The levels of the 1-5 scale."""
    return [(level, str(level)) for level in range(1, 6)]


class DimensionScoreInline(admin.TabularInline):
    model = DimensionScore
    extra = 0
    readonly_fields = ("dimension", "score", "rated_count", "na_count", "total_count", "is_complete")
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dimension")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Diagnostic)
class DiagnosticAdmin(ReadOnlyAdmin):
    """Shown here; scheduled, edited, answered, submitted, validated, published and deleted on the staff
    diagnostic page or the API, through ``assessments.services`` (lifecycle, versions, audit)."""

    list_display = (
        "supplier",
        "scheduled_for",
        "mode",
        "assessor",
        "status",
        "overall_score",
        "maturity_level",
        "published_at",
    )
    list_filter = (
        "status",
        "scheduled_for",
        "mode",
        ("maturity_level", fixed_values_filter(_levels)),
        "framework",
        "supplier__state__region",
    )
    search_fields = ("supplier__legal_name", "supplier__rfc", "assessor__username")
    list_select_related = ("supplier", "assessor", "framework")
    ordering = ("-scheduled_for", "-id")  # index diagnostic_newest_first
    autocomplete_fields = ("supplier", "assessor", "baseline")
    readonly_fields = (
        "status",
        "overall_score",
        "maturity_level",
        "level_capped",
        "score_details",
        "submitted_at",
        "scored_at",
        "validated_at",
        "validated_by",
        "published_at",  # publishing goes through the staff page or the API (validation + SME notified)
        "version",
    )
    inlines = [DimensionScoreInline, AuditEventInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("diagnostic", "question", "level", "not_applicable", "updated_at")
    list_filter = ("not_applicable", ("level", fixed_values_filter(_levels)))
    ordering = ("-id",)
    search_fields = ("diagnostic__supplier__legal_name", "question__code")
    list_select_related = ("diagnostic__supplier", "question")
    raw_id_fields = ("diagnostic", "question")

    # Answers are written on the staff diagnostic page or the API (version checks, lifecycle); here they are read.


@admin.register(AreaAlignment)
class AreaAlignmentAdmin(ReadOnlyAdmin):
    list_display = ("diagnostic", "area", "meets_requirements", "fit_percent")
    list_filter = ("meets_requirements", "area")
    list_select_related = ("diagnostic__supplier", "area")
    raw_id_fields = ("diagnostic",)

    # Computed by scoring from the dimension scores, the area's requirements and the certifications:
    # shown, never edited by hand (a rescore recomputes a row only when those inputs change).
