"""Content negotiation: DRF's, with the two commonest answers reached without parsing the Accept header.

Nearly every API request names no format and sends ``Accept: application/json`` (or ``*/*``, or no Accept
header at all). For those DRF's algorithm always ends the same way: ``application/json`` is served by the
first renderer if that renderer's media type is exactly ``application/json``, and anything (``*/*``) by the
first renderer when its media type carries no parameters. ``ContentNegotiation`` answers these cases so
directly and leaves every other request to DRF (tests compare the two over headers, renderer orders and
formats). Nothing about the client is remembered between requests."""

from rest_framework.negotiation import DefaultContentNegotiation

JSON = "application/json"


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        override = self.settings.URL_FORMAT_OVERRIDE
        if renderers and not format_suffix and not (override and override in request.query_params):
            first = renderers[0]
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            if accept == JSON and first.media_type == JSON:
                return first, JSON
            if accept == "*/*" and ";" not in first.media_type:
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
