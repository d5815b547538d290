from django.urls import path

from . import course_views, views
from .financing import views as financing

app_name = "support"

urlpatterns = [
    path("staff/support/", views.staff_home, name="staff_home"),
    path("staff/support/candidates/<int:candidate_pk>/plan/", views.staff_plan_new, name="staff_plan_new"),
    path("staff/support/plans/<int:pk>/", views.staff_plan, name="staff_plan"),
    path("staff/support/courses/", course_views.staff_courses, name="staff_courses"),
    path("staff/support/courses/<int:pk>/", course_views.staff_course, name="staff_course"),
    path("staff/support/sessions/<int:pk>/", course_views.staff_session, name="staff_session"),
    path("asesores/", views.provider_home, name="provider_home"),
    path("asesores/cursos/", course_views.provider_courses, name="provider_courses"),
    path("asesores/cursos/<int:pk>/", course_views.provider_course, name="provider_course"),
    path("asesores/sesiones/<int:pk>/", course_views.provider_session, name="provider_session"),
    path("asesores/pymes/<int:candidate_pk>/", views.provider_sme, name="provider_sme"),
    path("mi-cuenta/plan/", views.sme_plan, name="sme_plan"),
    path("planes/evidencia/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("staff/support/financing/", financing.staff_pipeline, name="staff_financing"),
    path("staff/support/financing/new/", financing.staff_case_new, name="staff_financing_new"),
    path("staff/support/financing/<int:pk>/", financing.staff_case, name="staff_financing_case"),
    path("mi-cuenta/financiamiento/", financing.sme_cases, name="sme_financing"),
    path("mi-cuenta/financiamiento/<int:pk>/", financing.sme_case, name="sme_financing_case"),
    path("financiamiento/documentos/<int:pk>/", financing.document_download, name="financing_document"),
]
