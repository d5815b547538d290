"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

app_name = "api"
urlpatterns = router.urls

from assessments.api.views import DiagnosticViewSet, FrameworkViewSet  # noqa: E402

router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("diagnostics", DiagnosticViewSet, basename="diagnostic")
urlpatterns = router.urls
