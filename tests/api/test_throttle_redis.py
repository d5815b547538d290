"""The throttles on Django's Redis cache (one Lua script a request, on a connection of its own) decide as on any
other cache."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from core import throttling
from core.throttling import UserThrottle
from tests.api.test_tokens_and_errors import _Clock

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _redis_cache() -> dict:
    base, _, _db = settings.CELERY_BROKER_URL.rpartition("/")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"{base}/12"}}


def _decisions(api, monkeypatch) -> list[int]:
    """The statuses of the sliding-window scenario of test_tokens_and_errors, request by request."""
    clock = _Clock(600 * 1000 + 50)  # 50 s into a one-minute window
    monkeypatch.setattr(UserThrottle, "timer", clock)
    rates = {"DEFAULT_THROTTLE_RATES": {"anon": "10/minute", "user": "10/minute"}}
    statuses = []
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, **rates}):
        for step, n in ((0, 11), (15, 1), (30, 6), (300, 11)):
            clock.now += step
            statuses += [api.get("/api/v1/states/").status_code for _ in range(n)]
    return statuses


def test_redis_counts_in_one_script_and_decides_as_the_cache_api(api, staff_user, monkeypatch):
    api.force_authenticate(staff_user)
    cache.clear()
    generic = _decisions(api, monkeypatch)
    cache.clear()
    with override_settings(CACHES=_redis_cache()):
        cache.clear()
        assert throttling._window_script(cache) is not None
        calls = []
        script = throttling._window_script(cache)
        send = script.send
        monkeypatch.setattr(script, "send", lambda *a: calls.append(a) or send(*a))
        on_redis = _decisions(api, monkeypatch)
        assert len(calls) == len(on_redis)  # one script per request, nothing else
        key = f"throttle_user_{staff_user.pk}:w{int((600 * 1000 + 50 + 345) // 60)}"
        assert cache.get(key) == 10  # the counter as the cache API reads it
        client = cache._cache.get_client(write=True)
        assert 0 < client.ttl(cache.make_and_validate_key(key)) <= 120  # it expires after two windows
        cache.clear()
    assert on_redis == generic == [200] * 10 + [429] + [429] + [200] * 5 + [429] + [200] * 10 + [429]


def test_other_caches_take_the_cache_api():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        assert throttling._window_script(cache) is None
