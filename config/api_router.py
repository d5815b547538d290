"""The one DRF router of the API (``/api/v1/``); each app registers its viewsets here."""

from django.urls import path, re_path

from assessments.api.views import DiagnosticViewSet, FrameworkViewSet
from cohorts.api.views import CandidateViewSet, CohortViewSet, ReviewViewSet
from core.api import api_not_found
from core.routers import GroupedRouter
from core.token_api import TokenViewSet
from outcomes.api import views as outcomes
from programs.api import reference
from reports.api.summary import ReportSummaryView
from reports.api.views import CohortReportViewSet
from sourcing.api.invitations import InvitationViewSet, OutcomeViewSet, ResponseViewSet
from sourcing.api.views import MatchViewSet, OpportunityViewSet
from suppliers.api.views import MySupplierView, SupplierViewSet
from support.api import views as support
from support.api.financing import FinancingCaseViewSet

router = GroupedRouter()
router.register("tokens", TokenViewSet, basename="token")
# Program reference data
router.register("programs", reference.ProgramViewSet, basename="program")
router.register("phases", reference.PhaseViewSet, basename="phase")
router.register("regions", reference.RegionViewSet, basename="region")
router.register("states", reference.StateViewSet, basename="state")
router.register("certification-standards", reference.CertificationStandardViewSet, basename="certification-standard")
router.register("anchors", reference.AnchorCompanyViewSet, basename="anchor")
router.register("supply-areas", reference.CriticalSupplyAreaViewSet, basename="supply-area")
# Suppliers
router.register("suppliers", SupplierViewSet, basename="supplier")
# Diagnostics
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("diagnostics", DiagnosticViewSet, basename="diagnostic")
# Cohort selection
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("anchor-reviews", ReviewViewSet, basename="anchor-review")
# Support after selection
router.register("development-plans", support.DevelopmentPlanViewSet, basename="development-plan")
router.register("plan-items", support.PlanItemViewSet, basename="plan-item")
router.register("providers", support.ProviderViewSet, basename="provider")
router.register("visits", support.VisitViewSet, basename="visit")
# Outcomes: follow-up rounds, answers and indicators
router.register("outcome-rounds", outcomes.OutcomeRoundViewSet, basename="outcome-round")
router.register("outcome-responses", outcomes.OutcomeResponseViewSet, basename="outcome-response")
router.register("indicators", outcomes.IndicatorViewSet, basename="indicator")
router.register("courses", support.CourseViewSet, basename="course")
router.register("sessions", support.SessionViewSet, basename="session")
router.register("financing-cases", FinancingCaseViewSet, basename="financing-case")
# Sourcing: anchors' opportunities, the SMEs ranked for them, invitations, responses and what came of them
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("opportunity-matches", MatchViewSet, basename="opportunity-match")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("responses", ResponseViewSet, basename="sourcing-response")
router.register("sourcing-outcomes", OutcomeViewSet, basename="sourcing-outcome")
# Reports
router.register("reports/cohorts", CohortReportViewSet, basename="report-cohort")

app_name = "api"
urlpatterns = router.urls + [
    path("me/supplier/", MySupplierView.as_view(), name="me-supplier"),
    path("reports/summary/", ReportSummaryView.as_view(), name="reports-summary"),
]
# Keep last: any other path under /api/v1/ is a JSON 404.
urlpatterns.append(re_path(r"^.*$", api_not_found))
