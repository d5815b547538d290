"""API throttles (settings: DEFAULT_THROTTLE_RATES ``anon`` and ``user``), at a constant cost per request.

DRF's ``SimpleRateThrottle`` keeps, per client, the list of its request times within the period and
reads, filters and writes that whole list back on every request: at the ``user`` rate of 5,000 an hour
an integration's list holds up to 5,000 timestamps (45 kB pickled), read and written through the cache
(Redis in production) on each call. These throttles count instead, with a sliding-window estimate:
the requests of the current fixed window plus those of the previous one weighted by how much of it
still overlaps the sliding period. Two small integers per client, one ``get_many`` and one atomic
``incr`` per request; a burst at a window boundary is limited as the sliding log limited it (within
the estimate's approximation), unlike a plain fixed window that would let twice the rate through.

With Django's Redis cache (production) the check and the count are one Lua script (``WINDOW_SCRIPT``):
one round trip to Redis per request instead of three (``get_many``; Django's ``incr`` asks ``EXISTS``
before ``INCRBY``), atomic, sent by ``EVALSHA`` on a connection of its own per thread (``WindowScript``;
through a redis-py client object a call took four times the Python of the command itself). The script
is sent when the request is checked and its answer read when the decision is needed (``start``): a
view whose rows are already read when it checks its throttles (``ThrottleAnswerLaterMixin``) does its
remaining work while Redis answers, and still answers 429, as DRF's order has it, before anything the
view decided. Other caches take the same steps through the cache API. Both store the same counters
under the same keys.
"""

import functools
import hashlib
import math
import os
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework import exceptions, throttling
from rest_framework.settings import api_settings


