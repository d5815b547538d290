"""SDP's content negotiation answers every request as DRF's does: the renderer and media type, or the
refusal, over Accept headers, renderer orders, format suffixes and the format query parameter."""

import itertools

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.negotiation import ContentNegotiation
from core.renderers import JSONRenderer as OrjsonRenderer


class IndentedJSON(BaseRenderer):
    media_type = "application/json; indent=4"
    format = "json"


class CSV(BaseRenderer):
    media_type = "text/csv"
    format = "csv"


ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/json, */*",
    "application/*",
    "text/html",
    "text/csv",
    "application/xml",
    "*/*; q=0.5",
    "application/json;q=0.9, text/html",
    "",
    "  application/json",
]
RENDERER_SETS = [
    [OrjsonRenderer, BrowsableAPIRenderer],
    [BrowsableAPIRenderer, OrjsonRenderer],
    [IndentedJSON, JSONRenderer],
    [CSV, JSONRenderer],
    [JSONRenderer],
    [],
]


def _answer(negotiation, accept, renderer_classes, suffix, query):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/v1/states/" + query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, [c() for c in renderer_classes], suffix)
    except NotAcceptable:
        return "406"
    except Http404:  # a format no renderer has
        return "404"
    return type(renderer), media_type


@pytest.mark.parametrize("renderer_classes", RENDERER_SETS, ids=lambda s: "+".join(c.__name__ for c in s) or "none")
def test_every_request_is_negotiated_as_drf_negotiates_it(renderer_classes):
    answers = set()
    for accept, suffix, query in itertools.product(ACCEPTS, [None, "json", "api"], ["", "?format=json", "?format=api"]):
        ours = _answer(ContentNegotiation(), accept, renderer_classes, suffix, query)
        assert ours == _answer(DefaultContentNegotiation(), accept, renderer_classes, suffix, query), (
            accept,
            suffix,
            query,
        )
        answers.add(ours)
    assert len(answers) >= (2 if len(renderer_classes) > 1 else 1)


def test_the_api_uses_it():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS is ContentNegotiation
