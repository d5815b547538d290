"""Deny by default: every URL the project serves is walked and requested as each role.

- PUBLIC: anonymous users may see these (landing, login, registration, privacy
  notice, i18n, health, API schema/docs).
- ROLE_SCOPED: logged-in SME users, anchor reviewers or providers may reach these
  (each view scopes the data to the user; its app's tests check the scoping).
- Everything else is staff-only: anonymous users, SME users, anchor reviewers
  and providers are refused (login redirect, 401, 403 or 404, never a 2xx).

Views added by any app are covered automatically: a new view that is not in
an allow-list must refuse everyone but program staff, or this test fails.
"""

from fnmatch import fnmatch

import pytest
from django.conf import settings

from tests.security.urlwalk import all_routes, resolves_to_itself

PUBLIC = (
    "home",
    "login",
    "logout",
    "password_reset*",
    "set_language",
    "health",
    "api-schema",
    "api-docs",
    "admin:login",
    "javascript-catalog",
    # registration flow, privacy notice and email verification (suppliers app)
    "suppliers:signup",
    "suppliers:signup-sent",
    "suppliers:verify-email",
    "suppliers:privacy",
    "programs:partner-logo",  # a program partner's logo, shown with its name on every page
)
ROLE_SCOPED = (
    "after-login",  # only a redirect, to each role's own page
    "privacy:*",
    "password_change*",
    "notification-preferences",  # each person's own reminder choices
    "api:api-root",  # the API index lists endpoints, no data
    # the SME's own supplier pages and documents, the anchor's review pages
    "suppliers:account",
    "suppliers:profile",
    "suppliers:privacy-accept",  # a new version of the privacy notice, for the SME's own supplier
    # the SME's own programs, joining another program and switching between its own participations (any other
    # account: 404; another company's participation: 404; tests/suppliers/test_company.py)
    "suppliers:programs",
    "suppliers:program-join",
    "suppliers:participation-switch",
    "suppliers:document",
    "suppliers:company",
    "suppliers:growth",
    "suppliers:market",
    "suppliers:finish",
    "suppliers:review",
    "suppliers:saved",  # after "save and finish later": a link back to the SME's own draft
    "assessments:sme-results",
    "cohorts:anchor_*",
    "support:provider_*",  # a provider's SMEs (only those assigned to it today)
    "support:sme_plan",  # the SME's own plan
    "support:evidence_file",  # a plan's evidence file: staff, the SME, its providers while assigned
    "support:sme_financing*",  # the SME's own financing cases
    "support:financing_document",  # a case's document: staff, or the SME whose case it is (else 404)
    # Sourcing: an anchor's own colleagues and opportunities, the SME's own invitations and the opportunities
    # it is eligible for, files each may download (tests/sourcing/test_pages.py checks the scoping)
    "sourcing:anchor_*",
    "sourcing:sme_*",
    "sourcing:attachment",
    "sourcing:response_document",
    "outcomes:sme_surveys",  # the SME's own follow-up questionnaires (tests/outcomes/test_pages.py)
    "outcomes:survey",
    # API: reference data is readable by every role; supplier endpoints are scoped to the SME's own
    # supplier; anchor reviewers write their own reviews and read the cohorts and candidates their portal
    # shows (tests/api and tests/cohorts check the scoping; the cohort and candidate actions stay staff-only)
    "api:program-*",
    "api:phase-*",
    "api:region-*",
    "api:state-*",
    "api:certification-standard-*",
    "api:anchor-list",
    "api:anchor-detail",
    "api:supply-area-*",
    "api:supplier-*",
    "api:me-supplier",
    "api:anchor-review-*",
    "api:cohort-list",
    "api:cohort-detail",
    "api:candidate-list",
    "api:candidate-detail",
    # Support after selection: each reader sees only its own (an SME its plans, items, visits and courses; a
    # provider those of the SMEs assigned to it today); proposals, versions, milestones, scheduling,
    # disputes' resolution and enrolment stay staff-only (tests/support/test_api.py checks the scoping)
    "api:development-plan-list",
    "api:development-plan-detail",
    "api:plan-item-list",
    "api:plan-item-detail",
    "api:plan-item-set-status",
    "api:plan-item-evidence",
    "api:provider-list",
    "api:provider-detail",
    "api:visit-list",
    "api:visit-detail",
    "api:visit-log",
    "api:visit-confirm",
    "api:visit-dispute",
    "api:course-list",
    "api:course-detail",
    "api:session-list",
    "api:session-detail",
    "api:session-attendance",
    # Financing cases: an SME lists, reads and opens only its own, and lists and adds its cases' documents;
    # moves and disbursements stay staff-only (tests/support/test_financing_api.py checks the scoping;
    # anchors and providers are refused)
    "api:financing-case-list",
    "api:financing-case-detail",
    "api:financing-case-documents",
    # Outcomes: an SME user reads its own follow-up answers (tests/outcomes/test_api.py checks the scoping)
    "api:outcome-response-list",
    "api:outcome-response-detail",
    # Sourcing API: the roles of SOURCING_API below (tests/sourcing/test_api_*.py check the scoping)
    "api:opportunity-*",
    "api:invitation-*",
    "api:sourcing-response-*",
    "api:sourcing-outcome-*",
)
# The sourcing API by route and method: the roles besides staff that may call it at all (each view then scopes
# the rows to the caller's own); every other role is refused, whatever the row.
ANCHOR, SME = "anchor", "sme"
SOURCING_API = {
    "api:opportunity-list": {"get": {ANCHOR, SME}, "post": {ANCHOR}},
    "api:opportunity-detail": {"get": {ANCHOR, SME}, "patch": {ANCHOR}, "put": {ANCHOR}, "delete": set()},
    "api:opportunity-attachment-download": {"get": {ANCHOR, SME}},
    "api:opportunity-attachments": {"post": {ANCHOR}},
    "api:opportunity-set-status": {"post": {ANCHOR}},
    "api:opportunity-interest": {"post": {SME}},
    "api:opportunity-match-list": {"get": {ANCHOR}, "post": set()},
    "api:opportunity-match-detail": {"get": {ANCHOR}, "patch": set()},
    "api:opportunity-match-shortlist": {"post": {ANCHOR}},
    "api:invitation-list": {"get": {ANCHOR, SME}, "post": {ANCHOR}},
    "api:invitation-detail": {"get": {ANCHOR, SME}, "patch": set(), "delete": set()},
    "api:invitation-accept-terms": {"post": {SME}},
    "api:invitation-interest": {"post": {SME}},
    "api:invitation-decline": {"post": {SME}},
    "api:sourcing-response-list": {"get": {ANCHOR, SME}, "post": {SME}},
    "api:sourcing-response-detail": {"get": {ANCHOR, SME}, "patch": set(), "delete": set()},
    "api:sourcing-response-document-download": {"get": {ANCHOR, SME}},
    "api:sourcing-outcome-list": {"get": {ANCHOR, SME}, "post": set()},
    "api:sourcing-outcome-detail": {"get": {ANCHOR, SME}, "patch": set()},
    "api:sourcing-outcome-step": {"post": {ANCHOR}},
}
REFUSED = {401, 403, 404, 405}


