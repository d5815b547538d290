"""Core pages: health and the staff audit trail."""

from django.urls import path

from .health import health
from .views import AuditEventListView, notification_preferences

urlpatterns = [
    path("health/", health, name="health"),
    path("staff/audit/", AuditEventListView.as_view(), name="staff-audit"),
    path("notificaciones/", notification_preferences, name="notification-preferences"),
]
