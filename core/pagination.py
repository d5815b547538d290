"""Pagination of API lists (settings and views name these; kept apart from core.api to avoid import cycles)."""

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination


class StrictPageSizeMixin:
    """A malformed ``page_size`` is a 400 (not silently the default); above the maximum it is capped."""

    page_size: int
    page_size_query_param: str
    max_page_size: int

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_size_query_param: [_("Enter a whole number from 1.")]})
        return min(int(raw), self.max_page_size)


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """The default: ``?page=2&page_size=100`` (at most 200 a page)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """For large lists (suppliers, answers): stable under inserts, constant cost per page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = getattr(queryset, "model", None)
        return super().paginate_queryset(queryset, request, view=view)

    def decode_cursor(self, request):
        """A cursor whose position is not a value of the ordering's field is an invalid cursor (404), not a
        server error when the position is compared."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = None
        if self._model is not None:
            try:
                field = get_fields_from_path(self._model, self.ordering[0].lstrip("-"))[-1]
            except (FieldDoesNotExist, NotRelationField):  # not a model field's path: nothing to check
                pass
        if field is not None:
            try:
                field.get_prep_value(field.to_python(cursor.position))
            except (ValidationError, TypeError, ValueError):
                raise exceptions.NotFound(self.invalid_cursor_message) from None
        return cursor


class DeferredJoinPagination(PageNumberPagination):
    """Page numbers over a long list whose rows join other tables (the candidates, 94,000 in a cohort at
    national scale): the page's primary keys are read first, in the list's order, from the list's table
    alone, then only those rows with their joins and prefetches. A deep page no longer joins every row
    before it (``?page=last`` of the candidates: 0.76 s -> see docs/performance.md). One more query per
    page, whatever its size."""

    def paginate_queryset(self, queryset, request, view=None):
        ids: list | None = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        return None if ids is None else rows_in_order(queryset, ids)


def rows_in_order(queryset, ids) -> list:
    """The rows of ``queryset`` with these primary keys, in the order of ``ids`` (a page's ids read
    first: the second half of a deferred join; the staff cohort page uses it too)."""
    rows = {row.pk: row for row in queryset.filter(pk__in=list(ids))}
    return [rows[pk] for pk in ids if pk in rows]


class CappedPaginator(Paginator):
    """A page's paginator that counts at most ``cap`` rows, by one count over a ``LIMIT``: counting every
    match of a table of millions (the audit trail) costs more than reading the page. Past the cap the list
    offers the pages up to it and says "more than" (``capped``); a filter narrows it."""

    cap = 10_000

    @cached_property
    def _counted(self) -> int:
        # Any cap + 1 rows: in no order, so the count never sorts the list to find its first rows.
        return self.object_list.order_by()[: self.cap + 1].count()  # type: ignore[attr-defined]  # a QuerySet

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


class OutboxPaginator(CappedPaginator):
    """The outbox's paginator: each message counted is looked up among the people of the staff member's programs
    (``core.notifications.visible_to``), so it counts at most 1,000."""

    cap = 1_000
