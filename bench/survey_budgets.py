"""What ``bench/run.py survey`` requests, as whom, and the budgets it judges each response by.

``PAGES`` maps every URL name the project serves to the roles that GET it and where its parameters
come from (``PARAMETERS`` keys, resolved against rows of the seeded database by bench/survey.py).
``NOT_SURVEYED`` names the URLs no role GETs for a page (POST-only actions, one-time links), with why.
Admin URLs (``admin:*``) are surveyed by the rules of ``ADMIN_VIEWS``. A URL in neither fails
tests/bench/test_survey.py: a new page gets its entry here.
"""

# Median and p95 (seconds) of three timed requests, by the role requesting.
BUDGETS = {
    "staff": (0.300, 0.500),
    "anchor": (0.150, 0.300),
    "sme": (0.150, 0.300),
    "anonymous": (0.150, 0.300),
}
MAX_QUERIES = 30
MAX_BYTES = 1_000_000  # HTML and JSON; file downloads are exempt

STAFF, ANCHOR, SME, ANONYMOUS = "staff", "anchor", "sme", "anonymous"
EVERYONE = (STAFF, ANCHOR, SME, ANONYMOUS)
LOGGED_IN = (STAFF, ANCHOR, SME)

# name: (roles, {url kwarg: parameter}, query string)
PAGES: dict[str, tuple[tuple[str, ...], dict[str, str], str]] = {
    "home": (EVERYONE, {}, ""),
    "login": ((ANONYMOUS,), {}, ""),
    "password_change": (LOGGED_IN, {}, ""),
    "password_change_done": (LOGGED_IN, {}, ""),
    "password_reset": ((ANONYMOUS,), {}, ""),
    "password_reset_done": ((ANONYMOUS,), {}, ""),
    "password_reset_complete": ((ANONYMOUS,), {}, ""),
    "health": ((ANONYMOUS,), {}, ""),
    "api-schema": ((ANONYMOUS,), {}, ""),
    "api-docs": ((ANONYMOUS,), {}, ""),
    "staff-audit": ((STAFF,), {}, ""),
    # privacy
    "privacy:my-data": ((SME,), {}, ""),
    "privacy:my-data-export": ((SME,), {}, ""),
    # reports
    "reports:index": ((STAFF,), {}, ""),
    "staff-home": ((STAFF,), {}, ""),
    "reports:program": ((STAFF,), {"program_id": "program"}, ""),
    "reports:phase": ((STAFF,), {"program_id": "program", "phase_id": "phase"}, ""),
    "reports:program-export": ((STAFF,), {"program_id": "program", "kind": "export_kind", "fmt": "export_format"}, ""),
    "reports:phase-export": (
        (STAFF,),
        {"program_id": "program", "phase_id": "phase", "kind": "export_kind", "fmt": "export_format"},
        "",
    ),
    "reports:cohort": ((STAFF,), {"cohort_id": "cohort"}, ""),
    "reports:cohort-export": ((STAFF,), {"cohort_id": "cohort", "kind": "export_kind", "fmt": "export_format"}, ""),
    "reports:exports": ((STAFF,), {}, ""),
    "reports:export-download": ((STAFF,), {"export_id": "export"}, ""),
    # registration and the SME's account
    "suppliers:signup": ((ANONYMOUS,), {}, ""),
    "suppliers:signup-sent": ((ANONYMOUS,), {}, ""),
    "suppliers:privacy": ((ANONYMOUS,), {}, ""),
    "suppliers:company": ((SME,), {}, ""),
    "suppliers:growth": ((SME,), {}, ""),
    "suppliers:market": ((SME,), {}, ""),
    "suppliers:finish": ((SME,), {}, ""),
    "suppliers:account": ((SME,), {}, ""),
    "suppliers:review": ((SME,), {}, ""),
    "suppliers:saved": ((SME,), {}, ""),
    "suppliers:profile": ((SME,), {}, ""),
    "suppliers:privacy-accept": ((SME,), {}, ""),
    "suppliers:document": ((SME, STAFF), {"pk": "document"}, ""),
    "suppliers:staff-list": ((STAFF,), {}, ""),
    "suppliers:staff-detail": ((STAFF,), {"pk": "supplier"}, ""),
    # diagnostics
    "assessments:staff-list": ((STAFF,), {}, ""),
    "assessments:staff-schedule": ((STAFF,), {}, ""),
    "assessments:staff-fill": ((STAFF,), {"pk": "diagnostic"}, ""),
    "assessments:staff-answers-json": ((STAFF,), {"pk": "diagnostic"}, ""),
    "assessments:staff-results": ((STAFF,), {"pk": "diagnostic"}, ""),
    "assessments:sme-results": ((SME,), {"pk": "diagnostic"}, ""),
    "assessments:staff-framework-rescoring": ((STAFF,), {"pk": "framework"}, ""),
    # cohorts
    "cohorts:anchor_home": ((ANCHOR,), {}, ""),
    "cohorts:anchor_cohort": ((ANCHOR,), {"pk": "cohort"}, ""),
    "cohorts:staff_cohorts": ((STAFF,), {}, ""),
    "cohorts:staff_cohort": ((STAFF,), {"pk": "cohort"}, ""),
    # API
    "api:api-root": (LOGGED_IN, {}, ""),
    "api:token-list": ((STAFF,), {}, ""),
    "api:token-detail": ((STAFF,), {"user": "token_user"}, ""),
    "api:program-list": (LOGGED_IN, {}, ""),
    "api:program-detail": (LOGGED_IN, {"pk": "program"}, ""),
    "api:phase-list": (LOGGED_IN, {}, ""),
    "api:phase-detail": (LOGGED_IN, {"pk": "phase"}, ""),
    "api:region-list": (LOGGED_IN, {}, ""),
    "api:region-detail": (LOGGED_IN, {"pk": "region"}, ""),
    "api:state-list": (LOGGED_IN, {}, ""),
    "api:state-detail": (LOGGED_IN, {"pk": "state"}, ""),
    "api:certification-standard-list": (LOGGED_IN, {}, ""),
    "api:certification-standard-detail": (LOGGED_IN, {"pk": "certification_standard"}, ""),
    "api:anchor-list": (LOGGED_IN, {}, ""),
    "api:anchor-detail": (LOGGED_IN, {"pk": "anchor"}, ""),
    "api:supply-area-list": (LOGGED_IN, {}, ""),
    "api:supply-area-detail": (LOGGED_IN, {"pk": "supply_area"}, ""),
    "api:supplier-list": ((STAFF, SME), {}, ""),
    "api:supplier-detail": ((STAFF, SME), {"pk": "supplier"}, ""),
    "api:supplier-document-download": ((STAFF, SME), {"pk": "supplier", "document_id": "document"}, ""),
    "api:me-supplier": ((SME,), {}, ""),
    "api:framework-list": ((STAFF,), {}, ""),
    "api:framework-detail": ((STAFF,), {"pk": "framework"}, ""),
    "api:diagnostic-list": ((STAFF,), {}, ""),
    "api:diagnostic-detail": ((STAFF,), {"pk": "diagnostic"}, ""),
    "api:diagnostic-answers": ((STAFF,), {"pk": "diagnostic"}, ""),
    "api:diagnostic-results": ((STAFF,), {"pk": "diagnostic"}, ""),
    "api:cohort-list": ((STAFF, ANCHOR), {}, ""),
    "api:cohort-detail": ((STAFF, ANCHOR), {"pk": "cohort"}, ""),
    "api:cohort-waitlist": ((STAFF,), {"pk": "cohort"}, ""),
    "api:candidate-list": ((STAFF, ANCHOR), {}, ""),
    "api:candidate-detail": ((STAFF, ANCHOR), {"pk": "candidate"}, ""),
    "api:anchor-review-list": ((STAFF, ANCHOR), {}, ""),
    "api:anchor-review-detail": ((STAFF, ANCHOR), {"pk": "anchor_review"}, ""),
    "api:report-cohort-detail": ((STAFF,), {"pk": "cohort"}, ""),
    "api:reports-summary": ((STAFF,), {}, ""),
    # support after selection
    "notification-preferences": (LOGGED_IN, {}, ""),
    "support:staff_home": ((STAFF,), {}, ""),
    "support:sme_plan": ((SME,), {}, ""),
    "api:development-plan-list": ((STAFF, SME), {}, ""),
    "api:plan-item-list": ((STAFF, SME), {}, ""),
    "api:provider-list": ((STAFF, SME), {}, ""),
    "api:visit-list": ((STAFF, SME), {}, ""),
    "api:course-list": ((STAFF, SME), {}, ""),
    "api:session-list": ((STAFF, SME), {}, ""),
    # outcomes: rounds, the SME's questionnaires, indicators (estimates are stored when a round closes)
    "outcomes:staff_rounds": ((STAFF,), {}, ""),
    "outcomes:staff_indicators": ((STAFF,), {}, ""),
    "outcomes:sme_surveys": ((SME,), {}, ""),
    "api:outcome-round-list": ((STAFF,), {}, ""),
    "api:outcome-response-list": ((STAFF, SME), {}, ""),
    "api:indicator-list": ((STAFF,), {}, ""),
}

