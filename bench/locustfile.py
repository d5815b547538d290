"""Load test of SDP on loopback (bench/load.sh runs it against gunicorn + PostgreSQL).

Two kinds of users:
- ``Registrant``: an SME filling the registration page (GET the form, POST it)
  when the build has one (``SDP_REGISTER_PATH``, default ``/suppliers/register/``),
  plus the public pages and the login form (a write: session + lockout counter).
- ``ProgramStaff``: staff reading list endpoints: every list endpoint of
  ``/api/v1/`` (discovered from the API root with the staff token), the admin
  change lists of suppliers, candidates and audit events, and ``/staff/audit/``.

Only 127.0.0.1 is ever targeted: the host is refused otherwise.
"""
import itertools
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

TOKEN = os.environ.get("SDP_STAFF_TOKEN", "")
STAFF_USERNAME = os.environ.get("SDP_STAFF_USERNAME", "load-staff")
STAFF_PASSWORD = os.environ.get("SDP_STAFF_PASSWORD", "Load-test-Passw0rd!")
REGISTER_PATH = os.environ.get("SDP_REGISTER_PATH", "/suppliers/register/")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_serial = itertools.count(1)


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"refusing to load-test {host!r}: loopback only")


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""


def rfc_moral(n: int) -> str:
    """A well-formed RFC of a legal entity (3 letters, YYMMDD, 3 chars)."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    head = "".join(letters[(n // 23**i) % 23] for i in range(3))
    return f"{head}{(n % 28) + 1:02d}{(n // 28) % 12 + 1:02d}{(n % 28) + 1:02d}A{n % 10}{(n // 10) % 10}"


class Registrant(HttpUser):
    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self):
        with self.client.get(REGISTER_PATH, name="registration form", catch_response=True) as response:
            self.has_registration = response.status_code == 200
            if response.status_code == 404:
                response.success()  # this build has no registration page yet: exercised below instead

    @task(3)
    def register(self):
        if not self.has_registration:
            return
        page = self.client.get(REGISTER_PATH, name="registration form")
        n = os.getpid() * 100000 + next(_serial)
        fields = {
            "csrfmiddlewaretoken": _csrf(page.text), "legal_name": f"Maquiladora Carga {n} SA de CV",
            "trade_name": f"Carga {n}", "rfc": rfc_moral(n), "person_type": "moral", "state": "11",
            "municipality": "León", "scian_code": "336390", "sector": "industria", "employees": "40",
            "annual_sales_mdp": "20", "export_share": "10", "contact_name": f"Contacto {n}",
            "contact_email": f"carga{n}@pyme.example.mx", "email": f"carga{n}@pyme.example.mx",
            "contact_phone": "+524771234567", "accept_privacy_notice": "on", "privacy": "on",
        }
        with self.client.post(REGISTER_PATH, data=fields, name="registration submit", catch_response=True,
                              allow_redirects=False) as response:
            if response.status_code >= 500:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()  # 302 registered, 200 = form with field errors (bad input is not an error)

    @task(2)
    def public_pages(self):
        self.client.get("/", name="home")
        self.client.get("/accounts/login/", name="login form")

    @task(1)
    def failed_login(self):
        page = self.client.get("/accounts/login/", name="login form")
        self.client.post("/accounts/login/", name="login submit (wrong password)", data={
            "csrfmiddlewaretoken": _csrf(page.text), "username": f"nobody{random.randint(1, 10**9)}",
            "password": "wrong"})


class ProgramStaff(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)
    ADMIN_LISTS = ("/admin/suppliers/supplier/", "/admin/programs/candidate/", "/admin/core/auditevent/")

    def on_start(self):
        page = self.client.get("/admin/login/", name="admin login form")
        self.client.post("/admin/login/?next=/admin/", name="admin login", data={
            "csrfmiddlewaretoken": _csrf(page.text), "username": STAFF_USERNAME, "password": STAFF_PASSWORD})
        self.api_lists = []
        if TOKEN:
            root = self.client.get("/api/v1/", headers=self._auth, name="api root")
            if root.status_code == 200:
                self.api_lists = [urlparse(url).path for url in root.json().values() if isinstance(url, str)]

    @property
    def _auth(self):
        return {"Authorization": f"Token {TOKEN}", "Accept": "application/json"}

    @task(3)
    def api_list(self):
        if self.api_lists:
            path = random.choice(self.api_lists)
            self.client.get(path, headers=self._auth, name=f"api {path}")

    @task(2)
    def admin_list(self):
        path = random.choice(self.ADMIN_LISTS)
        self.client.get(path, name=f"admin {path}")

    @task(1)
    def audit_page(self):
        self.client.get("/staff/audit/", name="staff audit")
