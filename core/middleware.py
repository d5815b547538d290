"""Spanish first: the language is the one the person chose (language cookie), else es-MX.

Django's LocaleMiddleware would follow the browser's Accept-Language header,
so an SME on a phone set to English would land on English pages. The program
speaks Spanish first; English is one click away in the top bar and then sticks.
"""
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SpanishFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
