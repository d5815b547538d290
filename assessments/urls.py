from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("staff/diagnostics/", views.diagnostic_list, name="staff-list"),
    path("staff/diagnostics/new/", views.diagnostic_schedule, name="staff-schedule"),
    path("staff/diagnostics/<int:pk>/", views.diagnostic_fill, name="staff-fill"),
    path("staff/diagnostics/<int:pk>/answers.json", views.diagnostic_answers_json, name="staff-answers-json"),
    path("staff/diagnostics/<int:pk>/results/", views.diagnostic_results, name="staff-results"),
    path("staff/diagnostics/<int:pk>/<slug:action>/", views.diagnostic_action, name="staff-action"),
    path("staff/frameworks/<int:pk>/new-version/", views.framework_new_version, name="staff-framework-new-version"),
    path("staff/frameworks/<int:pk>/rescoring/", views.framework_rescoring, name="staff-framework-rescoring"),
    path("mi-cuenta/diagnostico/<int:pk>/", views.sme_results, name="sme-results"),
]
