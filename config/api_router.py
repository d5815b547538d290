"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""
from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from core.api import api_not_found
from core.token_api import TokenViewSet
from programs.api import reference
from suppliers.api.reports import ReportSummaryView
from suppliers.api.views import MySupplierView, SupplierViewSet

router = DefaultRouter()
router.register("tokens", TokenViewSet, basename="token")
router.register("programs", reference.ProgramViewSet, basename="program")
router.register("phases", reference.PhaseViewSet, basename="phase")
router.register("regions", reference.RegionViewSet, basename="region")
router.register("states", reference.StateViewSet, basename="state")
router.register("certification-standards", reference.CertificationStandardViewSet, basename="certification-standard")
router.register("anchors", reference.AnchorCompanyViewSet, basename="anchor")
router.register("supply-areas", reference.CriticalSupplyAreaViewSet, basename="supply-area")
router.register("suppliers", SupplierViewSet, basename="supplier")

app_name = "api"
urlpatterns = router.urls + [
    path("me/supplier/", MySupplierView.as_view(), name="me-supplier"),
    path("reports/summary/", ReportSummaryView.as_view(), name="reports-summary"),
]
# Keep last: any other path under /api/v1/ is a JSON 404.
urlpatterns.append(re_path(r"^.*$", api_not_found))
