from django.urls import path

from . import views

app_name = "sourcing"

urlpatterns = [
    path("anclas/colegas/", views.anchor_colleagues, name="anchor_colleagues"),
]