class WindowCounterMixin(throttling.SimpleRateThrottle):
    """Sliding-window counter in place of ``SimpleRateThrottle``'s request log (see the module)."""

    scope: str
    num_requests: int  # set from the rate by SimpleRateThrottle.__init__
    duration: int

    def get_rate(self):
        # Read the rate when the request comes, so settings changes (and tests) take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        return self.start(request, view)()

    def start(self, request, view) -> Callable[[], bool]:
        """Count this request if it is allowed, and return the decision: a function that says whether it
        is. With Redis the script is sent now and its answer read when the function is called, so the
        caller can work meanwhile; other caches decide now."""
        if self.rate is None:
            return _ALLOWED
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return _ALLOWED
        self.now = self.timer()
        window = int(self.now // self.duration)
        current, previous = f"{self.key}:w{window}", f"{self.key}:w{window - 1}"
        self.elapsed = (self.now % self.duration) / self.duration  # of the current window, 0..1
        script = _window_script(self.cache)
        if script is not None:
            keys = [self.cache.make_and_validate_key(current), self.cache.make_and_validate_key(previous)]
            reply = script.send(keys, [repr(1 - self.elapsed), self.num_requests, 2 * self.duration])

            def decision() -> bool:
                allowed, self.previous_count = reply()
                return bool(allowed)

            return decision
        counts = self.cache.get_many([current, previous])
        self.previous_count = counts.get(previous, 0)
        estimate = self.previous_count * (1 - self.elapsed) + counts.get(current, 0)
        if estimate + 1 > self.num_requests:
            return _REFUSED
        try:
            self.cache.incr(current)
        except ValueError:  # the window's first request (or its key expired meanwhile)
            if not self.cache.add(current, 1, timeout=2 * self.duration):
                self.cache.incr(current)  # another request created it first
        return _ALLOWED

    def wait(self):
        """Seconds until a request would be allowed, if no other request comes meanwhile."""
        if not self.previous_count:  # only the current window counts: it ends
            return max(1.0, (1 - self.elapsed) * self.duration)
        # The previous window's weight falls as the period slides; the estimate drops below the
        # limit once previous * (1 - e) + current + 1 <= limit, or at the latest when this window ends.
        current = self.cache.get(f"{self.key}:w{int(self.now // self.duration)}", 0)
        room = self.num_requests - 1 - current
        if room < 0:
            return max(1.0, (1 - self.elapsed) * self.duration)
        target = 1 - room / self.previous_count  # elapsed fraction at which the estimate fits
        return max(1.0, math.ceil((target - self.elapsed) * self.duration))


# KEYS: the current and the previous window's counters; ARGV: the previous window's weight (1 - elapsed),
# the limit, the counters' lifetime in seconds. Returns {allowed (0/1), the previous window's count}.
# The same arithmetic as ``allow_request`` (Lua numbers are doubles, like Python's floats).
WINDOW_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if previous * tonumber(ARGV[1]) + current + 1 > tonumber(ARGV[2]) then
    return {0, previous}
end
if redis.call('INCR', KEYS[1]) == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return {1, previous}
"""


def _allowed() -> bool:
    return True


def _refused() -> bool:
    return False


_ALLOWED, _REFUSED = _allowed, _refused


def _decided(allowed: bool) -> Callable[[], bool]:
    return _ALLOWED if allowed else _REFUSED


class WindowScript:
    """``WINDOW_SCRIPT`` on a Redis server, by ``EVALSHA`` on one connection per thread (and process) made
    from a connection pool's settings. ``send`` writes the command and returns a function that reads its
    answer; a command whose answer was never read (the request failed meanwhile) is read before the
    next is sent, so an answer is never taken for another's. A connection that Redis closed (a restart)
    is opened again once; a script Redis does not know (after ``SCRIPT FLUSH`` or a restart) is sent
    whole by ``EVAL``, which also caches it."""

    def __init__(self, pool):
        self.pool = pool
        self.sha = hashlib.sha1(WINDOW_SCRIPT.encode(), usedforsecurity=False).hexdigest()
        self.local = threading.local()

    def _connection(self):
        local = self.local
        if getattr(local, "pid", None) != os.getpid():  # never a connection of the parent process
            local.pid, local.connection, local.unread = os.getpid(), None, 0
        if local.connection is None:
            local.connection = self.pool.connection_class(**self.pool.connection_kwargs)
        return local.connection

    def send(self, keys: list, args: list) -> Callable[[], Any]:
        from redis.exceptions import ConnectionError, NoScriptError

        connection = self._connection()
        local = self.local
        while local.unread:  # an answer left unread by a request that failed meanwhile
            local.unread -= 1
            try:
                connection.read_response()
            except Exception:  # noqa: BLE001 - an error reply, or a lost connection (opened again below)
                local.unread = 0
        command = ("EVALSHA", self.sha, len(keys), *keys, *args)
        try:
            connection.send_command(*command, check_health=False)
        except ConnectionError:  # a connection Redis closed: redis-py closed it too, and opens it again
            connection.send_command(*command, check_health=False)
        local.unread += 1
        sent = True

        def answer():
            nonlocal sent
            if not sent:  # read once
                raise RuntimeError("The answer was read already.")
            sent = False
            local.unread -= 1
            try:
                return connection.read_response()
            except NoScriptError:
                connection.send_command("EVAL", WINDOW_SCRIPT, *command[2:], check_health=False)
            except ConnectionError:  # a connection Redis closed: once more on a new one, as redis-py retries
                connection.disconnect()
                connection.send_command(*command, check_health=False)
            return connection.read_response()

        return answer

    def __call__(self, keys: list, args: list):
        return self.send(keys, args)()


def _window_script(backend) -> WindowScript | None:
    """The window script on ``backend``'s Redis server (its write pool), or None for other caches."""
    if isinstance(backend, ConnectionProxy):  # django.core.cache.cache, which DRF's throttles use
        backend = caches[backend._alias]
    if not isinstance(backend, RedisCache):
        return None
    client: Any = backend._cache  # Django's RedisCacheClient: its pools
    return _script_for_pool(client._get_connection_pool(write=True))


@functools.cache
def _script_for_pool(pool) -> WindowScript:
    return WindowScript(pool)


class ThrottleAnswerLaterMixin:
    """A view that, when its rows are already read as it checks its throttles (``throttles_answer_later``),
    sends the throttles' counts and reads their answers once its handler is done: Redis answers while the
    handler works. A refusal still wins over anything the handler decided (a 429, as DRF checks throttles
    before the handler runs), with DRF's ``Retry-After``; throttles other than ``WindowCounterMixin`` decide
    at once."""

    def throttles_answer_later(self, request) -> bool:
        """Whether the handler reads nothing more of the database (it may then run before the throttles
        answer): False here, to be said by each view."""
        return False

    def check_throttles(self, request):
        if not self.throttles_answer_later(request):
            super().check_throttles(request)  # type: ignore[misc]
            return
        answers = []
        for throttle in self.get_throttles():  # type: ignore[attr-defined]
            if isinstance(throttle, WindowCounterMixin):
                answers.append((throttle, throttle.start(request, self)))
            else:
                answers.append((throttle, _decided(throttle.allow_request(request, self))))
        self._sdp_throttle_answers = answers

    def _throttle_refusal(self):
        """Read the throttles' answers (once); the exception DRF raises if one refuses, else None."""
        answers = self.__dict__.pop("_sdp_throttle_answers", None)
        if not answers:
            return None
        durations = [throttle.wait() for throttle, allowed in answers if not allowed()]
        if not durations:
            return None
        try:
            self.throttled(self.request, max((d for d in durations if d is not None), default=None))  # type: ignore[attr-defined]
        except exceptions.APIException as exc:
            return exc
        return None

    def handle_exception(self, exc):
        refusal = self._throttle_refusal()
        return super().handle_exception(refusal or exc)  # type: ignore[misc]

    def finalize_response(self, request, response, *args, **kwargs):
        refusal = self._throttle_refusal()
        if refusal is not None:
            response = self.handle_exception(refusal)
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]


class AnonThrottle(WindowCounterMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(WindowCounterMixin, throttling.UserRateThrottle):
    pass
