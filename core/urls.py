"""Core pages: health, the staff audit trail, and the SME's ARCO pages (``privacy:``)."""
from django.urls import include, path

from . import privacy_views
from .health import health
from .views import AuditEventListView

privacy_patterns = (
    [
        path("my-data/", privacy_views.my_data, name="my-data"),
        path("my-data/export.json", privacy_views.my_data_export, name="my-data-export"),
        path("my-data/erase/", privacy_views.my_data_erase, name="my-data-erase"),
    ],
    "privacy",
)

urlpatterns = [
    path("health/", health, name="health"),
    path("staff/audit/", AuditEventListView.as_view(), name="staff-audit"),
    path("privacy/", include(privacy_patterns)),
]
