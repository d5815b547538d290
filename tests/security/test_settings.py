"""Production settings pass the deploy check; CSP, lockout and password rules are in force."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parent.parent.parent


SERVICES = {
    "DATABASE_URL": "postgres://sdp@db.example.mx:5432/sdp",
    "CELERY_BROKER_URL": "redis://cache.example.mx:6379/0",
    "REDIS_CACHE_URL": "redis://cache.example.mx:6379/1",
}
SECRETS = {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "sdp.example.mx"}


def _manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_")) and k not in SERVICES
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **SERVICES,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="sdp.example.mx",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_ALLOWED_HOSTS": "sdp.example.mx"},  # no secret key
        {"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "sdp.example.mx"},
        {"DJANGO_SECRET_KEY": "x" * 60},  # no allowed hosts
    ],
)
def test_production_refuses_to_start_without_secrets_and_hosts(env):
    result = _manage("check", **SERVICES, **env)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("missing", sorted(SERVICES))
def test_production_refuses_to_start_without_its_services_naming_the_variable(missing):
    result = _manage("check", **{k: v for k, v in SERVICES.items() if k != missing}, **SECRETS)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set in production" in result.stderr


def test_production_refuses_a_database_other_than_postgresql():
    result = _manage("check", **{**SERVICES, "DATABASE_URL": "sqlite:///db.sqlite3"}, **SECRETS)
    assert result.returncode != 0 and "DATABASE_URL must name a PostgreSQL database" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # only our origin (plus the per-request nonce once a template uses it)
    assert directives["script-src"].split()[0] == "'self'" and "http" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # no inline event handlers or inline scripts without the nonce in the page
    html = response.content.decode()
    assert "onchange=" not in html and "onclick=" not in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_json_responses_carry_a_policy_that_allows_nothing(client, staff_user):
    """The API renders no document: a fixed policy (OWASP's for APIs); its HTML pages keep the pages' one."""
    client.force_login(staff_user)
    for url in ("/api/v1/states/", "/api/v1/no-such-thing/"):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response["Content-Type"].startswith("application/json")
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    html = client.get("/api/v1/states/", HTTP_ACCEPT="text/html")
    assert "default-src 'self'" in html.headers["Content-Security-Policy"]


@pytest.mark.parametrize("password", ["short1", "1234567890123", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted():
    validate_password("Troquel-Bajio-2025!")
