import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Integration tests need the real services (Redis, a Celery worker, the machine's PostgreSQL); they run
    when SDP_INTEGRATION=1 (``./scripts/test.sh --services``, as .ci/run does).

    Outside that run they are skipped, except under CI=true, where a missing
    service must fail the run rather than be skipped.
    """
    if os.environ.get("SDP_INTEGRATION") == "1" or IN_CI:
        return
    skip = pytest.mark.skip(reason="integration test: run ./scripts/test.sh --services (PostgreSQL, Redis, a worker)")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _live_server_sends_without_delay():
    """The live server (browser tests, schemathesis, the generated client) answers on keep-alive connections
    and writes a response's headers and body apart: with Nagle's algorithm the body waits for the client's
    delayed acknowledgement of the headers, about 40 ms a request. Its sockets send at once."""
    from django.test.testcases import QuietWSGIRequestHandler

    QuietWSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture
def staff_user(db):
    from tests.programs.factories import UserFactory

    return UserFactory(username="staff", staff=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def anchor_reviewer(db):
    from tests.programs.factories import AnchorReviewerFactory

    return AnchorReviewerFactory()


@pytest.fixture
def sme_contact(db):
    from tests.suppliers.factories import ContactFactory

    return ContactFactory(with_user=True)


@pytest.fixture
def provider(db):
    """A consultant with an account in the provider role, assigned to no SME."""
    from django.contrib.auth.models import Group

    from core import roles
    from support.models import Provider
    from tests.programs.factories import ProgramFactory, UserFactory

    user = UserFactory(username="consultor")
    user.groups.add(Group.objects.get_or_create(name=roles.PROVIDER_GROUP)[0])
    return Provider.objects.create(program=ProgramFactory(), user=user, kind=Provider.Kind.CONSULTANT, name="Consultor")


def _services_configured() -> str | None:
    """None when this run has a Redis broker, else what is missing."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return "no Redis broker (set CELERY_BROKER_URL)"
    return None


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process, consuming from Redis and writing to the test database."""
    import subprocess
    import sys
    import time
    from pathlib import Path
    from urllib.parse import quote

    from django.db import connection

    from config.celery_app import app

    missing = _services_configured()
    if missing:
        pytest.fail(f"integration test needs the real services: {missing}")
    db = connection.settings_dict
    user = quote(db["USER"] or "postgres", safe="")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "127.0.0.1", safe="")  # a socket directory is a path: percent-encoded
    db_url = f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SDP_CELERY_EAGER": "0",
    }
    app.control.purge()
    log_path = Path(__file__).resolve().parent.parent / "var" / "test-celery-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"sdp-test-{os.getpid()}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Celery worker exited early; see {log_path}")
        if app.control.ping(timeout=1.0):
            break
    else:
        proc.terminate()
        pytest.fail(f"Celery worker did not answer a ping in 60 s; see {log_path}")
    app.conf.task_always_eager = False
    try:
        yield proc
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value or the time is up."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def get_ok(client, *args, status: int = 200, **kwargs):
    """``client.get(...)`` that asserts the response's status: a query count is only meaningful for the
    page that was meant (a 302 to the login page or a 403 runs far fewer queries)."""
    response = client.get(*args, **kwargs)
    assert response.status_code == status, (response.status_code, getattr(response, "url", ""))
    return response
