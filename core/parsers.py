"""The API's JSON parser, bounded: a body too deep or too big is a 400, never a RecursionError.

Python's ``json`` module recurses once per nested array or object, so a body of a few thousand ``[``
exhausts the stack (an HTML 500). ``BoundedJSONParser`` refuses, before parsing, a body larger than
``SDP_API_MAX_JSON_BYTES`` or nested deeper than ``SDP_API_MAX_JSON_DEPTH`` (no SDP endpoint takes
more than a few levels), and answers with the documented 400 body (docs/api.md).
"""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings

DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_BYTES = 1024 * 1024


def max_depth() -> int:
    return int(getattr(settings, "SDP_API_MAX_JSON_DEPTH", DEFAULT_MAX_DEPTH))


def max_bytes() -> int:
    return int(getattr(settings, "SDP_API_MAX_JSON_BYTES", DEFAULT_MAX_BYTES))


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _refuse(message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]}, code="parse_error")


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = max_bytes()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _refuse(_("The request body is too large (at most %(n)s bytes).") % {"n": limit})
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise _refuse(_("The request body is not valid JSON.")) from exc
        if json_depth(text) > max_depth():
            raise _refuse(_("The JSON body is nested too deeply (at most %(n)s levels).") % {"n": max_depth()})
        try:
            return json.loads(text, parse_constant=self._refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise _refuse(_("The request body is not valid JSON.")) from exc

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")