def _matches(name: str, patterns) -> bool:
    return bool(name) and any(fnmatch(name, pattern) for pattern in patterns)


def _refused(response, client=None, hops: int = 3) -> bool:
    """A refusal status, or redirects that end at a login page (or a refusal)."""
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302) and hops:
        location = response.headers.get("Location", "")
        if "login" in location:
            return True
        return client is not None and _refused(client.get(location), client, hops - 1)
    return False


ROUTES = all_routes()
NON_PUBLIC = [r for r in ROUTES if not _matches(r.name, PUBLIC)]
STAFF_ONLY = [r for r in NON_PUBLIC if not _matches(r.name, ROLE_SCOPED)]


def test_the_walker_finds_the_project_urls():
    names = {r.name for r in ROUTES}
    assert {"home", "health", "staff-audit", "admin:index", "privacy:my-data-export"} <= names
    assert len(ROUTES) > 50


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_sample_url_resolves_to_its_view(route):
    assert resolves_to_itself(route), f"{route} does not resolve back; teach tests/security/urlwalk.py its pattern"


@pytest.mark.django_db
@pytest.mark.parametrize("route", NON_PUBLIC, ids=str)
def test_anonymous_users_are_refused(client, route):
    for method in ("get", "post"):
        response = getattr(client, method)(route.url)
        assert _refused(response, client), f"anonymous {method.upper()} {route} -> {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", STAFF_ONLY, ids=str)
def test_sme_users_and_anchor_reviewers_are_refused_staff_pages(client, sme_contact, anchor_reviewer, provider, route):
    for user in (sme_contact.user, anchor_reviewer.user, provider.user):
        client.force_login(user)
        response = client.get(route.url)
        assert _refused(response, client), f"{user.username} GET {route} -> {response.status_code}"