POST_ONLY = "POST only: an action, not a page"
NO_SUPPORT_ROWS = "needs a support row or a provider login, which the seeded database does not have yet"
NO_OUTCOME_ROUNDS = "needs a follow-up round, which the seeded database does not have yet"
NOT_SURVEYED: dict[str, str] = {
    "outcomes:staff_round": NO_OUTCOME_ROUNDS,
    "outcomes:staff_impact": NO_OUTCOME_ROUNDS,
    "outcomes:survey": NO_OUTCOME_ROUNDS,
    "api:outcome-round-detail": NO_OUTCOME_ROUNDS,
    "api:outcome-response-detail": NO_OUTCOME_ROUNDS,
    "after-login": "a redirect to each role's own page, right after logging in",
    "": "unnamed: the API's catch-all answering 404 in JSON",
    "logout": POST_ONLY,
    "set_language": POST_ONLY,
    "password_reset_confirm": "a one-time link from an email",
    "suppliers:verify-email": "a one-time link from an email",
    "privacy:my-data-erase": POST_ONLY,
    "assessments:staff-action": POST_ONLY,
    "assessments:staff-framework-new-version": POST_ONLY,
    "cohorts:anchor_review": POST_ONLY,
    "cohorts:staff_cohort_action": POST_ONLY,
    "cohorts:staff_candidate_action": POST_ONLY,
    "api:diagnostic-publish": POST_ONLY,
    "api:diagnostic-reopen": POST_ONLY,
    "api:diagnostic-submit": POST_ONLY,
    "api:diagnostic-validate": POST_ONLY,
    "api:cohort-build-candidates": POST_ONLY,
    "api:cohort-commit-decisions": POST_ONLY,
    "api:cohort-extend-review": POST_ONLY,
    "api:cohort-reentry": "POST and DELETE only: an action, not a page",
    "api:cohort-open-review": POST_ONLY,
    "api:cohort-promote": POST_ONLY,
    "api:cohort-propose": POST_ONLY,
    "api:cohort-stage-from-proposal": POST_ONLY,
    "api:candidate-pin": POST_ONLY,
    "api:candidate-stage": POST_ONLY,
    "api:candidate-withdraw": POST_ONLY,
    "support:staff_plan": NO_SUPPORT_ROWS,
    "support:staff_plan_new": NO_SUPPORT_ROWS,
    "support:provider_home": NO_SUPPORT_ROWS,
    "support:provider_sme": NO_SUPPORT_ROWS,
    "api:development-plan-detail": NO_SUPPORT_ROWS,
    "api:development-plan-proposals": NO_SUPPORT_ROWS,
    "api:plan-item-detail": NO_SUPPORT_ROWS,
    "api:provider-detail": NO_SUPPORT_ROWS,
    "api:visit-detail": NO_SUPPORT_ROWS,
    "api:course-detail": NO_SUPPORT_ROWS,
    "api:session-detail": NO_SUPPORT_ROWS,
    "api:session-attendance": NO_SUPPORT_ROWS,
    "api:development-plan-save-version": POST_ONLY,
    "api:plan-item-set-status": POST_ONLY,
    "api:plan-item-evidence": POST_ONLY,
    "api:plan-item-milestone": POST_ONLY,
    "api:visit-schedule": POST_ONLY,
    "api:visit-log": POST_ONLY,
    "api:visit-confirm": POST_ONLY,
    "api:visit-dispute": POST_ONLY,
    "api:visit-resolve": POST_ONLY,
    "api:course-enrol": POST_ONLY,
    "admin:logout": POST_ONLY,
    "admin:view_on_site": "a redirect to the object's page",
    "admin:autocomplete": "a search endpoint of admin forms",
}

# Admin URL names are "admin:<app>_<model>_<view>": the views staff GET, with the row they need.
ADMIN_VIEWS = {
    "changelist": False,
    "add": False,
    "change": True,
    "history": True,
    "delete": True,
    "password_change": True,  # the user admin's form setting a password
    "import": False,  # the framework admin's file import form
}
ADMIN_PAGES = ("admin:index", "admin:login", "admin:password_change", "admin:password_change_done", "admin:jsi18n")
