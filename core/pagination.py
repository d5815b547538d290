"""Pagination of API lists (settings and views name these; kept apart from core.api to avoid import cycles)."""
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """The default: ``?page=2&page_size=100`` (at most 200 a page)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For large lists (suppliers, answers): stable under inserts, constant cost per page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
