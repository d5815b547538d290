"""A small fixed-window rate limiter on Django's cache (per IP and per email).

Limits are settings ``SDP_RATELIMIT_REGISTRATION_IP``, ``SDP_RATELIMIT_REGISTRATION_EMAIL``,
``SDP_RATELIMIT_PASSWORD_RESET_IP`` and ``SDP_RATELIMIT_PASSWORD_RESET_EMAIL`` as ``(attempts, seconds)``.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

DEFAULTS = {
    "SDP_RATELIMIT_REGISTRATION_IP": (20, 3600),
    "SDP_RATELIMIT_REGISTRATION_EMAIL": (5, 3600),
    "SDP_RATELIMIT_PASSWORD_RESET_IP": (10, 3600),
    "SDP_RATELIMIT_PASSWORD_RESET_EMAIL": (3, 3600),
}


def limit_for(setting: str) -> tuple[int, int]:
    return tuple(getattr(settings, setting, DEFAULTS[setting]))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the number of attempts in the window is within ``limit``."""
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    cache_key = f"sdp-rl:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def registration_allowed(request, email: str | None = None) -> bool:
    """Count a registration attempt by IP and (if given) by email; False when over either limit."""
    limit, window = limit_for("SDP_RATELIMIT_REGISTRATION_IP")
    ok = hit("register-ip", client_ip(request), limit=limit, window=window)
    if email:
        limit, window = limit_for("SDP_RATELIMIT_REGISTRATION_EMAIL")
        ok = hit("register-email", email, limit=limit, window=window) and ok
    return ok


def password_reset_allowed(request, email: str | None = None) -> bool:
    """Count a password reset request by IP and (if given) by email; False when over either limit."""
    limit, window = limit_for("SDP_RATELIMIT_PASSWORD_RESET_IP")
    ok = hit("reset-ip", client_ip(request), limit=limit, window=window)
    if email:
        limit, window = limit_for("SDP_RATELIMIT_PASSWORD_RESET_EMAIL")
        ok = hit("reset-email", email, limit=limit, window=window) and ok
    return ok


def too_many_requests(request, *, password_reset: bool = False):
    return render(request, "suppliers/rate_limited.html", {"password_reset": password_reset}, status=429)
