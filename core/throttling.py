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
before ``INCRBY``), atomic, on a Redis client kept per connection pool (Django's cache builds a client
object, with its table of reply callbacks, on every call). Other caches take the same steps through
the cache API. Both store the same counters under the same keys.
"""

import functools
import math
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework import throttling
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
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current, previous = f"{self.key}:w{window}", f"{self.key}:w{window - 1}"
        self.elapsed = (self.now % self.duration) / self.duration  # of the current window, 0..1
        script = _window_script(self.cache)
        if script is not None:
            keys = [self.cache.make_and_validate_key(current), self.cache.make_and_validate_key(previous)]
            allowed, self.previous_count = script(keys, [repr(1 - self.elapsed), self.num_requests, 2 * self.duration])
            return bool(allowed)
        counts = self.cache.get_many([current, previous])
        self.previous_count = counts.get(previous, 0)
        estimate = self.previous_count * (1 - self.elapsed) + counts.get(current, 0)
        if estimate + 1 > self.num_requests:
            return False
        try:
            self.cache.incr(current)
        except ValueError:  # the window's first request (or its key expired meanwhile)
            if not self.cache.add(current, 1, timeout=2 * self.duration):
                self.cache.incr(current)  # another request created it first
        return True

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


def _window_script(backend):
    """The window script on a Redis client of ``backend``'s write pool, or None for other caches."""
    if isinstance(backend, ConnectionProxy):  # django.core.cache.cache, which DRF's throttles use
        backend = caches[backend._alias]
    if not isinstance(backend, RedisCache):
        return None
    client: Any = backend._cache  # Django's RedisCacheClient: its pools and its redis client class
    return _script_for_pool(client._get_connection_pool(write=True), client._client)


@functools.cache
def _script_for_pool(pool, client_class):
    return client_class(connection_pool=pool).register_script(WINDOW_SCRIPT)


class AnonThrottle(WindowCounterMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(WindowCounterMixin, throttling.UserRateThrottle):
    pass
