"""Spanish first: the language is the one the person chose (language cookie), else es-MX.

Django's LocaleMiddleware would follow the browser's Accept-Language header,
so an SME on a phone set to English would land on English pages. The program
speaks Spanish first; English is one click away in the top bar and then sticks.

API clients (``/api/``) choose with ``Accept-Language`` (e.g. ``en``), since
programs have no language cookie; without it they get Spanish too.
"""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
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
