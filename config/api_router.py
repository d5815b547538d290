"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from assessments.api.views import DiagnosticViewSet, FrameworkViewSet
from reports.api.views import CohortReportViewSet

router = DefaultRouter()
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("diagnostics", DiagnosticViewSet, basename="diagnostic")
router.register("reports/cohorts", CohortReportViewSet, basename="report-cohort")

app_name = "api"
urlpatterns = router.urls
