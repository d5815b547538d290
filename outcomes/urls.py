from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("staff/resultados/", views.staff_rounds, name="staff_rounds"),
    path("staff/resultados/indicadores/", views.staff_indicators, name="staff_indicators"),
    path("staff/resultados/rondas/<int:pk>/", views.staff_round, name="staff_round"),
    path("staff/resultados/rondas/<int:pk>/impacto/", views.staff_impact, name="staff_impact"),
    path("mi-cuenta/cuestionarios/", views.sme_surveys, name="sme_surveys"),
    path("mi-cuenta/cuestionarios/<int:pk>/", views.survey, name="survey"),
]
