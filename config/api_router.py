"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "api"
urlpatterns = router.urls

from reports.api.views import CohortReportViewSet  # noqa: E402

router.register("reports/cohorts", CohortReportViewSet, basename="report-cohort")
urlpatterns = router.urls
