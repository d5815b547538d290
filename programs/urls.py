from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("socios/<int:pk>/logo/", views.partner_logo, name="partner-logo"),
]
