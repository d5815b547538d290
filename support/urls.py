from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("staff/support/", views.staff_home, name="staff_home"),
    path("staff/support/candidates/<int:candidate_pk>/plan/", views.staff_plan_new, name="staff_plan_new"),
    path("staff/support/plans/<int:pk>/", views.staff_plan, name="staff_plan"),
    path("asesores/", views.provider_home, name="provider_home"),
    path("asesores/pymes/<int:candidate_pk>/", views.provider_sme, name="provider_sme"),
    path("mi-cuenta/plan/", views.sme_plan, name="sme_plan"),
]
