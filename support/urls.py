from django.urls import path

from . import views
from .financing import views as financing

app_name = "support"

urlpatterns = [
    path("staff/support/", views.staff_home, name="staff_home"),
    path("staff/support/candidates/<int:candidate_pk>/plan/", views.staff_plan_new, name="staff_plan_new"),
    path("staff/support/plans/<int:pk>/", views.staff_plan, name="staff_plan"),
    path("asesores/", views.provider_home, name="provider_home"),
    path("asesores/pymes/<int:candidate_pk>/", views.provider_sme, name="provider_sme"),
    path("mi-cuenta/plan/", views.sme_plan, name="sme_plan"),
    path("staff/support/financing/", financing.staff_pipeline, name="staff_financing"),
    path("staff/support/financing/new/", financing.staff_case_new, name="staff_financing_new"),
    path("staff/support/financing/<int:pk>/", financing.staff_case, name="staff_financing_case"),
    path("mi-cuenta/financiamiento/", financing.sme_cases, name="sme_financing"),
    path("mi-cuenta/financiamiento/<int:pk>/", financing.sme_case, name="sme_financing_case"),
    path("financiamiento/documentos/<int:pk>/", financing.document_download, name="financing_document"),
]
