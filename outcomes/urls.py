from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("cuestionarios/<int:pk>/", views.survey, name="survey"),
]
