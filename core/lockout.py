"""Login throttling: too many failed logins for a username from one IP lock that pair for a while.

Failures are counted in the cache under (username, IP) through the
``user_login_failed`` signal; ``LockoutModelBackend`` refuses to even check
the password of a locked pair (``PermissionDenied`` stops the backend chain),
so guessing stops working for ``SDP_LOGIN_LOCKOUT_SECONDS``. A successful
login clears the counter. In production the cache is Redis (REDIS_CACHE_URL),
shared by every gunicorn worker.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver


def _limit() -> int:
    return int(getattr(settings, "SDP_LOGIN_FAILURE_LIMIT", 5))


def _lockout_seconds() -> int:
    return int(getattr(settings, "SDP_LOGIN_LOCKOUT_SECONDS", 15 * 60))


def client_ip(request) -> str:
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") or "unknown"


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{(username or '').strip().lower()}|{ip}".encode()).hexdigest()
    return f"sdp:login-failures:{digest}"


def failures(username: str, ip: str) -> int:
    return int(cache.get(_key(username, ip), 0))


def is_locked(username: str, ip: str) -> bool:
    return failures(username, ip) >= _limit()


def register_failure(username: str, ip: str) -> int:
    key = _key(username, ip)
    if cache.add(key, 1, timeout=_lockout_seconds()):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_lockout_seconds())
        return 1
    cache.touch(key, _lockout_seconds())  # the lock lasts N minutes after the last failure
    return count


def clear(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))


@receiver(user_login_failed, dispatch_uid="sdp_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if request is not None and username:
        register_failure(username, client_ip(request))


@receiver(user_logged_in, dispatch_uid="sdp_logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    if request is not None:
        clear(user.get_username(), client_ip(request))


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked (username, IP) pairs before checking the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field(), "")
        if request is not None and username and is_locked(username, client_ip(request)):
            raise PermissionDenied("too many failed logins")
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
