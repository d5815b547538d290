"""The API's renderers: JSON encoded by orjson, and the browsable API for staff, bounded at national scale.

DRF's ``BrowsableAPIRenderer`` renders, on every HTML page, the filter form (django-filter draws a
``<select>`` of every candidate, supplier or diagnostic a filter can name: 94,000 options, one query
each for their labels) and an HTML form per write method (a ``<select>`` per related field, up to
1,000 options, ~1,000 queries). At 100,000 SMEs that took pages from milliseconds to minutes. This
renderer keeps the page, the response and the raw-data form (JSON in a text area, which the write
methods accept); filters are given in the query string, as the OpenAPI schema lists them.
"""

import orjson
from rest_framework import renderers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.utils import encoders


class BoundedBrowsableAPIRenderer(BrowsableAPIRenderer):
    def get_filter_form(self, data, view, request):
        return None

    def get_rendered_html_form(self, data, view, method, request):
        return None


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer with the encoding done by orjson, to the same bytes.

        DRF's renderer encodes with the standard library's ``json`` and its encoder class; on a 50-row
        supplier page that was about a tenth of the request in Python. orjson writes the same compact UTF-8
        JSON (DRF's ``COMPACT_JSON`` and ``UNICODE_JSON``); what it does not encode itself is handed to DRF's
        encoder (``Decimal``, lazy translations, and dates and times, so that they keep DRF's format: ISO 8601
        with milliseconds and ``Z``), and U+2028/U+2029 are escaped as DRF escapes them. Anything else goes
        through DRF's own renderer: an indented response (``Accept: application/json; indent=4``, the browsable
        API), settings other than the defaults, and what orjson refuses (integers beyond 64 bits, keys that are
        not strings). Floats are written with the shortest representation, as ``json`` does, except that an
        exponent is written ``1e16`` and numbers under 0.0001 in decimals (``json``: ``1e+16``, ``1e-05``): the
        same numbers to any JSON reader; NaN and infinities, which DRF's strict renderer refuses (a server error),
    are written ``null``. ``tests/api/test_json_renderer.py`` compares the two.
    """

    _OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or not self.strict
            or (accepted_media_type and ";" in accepted_media_type)  # maybe "; indent=4"
            or (renderer_context and renderer_context.get("indent") is not None)
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_encoder.default, option=self._OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:  # DRF escapes them for JavaScript
            body = body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
        return body


_encoder = encoders.JSONEncoder()
