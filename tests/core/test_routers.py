"""The API router groups each resource's routes under its prefix and resolves every path as DRF's
``DefaultRouter`` does: the same view, actions, URL name and arguments, for every route and format suffix."""

import re

import pytest
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from rest_framework.routers import DefaultRouter

from config import api_router
from core.routers import GroupedRouter


def _resolver(patterns) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), patterns)


def _path_of(regex: str) -> str:
    """A path that the route's regular expression matches: each argument given a value."""
    text = re.sub(r"\\\.\(\?P<format>[^)]*\)|\(\?P<format>[^)]*\)", ".json", regex)
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "7", text)
    return "/" + text.removeprefix("^").removesuffix("$").removesuffix("\\Z").replace("/?", "/").replace("\\.", ".")


def _answer(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    view = match.func
    actions = getattr(view, "actions", None)  # DRF adds "head" to a viewset's actions on its first request
    actions = actions and {method: action for method, action in actions.items() if method != "head"}
    return (match.url_name, match.kwargs, getattr(view, "cls", view), actions)


def _flat_router() -> DefaultRouter:
    flat = DefaultRouter()
    for prefix, viewset, basename in api_router.router.registry:
        flat.register(prefix, viewset, basename=basename)
    return flat


def test_every_route_of_the_api_resolves_as_drfs_router_resolves_it():
    flat, grouped = _flat_router().urls, api_router.router.urls
    paths = [_path_of(pattern.pattern.regex.pattern) for pattern in flat]
    assert len(paths) > 150 and any(".json" in p for p in paths)
    for path in paths:
        expected = _answer(_resolver(flat), path)
        assert expected is not None, path
        assert _answer(_resolver(grouped), path) == expected, path
    for path in ("/diagnostics", "/diagnostics/7", "/diagnosticsx/", "/diagnostics/7/8/", "/nothing/", "/.json"):
        assert _answer(_resolver(grouped), path) == _answer(_resolver(flat), path), path


def test_a_resource_s_routes_are_tried_after_the_prefixes_only():
    """A path is compared with the prefixes, then with its own resource's routes: the patterns a request
    for the last resource's item tries are the prefixes and its own routes, not every route."""
    grouped = api_router.router.urls
    prefix, _, _ = api_router.router.registry[-1]
    with pytest.raises(Resolver404) as refused:
        _resolver(grouped).resolve(f"/{prefix}/7/nothing-here/")
    tried = refused.value.args[0]["tried"]
    entered = {str(attempt[0].pattern) for attempt in tried if len(attempt) > 1}
    assert entered == {f"{prefix}/"}  # no other resource's routes
    assert len(tried) < len(_flat_router().urls) / 2


def test_a_router_without_format_suffixes_or_root_view():
    router = GroupedRouter(trailing_slash=False)
    router.include_format_suffixes = False
    router.include_root_view = False
    for prefix, viewset, basename in api_router.router.registry[:3]:
        router.register(prefix, viewset, basename=basename)
    prefix = api_router.router.registry[1][0]
    assert _answer(_resolver(router.urls), f"/{prefix}/7")[1] == {"pk": "7"}
    assert _answer(_resolver(router.urls), f"/{prefix}/7.json") is None
    assert _answer(_resolver(router.urls), "/") is None
