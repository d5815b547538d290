"""Load test of SDP on loopback (bench/load.sh runs it against gunicorn + PostgreSQL).

Two kinds of users:

- ``Registrant`` (weight 3): an SME signing up at ``/registro/`` (GET the form, POST name, a unique email and a
  valid password with the CSRF token, expect 302 to ``/registro/correo-enviado/``, GET that page), the public
  pages (home, privacy notice, login form) and a wrong-password login (PBKDF2 + lockout counter; expects the form
  again with 200).
- ``ProgramStaff`` (weight 1): program staff reading lists: the REST API with a token
  (``Authorization: Token <key>``; suppliers, diagnostics, candidates, cohorts with ``page_size=50``, filters and
  ordering; a diagnostic detail) and, logged in to the admin with a session, the admin change lists and the staff
  pages ``/staff/registrations/`` and ``/staff/audit/``.

Every request states the status codes it expects; anything else (any 5xx, a 429, a 403 ...) is a failure.
With ``SDP_EXPECT_RATELIMIT=1`` (the real registration limits, ``bench/load.sh`` with ``REAL_LIMITS=1``) a 429
on the sign-up POST is expected and counted apart as ``reg POST /registro/ (429 rate limited)``.

Per endpoint group (the first word of a request name: reg, public, login, api, admin, staff) the exact
requests, failures, median and p95 are written to ``$SDP_GROUPS_CSV`` at the end of the run.

Only 127.0.0.1 / localhost is ever targeted: any other host is refused.
"""

import csv
import os
import random
import re
import secrets
import statistics
import uuid
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

GROUP_TIMES: dict[str, list[float]] = {}
GROUP_FAILURES: dict[str, int] = {}

TOKEN = os.environ.get("SDP_STAFF_TOKEN", "")
STAFF_USERNAME = os.environ.get("SDP_STAFF_USERNAME", "load-staff")
STAFF_PASSWORD = os.environ.get("SDP_STAFF_PASSWORD", "Load-test-Passw0rd!")
EXPECT_RATELIMIT = os.environ.get("SDP_EXPECT_RATELIMIT", "0") == "1"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGNUP, SIGNUP_SENT = "/registro/", "/registro/correo-enviado/"
API = "/api/v1/"
ADMIN_LISTS = (
    "/admin/suppliers/supplier/",
    "/admin/cohorts/candidate/",
    "/admin/assessments/diagnostic/",
    "/admin/core/auditevent/",
)


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"refusing to load-test {host!r}: loopback (127.0.0.1) only")


@events.request.add_listener
def _per_group(name, response_time, exception, **kwargs):
    group = name.split()[0]
    GROUP_TIMES.setdefault(group, []).append(response_time)
    GROUP_FAILURES[group] = GROUP_FAILURES.get(group, 0) + (exception is not None)


@events.test_stop.add_listener
def _write_groups(environment, **kwargs):
    path = os.environ.get("SDP_GROUPS_CSV")
    if not path:
        return
    elapsed = max(environment.stats.total.last_request_timestamp - environment.stats.total.start_time, 1e-9)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "requests", "failures", "rps", "median_ms", "p95_ms"])
        for group, times in sorted(GROUP_TIMES.items()):
            cuts = statistics.quantiles(times, n=20, method="inclusive") if len(times) > 1 else times * 19
            writer.writerow(
                [
                    group,
                    len(times),
                    GROUP_FAILURES[group],
                    f"{len(times) / elapsed:.2f}",
                    f"{statistics.median(times):.0f}",
                    f"{cuts[18]:.0f}",
                ]
            )


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""


def _check(response, *expected: int, location: str | None = None) -> bool:
    """Mark a ``catch_response`` response failed unless its status (and redirect target) is the expected one."""
    if response.status_code not in expected:
        response.failure(f"HTTP {response.status_code}, expected {'/'.join(map(str, expected))}")
        return False
    if location is not None and urlparse(response.headers.get("Location", "")).path != location:
        response.failure(f"redirect to {response.headers.get('Location')!r}, expected {location}")
        return False
    response.success()
    return True


