"""Requests whose rows are read with the token count against the throttles while the view works
(``core.throttling.ThrottleAnswerLaterMixin``): the limits are the same, exactly, and a refusal answers 429
before anything the view decided, as when the throttles are checked before the view.

The first tests run on any cache (the decision is taken at once); those marked ``integration`` on Django's
Redis cache, where the script is sent before the view works and its answer read after it.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assessments import selectors
from core import throttling
from core.throttling import UserThrottle
from core.tokens import create_token
from tests.api.test_tokens_and_errors import _Clock
from tests.assessments.factories import DiagnosticFactory
from tests.programs.factories import UserFactory

pytestmark = pytest.mark.django_db

RATES = {"DEFAULT_THROTTLE_RATES": {"anon": "4/minute", "user": "4/minute"}}


def _redis_cache() -> dict:
    base, _, _db = settings.CELERY_BROKER_URL.rpartition("/")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{base}/12"}}


@pytest.fixture
def token_client(monkeypatch):
    """A staff member's token client, the throttles' clock stopped 50 s into a minute."""
    monkeypatch.setattr(UserThrottle, "timer", _Clock(600 * 1000 + 50))
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(UserFactory(username='staff', staff=True))[1]}")
    return client


def _statuses(client, paths) -> list[int]:
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **RATES}):
        return [client.get(path).status_code for path in paths]


def _scenario(client) -> list:
    """Detail and list requests of one staff member: four are let through, then each is refused, a detail
    that does not exist as well (429, not 404: the throttles come before the view)."""
    diagnostic = DiagnosticFactory()
    detail, missing = f"/api/v1/diagnostics/{diagnostic.pk}/", f"/api/v1/diagnostics/{diagnostic.pk + 1000}/"
    paths = [detail, "/api/v1/suppliers/?ordering=-employees", missing, detail, detail, missing, "/api/v1/suppliers/"]
    statuses = _statuses(client, paths)
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **RATES}):
        refused = client.get(detail)
    return [statuses, refused.json(), int(refused["Retry-After"]), refused["Content-Type"]]


def _expected(answers) -> None:
    statuses, body, retry_after, content_type = answers
    assert statuses == [200, 200, 404, 200, 429, 429, 429]
    assert body["code"] == "throttled" and body["detail"]
    assert retry_after == 10 and content_type == "application/json"  # 10 s left of the window


def test_token_reads_are_throttled_at_their_limits(token_client):
    cache.clear()
    _expected(_scenario(token_client))
    cache.clear()


def test_the_answer_is_read_after_the_view_and_the_refusal_wins(token_client, monkeypatch):
    """On any cache the decision is the same: a view that fails (a server error) after being refused by
    the throttles answers 429, and one allowed keeps its own answer."""
    cache.clear()
    diagnostic = DiagnosticFactory()

    def failing(row):
        raise RuntimeError("the view fails")

    monkeypatch.setattr(selectors, "diagnostic_detail_values", failing)
    statuses = _statuses(token_client, [f"/api/v1/diagnostics/{diagnostic.pk}/"] * 5)
    assert statuses == [500, 500, 500, 500, 429]
    cache.clear()


def test_session_and_forced_requests_check_their_throttles_first(monkeypatch):
    """Requests whose rows are not read with a token check the throttles before the view runs."""
    cache.clear()
    monkeypatch.setattr(UserThrottle, "timer", _Clock(600 * 1000 + 50))
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(UserFactory(username="staff", staff=True))
    diagnostic = DiagnosticFactory()
    ran = []
    real = selectors.diagnostic_detail_get
    monkeypatch.setattr(selectors, "diagnostic_detail_get", lambda *a, **k: ran.append(1) or real(*a, **k))
    assert _statuses(client, [f"/api/v1/diagnostics/{diagnostic.pk}/"] * 6) == [200] * 4 + [429] * 2
    assert len(ran) == 4  # the refused requests never reached the view
    cache.clear()


@pytest.mark.integration
def test_on_redis_the_script_is_sent_before_the_view_and_read_after(token_client, monkeypatch):
    with override_settings(CACHES=_redis_cache()):
        cache.clear()
        events = []
        script = throttling._window_script(cache)
        assert script is not None
        send = script.send

        def spy_send(keys, args):
            events.append("sent")
            answer = send(keys, args)
            return lambda: events.append("read") or answer()

        monkeypatch.setattr(script, "send", spy_send)
        real = selectors.diagnostic_detail_values
        monkeypatch.setattr(selectors, "diagnostic_detail_values", lambda row: events.append("view") or real(row))
        answers = _scenario(token_client)
        _expected(answers)
        # Each detail with a row: sent, the view built it, then the answer read; the refused ones too
        # (their view's work is dropped), and the second refused answer also reads the remaining count.
        assert events[:3] == ["sent", "view", "read"]
        assert events.count("sent") == events.count("read") == 8
        cache.clear()


@pytest.mark.integration
def test_on_redis_each_token_read_makes_one_query(token_client):
    with override_settings(CACHES=_redis_cache()):
        cache.clear()
        diagnostic = DiagnosticFactory()
        for path in (f"/api/v1/diagnostics/{diagnostic.pk}/", "/api/v1/suppliers/?status=verified"):
            with CaptureQueriesContext(connection) as queries:
                assert token_client.get(path).status_code == 200
            assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 1, path
        cache.clear()


@pytest.mark.integration
def test_the_script_connection_recovers(token_client):
    """An answer left unread is read before the next command; a script Redis forgot is sent again whole; a
    connection Redis closed is opened again."""
    with override_settings(CACHES=_redis_cache()):
        cache.clear()
        script = throttling._window_script(cache)
        assert script is not None
        keys = [cache.make_and_validate_key("recover:w1"), cache.make_and_validate_key("recover:w0")]
        script.send(keys, ["0.5", 10, 120])  # never read (a request that failed)
        assert script(keys, ["0.5", 10, 120]) == [1, 0]
        assert cache.get("recover:w1") == 2
        client = cache._cache.get_client(write=True)
        client.script_flush()
        assert script(keys, ["0.5", 10, 120]) == [1, 0]
        connection_id = script._connection().send_command("CLIENT", "ID") or script._connection().read_response()
        client.client_kill_filter(_id=connection_id)
        assert script(keys, ["0.5", 10, 120]) == [1, 0]
        assert cache.get("recover:w1") == 4
        cache.clear()
