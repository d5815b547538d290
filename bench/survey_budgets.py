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
    # A provider's pages are working pages like staff's: an SME's plan and visits, a course and its attendance.
    "provider": (0.300, 0.500),
    "trainer": (0.300, 0.500),
}
MAX_QUERIES = 30
MAX_BYTES = 1_000_000  # HTML and JSON; file downloads are exempt

STAFF, ANCHOR, SME, ANONYMOUS = "staff", "anchor", "sme", "anonymous"
PROVIDER, TRAINER = "provider", "trainer"  # the demo consultant (with assigned SMEs) and trainer (with courses)
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
    "support:staff_plan": ((STAFF,), {"pk": "plan"}, ""),
    "support:staff_plan_new": ((STAFF,), {"candidate_pk": "unplanned_candidate"}, ""),
    "support:staff_courses": ((STAFF,), {}, ""),
    "support:staff_course": ((STAFF,), {"pk": "course"}, ""),
    "support:staff_session": ((STAFF,), {"pk": "session"}, ""),
    "support:sme_plan": ((SME,), {}, ""),
    "support:evidence_file": ((STAFF, PROVIDER), {"pk": "evidence_file"}, ""),
    "support:provider_home": ((PROVIDER, TRAINER), {}, ""),
    "support:provider_sme": ((PROVIDER,), {"candidate_pk": "provider_candidate"}, ""),
    "support:provider_courses": ((PROVIDER, TRAINER), {}, ""),
    "support:provider_course": ((TRAINER,), {"pk": "course"}, ""),
    "support:provider_session": ((TRAINER,), {"pk": "session"}, ""),
    "api:development-plan-list": ((STAFF, SME, PROVIDER), {}, ""),
    "api:development-plan-detail": ((STAFF, PROVIDER), {"pk": "plan"}, ""),
    "api:development-plan-proposals": ((STAFF,), {}, "candidate={unplanned_candidate}"),
    "api:plan-item-list": ((STAFF, SME, PROVIDER), {}, ""),
    "api:plan-item-detail": ((STAFF, PROVIDER), {"pk": "plan_item"}, ""),
    "api:provider-list": ((STAFF, SME, PROVIDER), {}, ""),
    "api:provider-detail": ((STAFF, PROVIDER), {"pk": "provider_row"}, ""),
    "api:visit-list": ((STAFF, SME, PROVIDER), {}, ""),
    "api:visit-detail": ((STAFF, PROVIDER), {"pk": "visit"}, ""),
    "api:course-list": ((STAFF, SME, TRAINER), {}, ""),
    "api:course-detail": ((STAFF, TRAINER), {"pk": "course"}, ""),
    "api:session-list": ((STAFF, SME, TRAINER), {}, ""),
    "api:session-detail": ((STAFF, TRAINER), {"pk": "session"}, ""),
    "api:session-attendance": ((STAFF, TRAINER), {"pk": "session"}, ""),
    # financing cases
    "support:staff_financing": ((STAFF,), {}, ""),
    "support:staff_financing_new": ((STAFF,), {}, ""),
    "support:staff_financing_case": ((STAFF,), {"pk": "financing_case"}, ""),
    "support:sme_financing": ((SME,), {}, ""),
    "api:financing-case-list": ((STAFF, SME), {}, ""),
    "api:financing-case-detail": ((STAFF,), {"pk": "financing_case"}, ""),
    "sourcing:anchor_colleagues": ((ANCHOR,), {}, ""),
    "sourcing:anchor_home": ((ANCHOR,), {}, ""),
    "sourcing:anchor_opportunity_new": ((ANCHOR,), {}, ""),
    "sourcing:anchor_opportunity": ((STAFF, ANCHOR), {"pk": "opportunity"}, ""),
    "sourcing:sme_opportunities": ((SME,), {}, ""),
    "sourcing:sme_opportunity": ((SME,), {"pk": "opportunity"}, ""),
    "sourcing:staff_opportunities": ((STAFF,), {}, ""),
    "sourcing:staff_opportunity_new": ((STAFF,), {}, ""),
    # outcomes: rounds, the SME's questionnaires, indicators and impact (stored when a round closes); at scale
    # on a database seeded with ``bench/run.py seed --follow-up-rounds 10``
    "outcomes:staff_rounds": ((STAFF,), {}, ""),
    "outcomes:staff_indicators": ((STAFF,), {}, ""),
    "outcomes:sme_surveys": ((SME,), {}, ""),
    "api:outcome-round-list": ((STAFF,), {}, ""),
    "api:outcome-response-list": ((STAFF, SME), {}, ""),
    "api:indicator-list": ((STAFF,), {}, ""),
    "outcomes:staff_round": ((STAFF,), {"pk": "outcome_round"}, ""),
    "outcomes:staff_impact": ((STAFF,), {"pk": "outcome_round"}, ""),
    "api:outcome-round-detail": ((STAFF,), {"pk": "outcome_round"}, ""),
    "api:outcome-response-detail": ((STAFF,), {"pk": "outcome_response"}, ""),
}

POST_ONLY = "POST only: an action, not a page"
FILE_DOWNLOAD = "a file download (exempt from the page budgets); who may download is tested in tests/sourcing"
NOT_SURVEYED: dict[str, str] = {
    "outcomes:survey": "the demo SME login is not among the 2025 cohort's SMEs, so it has no questionnaire; the "
    "same answer is surveyed for staff (api:outcome-response-detail), and the SME's list (outcomes:sme_surveys)",
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
    "sourcing:anchor_opportunity_action": POST_ONLY,
    "sourcing:anchor_invitation_step": POST_ONLY,
    "sourcing:attachment": FILE_DOWNLOAD,
    "sourcing:response_document": FILE_DOWNLOAD,
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
    "support:sme_financing_case": "the demo SME login is not among the selected SMEs, so it has no case; the same "
    "case page is surveyed for staff (support:staff_financing_case)",
    "support:financing_document": "a file download; the demo data uploads no files",
    "api:financing-case-move": POST_ONLY,
    "api:financing-case-disburse": POST_ONLY,
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
