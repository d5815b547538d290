"""The API's router: DRF's ``DefaultRouter`` with each registered resource's routes under its prefix.

``DefaultRouter`` lists every route of every viewset, each followed by its format suffix, one after the
other (some 200 regular expressions under ``/api/v1/``): Django tries them in turn, so a request for a
resource registered late first tried every route of every resource registered before it.
``GroupedRouter`` puts each resource's routes in one ``include`` under ``<prefix>/``: a request is compared
with the prefixes, then with its own resource's routes only. The patterns are DRF's own, their prefix
moved to the ``include``; the list's format suffix (``<prefix>.json``, outside ``<prefix>/``) follows the
groups. The same paths, URL names, views and API root view.
"""

from django.urls import URLPattern, include, path, re_path
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns


class GroupedRouter(DefaultRouter):
    def get_urls(self):
        assert getattr(self, "_url_conf", re_path) is re_path, "GroupedRouter groups DRF's regular-expression routes"
        registry, groups, outside = self.registry, [], []
        try:
            for entry in registry:
                self.registry = [entry]  # SimpleRouter builds the routes of what is registered
                routes = SimpleRouter.get_urls(self)
                if self.include_format_suffixes:
                    routes = format_suffix_patterns(routes)
                head, inside = f"^{entry[0]}/", []
                for route in routes:
                    assert isinstance(route, URLPattern)
                    regex = route.pattern.regex.pattern
                    if regex.startswith(head):
                        inside.append(re_path("^" + regex[len(head) :], route.callback, route.default_args, route.name))
                    else:
                        outside.append(route)
                groups.append(path(f"{entry[0]}/", include(inside)))
        finally:
            self.registry = registry
        urls = groups + outside
        if self.include_root_view:
            root = [path("", self.get_api_root_view(api_urls=urls), name=self.root_view_name)]
            urls += format_suffix_patterns(root) if self.include_format_suffixes else root
        return urls