class Registrant(HttpUser):
    weight = 3
    wait_time = between(0.5, 1.5)

    def _get(self, path: str, name: str, *expected: int):
        with self.client.get(path, name=name, catch_response=True) as response:
            _check(response, *(expected or (200,)))
            return response

    @task(3)
    def register(self):
        page = self._get(SIGNUP, f"reg GET {SIGNUP}")
        token = _csrf(page.text)
        if not token:
            return
        email = f"carga-{uuid.uuid4().hex[:16]}@pyme.example.mx"
        password = f"Kq{secrets.token_urlsafe(12)}!7"  # >= 10 chars, not common, not numeric, unlike the email
        data = {
            "csrfmiddlewaretoken": token,
            "name": "Contacto de Carga",
            "email": email,
            "password1": password,
            "password2": password,
        }
        with self.client.post(
            SIGNUP, data=data, name=f"reg POST {SIGNUP}", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 429 and EXPECT_RATELIMIT:
                response.request_meta["name"] = f"reg POST {SIGNUP} (429 rate limited)"
                response.success()
                return
            ok = _check(response, 302, location=SIGNUP_SENT)
        if ok:
            self._get(SIGNUP_SENT, f"reg GET {SIGNUP_SENT}")

    @task(2)
    def public_pages(self):
        self._get("/", "public GET /")
        self._get("/aviso-de-privacidad/", "public GET /aviso-de-privacidad/")
        self._get("/accounts/login/", "public GET /accounts/login/")

    @task(1)
    def failed_login(self):
        page = self._get("/accounts/login/", "public GET /accounts/login/")
        data = {
            "csrfmiddlewaretoken": _csrf(page.text),
            "username": f"nadie{random.randint(1, 10**9)}",
            "password": "contrasena-equivocada",
        }
        with self.client.post(
            "/accounts/login/",
            data=data,
            name="login POST /accounts/login/ (wrong password)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _check(response, 200)


class ProgramStaff(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        page = self.client.get("/admin/login/", name="admin GET /admin/login/")
        with self.client.post(
            "/admin/login/?next=/admin/",
            name="admin POST /admin/login/",
            allow_redirects=False,
            catch_response=True,
            data={"csrfmiddlewaretoken": _csrf(page.text), "username": STAFF_USERNAME, "password": STAFF_PASSWORD},
        ) as r:
            _check(r, 302, location="/admin/")
        # Ids for the filtered lists and the detail: read once through the API itself.
        cohorts = self._api(f"{API}cohorts/?page_size=50&ordering=-year", "api GET cohorts (-year)")
        self.cohort_ids = [row["id"] for row in cohorts.get("results", [])]
        diagnostics = self._api(
            f"{API}diagnostics/?page_size=50&status=scheduled&ordering=-scheduled_for",
            "api GET diagnostics (status, -scheduled_for)",
        )
        self.diagnostic_ids = [row["id"] for row in diagnostics.get("results", [])]

    def _api(self, path: str, name: str) -> dict:
        headers = {"Authorization": f"Token {TOKEN}", "Accept": "application/json"}
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if _check(response, 200):
                return response.json()
        return {}

    @task(3)
    def api_suppliers(self):
        page = random.choice((1, 2, 3))
        self._api(
            f"{API}suppliers/?page_size=50&status=verified&ordering=-created_at&page={page}",
            "api GET suppliers (status=verified, -created_at)",
        )

    @task(1)
    def api_suppliers_search(self):
        self._api(
            f"{API}suppliers/?page_size=50&ordering=legal_name&search=Proveedora",
            "api GET suppliers (search, legal_name)",
        )

    @task(2)
    def api_diagnostics(self):
        self._api(
            f"{API}diagnostics/?page_size=50&status=scheduled&ordering=-scheduled_for",
            "api GET diagnostics (status, -scheduled_for)",
        )

    @task(2)
    def api_diagnostic_detail(self):
        if self.diagnostic_ids:
            self._api(f"{API}diagnostics/{random.choice(self.diagnostic_ids)}/", "api GET diagnostics/<id>/")

    @task(2)
    def api_candidates(self):
        cohort = f"&cohort={random.choice(self.cohort_ids)}" if self.cohort_ids else ""
        self._api(
            f"{API}candidates/?page_size=50{cohort}&ordering=-growth_index",
            "api GET candidates (cohort, -growth_index)",
        )

    @task(1)
    def api_cohorts(self):
        self._api(f"{API}cohorts/?page_size=50&ordering=-year", "api GET cohorts (-year)")

    @task(2)
    def admin_list(self):
        path = random.choice(ADMIN_LISTS)
        with self.client.get(path, name=f"admin GET {path}", allow_redirects=False, catch_response=True) as r:
            _check(r, 200)

    @task(1)
    def staff_pages(self):
        for path in ("/staff/registrations/", "/staff/audit/"):
            with self.client.get(path, name=f"staff GET {path}", allow_redirects=False, catch_response=True) as r:
                _check(r, 200)
