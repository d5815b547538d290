"""Spanish first: the language is the one the person chose (language cookie), else es-MX.

Django's LocaleMiddleware would follow the browser's Accept-Language header,
so an SME on a phone set to English would land on English pages. The program
speaks Spanish first; English is one click away in the top bar and then sticks.

API clients (``/api/``) choose with ``Accept-Language`` (e.g. ``en``), since
programs have no language cookie; without it they get Spanish too.
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant, trans_real


class SpanishFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not chosen and request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            chosen = self._from_header(request.headers["Accept-Language"])
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if request.path.startswith("/api/") else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _from_header(header: str) -> str:
        for code, _quality in trans_real.parse_accept_lang_header(header):
            try:
                return get_supported_language_variant(code)
            except LookupError:
                continue
        return ""


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, except for JSON responses (the API, health checks): they render no
    document, so they get a fixed policy that allows nothing (``default-src 'none'; frame-ancestors
    'none'``, as OWASP recommends for APIs) instead of the pages' policy, built per response (a
    tenth of an API detail request's time in Python)."""

    JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/json"):
            response.headers.setdefault("Content-Security-Policy", self.JSON_POLICY)
            return response
        return super().process_response(request, response)


def is_token_api_request(request) -> bool:
    """An API request that carries a token (``Authorization: Token ...``) and no cookie. DRF authenticates
    it by the token alone (a token header is never passed on to the session), and with no cookie it has
    no session, no participation chosen in one and no messages; the API adds no message and reads no
    session. The session, authentication, participation and message middlewares have nothing to do for
    it and step aside (``TokenRequestsBypass``; tests/core/test_token_request_middleware.py compares the
    answers with those of Django's own middlewares)."""
    meta = request.META
    return (
        request.path_info.startswith("/api/")
        and meta.get("HTTP_AUTHORIZATION", "")[:6].lower() == "token "
        and not meta.get("HTTP_COOKIE")
    )


class TokenRequestsBypass:
    """A middleware that passes token API requests (``is_token_api_request``) straight on."""

    get_response: Callable
    async_mode = False

    def __call__(self, request):
        if not self.async_mode and is_token_api_request(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(TokenRequestsBypass, sessions_middleware.SessionMiddleware):
    """Django's, stepping aside for token API requests."""


class AuthenticationMiddleware(TokenRequestsBypass, auth_middleware.AuthenticationMiddleware):
    """Django's, stepping aside for token API requests (DRF sets ``request.user`` from the token)."""


class MessageMiddleware(TokenRequestsBypass, messages_middleware.MessageMiddleware):
    """Django's, stepping aside for token API requests."""
