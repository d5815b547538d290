"""The browsable API for staff, bounded at national scale .

DRF's ``BrowsableAPIRenderer`` renders, on every HTML page, the filter form (django-filter draws a
``<select>`` of every candidate, supplier or diagnostic a filter can name: 94,000 options, one query
each for their labels) and an HTML form per write method (a ``<select>`` per related field, up to
1,000 options, ~1,000 queries). At 100,000 SMEs that took pages from milliseconds to minutes. This
renderer keeps the page, the response and the raw-data form (JSON in a text area, which the write
methods accept); filters are given in the query string, as the OpenAPI schema lists them.
"""

from rest_framework.renderers import BrowsableAPIRenderer


class BoundedBrowsableAPIRenderer(BrowsableAPIRenderer):
    def get_filter_form(self, data, view, request):
        return None

    def get_rendered_html_form(self, data, view, method, request):
        return None
