"""Every URL pattern of the project, with a concrete URL to request (used by the access tests)."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


@dataclass(frozen=True)
class Route:
    url: str
    name: str  # "namespace:name" or "" for unnamed patterns
    callback: object

    def __str__(self) -> str:
        return f"{self.url} ({self.name or 'unnamed'})"


def _route_sample(route: str) -> str:
    def sample(match: re.Match) -> str:
        converter = match.group(1) or "str"
        if "format" in converter:  # DRF's format suffix converter (".json")
            return ".json"
        return SAMPLES.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", sample, route)


def _regex_sample(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def group(match: re.Match) -> str:
        body = match.group(2)
        first = body.split("|")[0]
        if re.fullmatch(r"[\w-]+", first):  # an alternation of literals (admin app labels): take the first
            return first
        if match.group(1) == "format":  # DRF format suffixes, with or without the dot in the group
            return ".json" if body.startswith("\\.") else "json"
        return "1"

    previous = None
    while previous != text:  # innermost groups first
        previous = text
        text = re.sub(r"\(\?P<(\w+)>([^()]*)\)", group, text)
    text = re.sub(r"\(\?:[^()]*\)\??", "", text)
    text = text.replace("/?", "/").replace("\\.", ".").replace("\\", "")
    return re.sub(r"[?*+]", "", text)


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(str(pattern._route))
    if isinstance(pattern, RegexPattern):
        return _regex_sample(pattern._regex)
    return _regex_sample(str(pattern))


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                walk(
                    entry.url_patterns,
                    prefix + _sample(entry.pattern),
                    f"{namespace}:{ns}".strip(":") if ns else namespace,
                )
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}".strip(":") if entry.name else ""
                routes.append(Route("/" + prefix + _sample(entry.pattern), name, entry.callback))

    walk(get_resolver().url_patterns, "", "")
    return routes


def resolves_to_itself(route: Route) -> bool:
    try:
        match = resolve(route.url.split("?")[0])
    except Exception:
        return False
    return match.func == route.callback or getattr(match.func, "__wrapped__", None) == route.callback
