"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from assessments.api.views import DiagnosticViewSet, FrameworkViewSet
from programs.api.cohorts import CandidateViewSet, CohortViewSet, InterventionViewSet, ReviewViewSet
from reports.api.views import CohortReportViewSet

router = DefaultRouter()
# Diagnostics
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("diagnostics", DiagnosticViewSet, basename="diagnostic")
# Cohort selection
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("anchor-reviews", ReviewViewSet, basename="anchor-review")
router.register("interventions", InterventionViewSet, basename="intervention")
# Reports
router.register("reports/cohorts", CohortReportViewSet, basename="report-cohort")

app_name = "api"
urlpatterns = router.urls
