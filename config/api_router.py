"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# Cohort selection (issue 5).
from programs.api.cohorts import (  # noqa: E402
    CandidateViewSet,
    CohortViewSet,
    InterventionViewSet,
    ReviewViewSet,
)

router.register("cohorts", CohortViewSet, basename="cohort")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("anchor-reviews", ReviewViewSet, basename="anchor-review")
router.register("interventions", InterventionViewSet, basename="intervention")

app_name = "api"
urlpatterns = router.urls
