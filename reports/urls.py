from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("programs/<int:program_id>/", views.program_report, name="program"),
    path("programs/<int:program_id>/phases/<int:phase_id>/", views.program_report, name="phase"),
    path("programs/<int:program_id>/export/<slug:kind>.<slug:fmt>", views.program_export, name="program-export"),
    path(
        "programs/<int:program_id>/phases/<int:phase_id>/export/<slug:kind>.<slug:fmt>",
        views.program_export,
        name="phase-export",
    ),
    path("cohorts/<int:cohort_id>/", views.cohort_report, name="cohort"),
    path("cohorts/<int:cohort_id>/export/<slug:kind>.<slug:fmt>", views.cohort_export, name="cohort-export"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:export_id>/download/", views.export_download, name="export-download"),
]
