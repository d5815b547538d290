from django.contrib import admin
from django.db.models import Count

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


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    show_change_link = True


class MaturityBandInline(admin.TabularInline):
    model = MaturityBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "name_es", "is_published", "dimension_count")
    list_filter = ("is_published", "code")
    search_fields = ("code", "name_es", "name_en")
    inlines = [DimensionInline, MaturityBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_dimension_count=Count("dimensions"))

    @admin.display(description="dimensions", ordering="_dimension_count")
    def dimension_count(self, obj):
        return obj._dimension_count


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_es", "framework", "weight", "order")
    list_filter = ("framework",)
    search_fields = ("code", "name_es", "name_en")
    list_select_related = ("framework",)
    inlines = [QuestionInline]


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 5


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "dimension", "weight", "is_critical", "cap_level")
    list_filter = ("is_critical", "dimension__framework", "dimension__code")
    search_fields = ("code", "text_es", "text_en")
    list_select_related = ("dimension__framework",)
    inlines = [LevelDescriptorInline]


class DimensionScoreInline(admin.TabularInline):
    model = DimensionScore
    extra = 0
    readonly_fields = ("dimension", "score", "rated_count", "na_count", "total_count", "is_complete")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
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
    list_filter = ("status", "mode", "maturity_level", "framework", "supplier__state__region")
    search_fields = ("supplier__legal_name", "supplier__rfc", "assessor__username")
    list_select_related = ("supplier", "assessor", "framework")
    autocomplete_fields = ("supplier", "assessor", "baseline")
    date_hierarchy = "scheduled_for"
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
        "version",
    )
    inlines = [DimensionScoreInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("diagnostic", "question", "level", "not_applicable", "updated_at")
    list_filter = ("not_applicable", "level")
    search_fields = ("diagnostic__supplier__legal_name", "question__code")
    list_select_related = ("diagnostic__supplier", "question")
    raw_id_fields = ("diagnostic", "question")


@admin.register(AreaAlignment)
class AreaAlignmentAdmin(admin.ModelAdmin):
    list_display = ("diagnostic", "area", "meets_requirements", "fit_percent")
    list_filter = ("meets_requirements", "area")
    list_select_related = ("diagnostic__supplier", "area")
    raw_id_fields = ("diagnostic",)