@pytest.mark.django_db
def test_staff_reach_the_staff_pages(staff_client):
    assert staff_client.get("/staff/audit/").status_code == 200
    assert staff_client.get("/staff/").status_code == 200
    assert staff_client.get("/admin/").status_code == 200


def test_no_url_serves_uploaded_files_directly():
    from django.views.static import serve

    from config.settings import base

    # No media URL in the real settings (tests set a dummy one only for the live test server).
    assert base.MEDIA_URL in (None, "")
    assert "MEDIA_URL" not in (settings.BASE_DIR / "config" / "settings" / "production.py").read_text()
    assert not [r for r in ROUTES if r.callback is serve], "media must be served only by views that check access"
    media_root = str(settings.MEDIA_ROOT)
    static_dirs = [str(settings.STATIC_ROOT), *map(str, settings.STATICFILES_DIRS)]
    assert not any(media_root.startswith(d) or d.startswith(media_root) for d in static_dirs)


@pytest.mark.django_db
def test_a_stored_upload_is_not_reachable_by_path(client, settings, tmp_path, staff_client):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "suppliers" / "1" / "csf").mkdir(parents=True)
    (tmp_path / "suppliers" / "1" / "csf" / "constancia.pdf").write_bytes(b"%PDF-1.4 secret")
    for prefix in ("/media/", "/static/", "/", settings.MEDIA_URL):
        response = staff_client.get(f"{prefix}suppliers/1/csf/constancia.pdf")
        assert response.status_code in (302, 404) and b"secret" not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


@pytest.mark.django_db
def test_the_admin_token_pages_by_role(client, staff_client, sme_contact, anchor_reviewer):
    """Staff see token metadata only; no role issues a token in the admin (the API's audited service
    does), and DRF's token admin, which showed and accepted any key, is gone."""
    from django.urls import reverse

    from core.tokens import create_token

    token, key = create_token(sme_contact.user)
    pages = {
        "list": reverse("admin:core_apitoken_changelist"),
        "add": reverse("admin:core_apitoken_add"),
        "change": reverse("admin:core_apitoken_change", args=[token.pk]),
        "delete": reverse("admin:core_apitoken_delete", args=[token.pk]),
        "history": reverse("admin:core_apitoken_history", args=[token.pk]),
    }
    seen = {name: staff_client.get(url) for name, url in pages.items()}
    assert {name: r.status_code for name, r in seen.items()} == {
        "list": 200,
        "add": 403,
        "change": 200,  # read-only
        "delete": 403,
        "history": 200,
    }
    assert not any(key in r.content.decode() for r in seen.values())
    assert staff_client.post(pages["add"], {"user": sme_contact.user.pk}).status_code == 403
    for legacy in ("/admin/authtoken/tokenproxy/", "/admin/authtoken/tokenproxy/add/"):
        assert staff_client.get(legacy).status_code == 404
    for user in (sme_contact.user, anchor_reviewer.user):
        client.force_login(user)
        for name, url in pages.items():
            assert _refused(client.get(url), client), f"{user.username} {name}"


SOURCING_ROUTES = [r for r in ROUTES if r.name in SOURCING_API and ".json" not in r.url]


def test_the_sourcing_matrix_names_every_sourcing_api_route():
    names = {r.name for r in ROUTES if r.name.startswith(("api:opportunit", "api:invitation", "api:sourcing-"))}
    assert names == set(SOURCING_API)


@pytest.mark.django_db
@pytest.mark.parametrize("route", SOURCING_ROUTES, ids=str)
def test_the_sourcing_api_refuses_the_roles_it_does_not_name(client, sme_contact, anchor_reviewer, provider, route):
    from tests.programs.factories import AnchorReviewerFactory

    administrator = AnchorReviewerFactory(is_administrator=True)
    users = {
        ANCHOR: (anchor_reviewer.user, administrator.user),
        SME: (sme_contact.user,),
        "provider": (provider.user,),
    }
    for method, allowed in SOURCING_API[route.name].items():
        for role, accounts in users.items():
            if role in allowed:
                continue
            for user in accounts:
                client.force_login(user)
                response = getattr(client, method)(route.url, content_type="application/json")
                assert response.status_code == 403, f"{role} {method.upper()} {route} -> {response.status_code}"
