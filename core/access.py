"""Page access by a permission check: the one place a view turns a check into login or 403.

A check is a plain function ``check(user) -> (allowed, reason)`` owned by an app's ``permissions.py``
(``can_edit_diagnostics``, ``can_view_reports`` ...). Anonymous users are sent to the login page and
come back afterwards; signed-in users the check refuses get 403 with the check's reason. Deny by default:
a check that does not say yes refuses.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

Check = Callable[[Any], tuple[bool, str]]


def refusal(request: HttpRequest, check: Check) -> HttpResponse | None:
    """None when ``check`` lets the request's user in; else the login redirect (anonymous). Raises
    PermissionDenied (403) for a signed-in user it refuses."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    allowed, reason = check(request.user)
    if allowed is not True:
        raise PermissionDenied(reason)
    return None


def requires(check: Check) -> Callable:
    """Decorate a function view so that only users ``check`` allows reach it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return refusal(request, check) or view(request, *args, **kwargs)

        return wrapper

    return decorator


class RequiresMixin:
    """The class-based form of ``requires``: set ``access_check``."""

    access_check: Check

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return refusal(request, type(self).access_check) or super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
