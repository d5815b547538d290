"""``/health/``: 200 when the database, broker and worker answer; 503 with the failing part named otherwise."""

import pytest

from config.celery_app import app

pytestmark = pytest.mark.django_db


def test_embedded_default_reports_in_process_tasks_as_ok(client, settings):
    settings.CELERY_BROKER_URL = ""  # the embedded default: no broker, tasks in-process
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"] == {**body["checks"]["broker"], "status": "ok", "mode": "in-process"}
    assert body["checks"]["worker"]["mode"] == "in-process"
    assert response.headers["Cache-Control"].startswith("max-age=0")


@pytest.fixture
def not_eager():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = before


def test_unreachable_broker_gives_503(client, settings, not_eager):
    from socket import socket

    with socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["broker"]["status"] == "error" and checks["broker"]["error"] == "ConnectionError"
    assert checks["worker"]["status"] == "error"


def test_health_only_answers_get(client):
    assert client.post("/health/").status_code == 405


def test_database_down_gives_503(client, monkeypatch):
    from django.db import OperationalError

    from core import health

    class DownConnection:
        pg_version = 150000

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        **response.json()["checks"]["database"],
        "status": "error",
        "error": "OperationalError",
    }
