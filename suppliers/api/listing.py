"""The staff supplier list read by SQL compiled once per shape of request (``core.compiled``).

The list's queryset (scoped to the staff member's programs, filtered, ordered, cursor-paginated, read as
``values()`` with the supply area codes) is built and compiled as the view's ORM path builds it, with
``Slot`` in place of the staff member's id, the filter values and the cursor's position; the compiled SQL is
kept per shape (which filters are given and how many values each has, the ordering, the cursor's direction,
offset and page size) and run with each request's values. The filters are validated as the filter backend
validates them (``StrictFilterSet.cleaned``: the same 400s), the page goes through the view's own
``CursorPagination`` (``ShapedRows``), so the response is the ORM path's, byte for byte
(``tests/api/test_supplier_list_compiled.py`` compares the two on random requests).

Searches, filters that are not plain lookups, and anyone but program staff take the ORM path.
"""

from django.core.exceptions import EmptyResultSet
from rest_framework.filters import SearchFilter

from core import roles
from core.compiled import UNBOUND, CompiledRows, ShapedRows, Slot, bind_value
from programs.selectors import scoped_to_member, sees_every_program
from suppliers import models

from .filters import SupplierFilter
from .serializers import SupplierListSerializer

USER = "user"
POSITION = "position"


def list_queryset():
    """Every supplier, with what the representation reads (the view's queryset before its scope)."""
    return models.Supplier.objects.select_related("state__region").prefetch_related("supply_areas")


def supplier_page(view, request) -> list[dict] | None:
    """The page of ``values()`` rows the list's ORM path reads for this request, by compiled SQL; None
    when the request is not one this path serves (the caller takes the ORM path). Raises what the ORM
    path raises for invalid filters, page sizes and cursors."""
    user = request.user
    if not roles.is_program_staff(user) or SearchFilter.search_param in request.query_params:
        return None
    slotted = SupplierFilter.slotted(SupplierFilter.cleaned(request.query_params))
    if slotted is None:
        return None
    filters, values, binds = slotted
    every = sees_every_program(user)
    binds = {**binds, USER: user.pk}
    served = True

    def fetch(ordering, position, start, stop):
        nonlocal served
        if position is not None:
            lookup, raw = position
            bound = bind_value(_ordering_field(lookup), raw)
            if bound is UNBOUND:
                served = False
                return []
            binds[POSITION] = bound
            position = lookup
        compiled = _compiled((every, filters, ordering, position, start, stop), values)
        if compiled is None:
            served = False
            return []
        return compiled.rows(binds)

    page = view.paginator.paginate_queryset(ShapedRows(models.Supplier, fetch), request, view=view)
    return page if served else None


def _ordering_field(lookup: str):
    name = lookup.rsplit("__", 1)[0]
    meta = models.Supplier._meta
    return meta.pk if name == "pk" else meta.get_field(name)


_cache: dict = {}  # shape -> CompiledRows or None, at most _CACHE_LIMIT (the oldest shape leaves first)
_CACHE_LIMIT = 512


def _compiled(shape: tuple, values: dict) -> CompiledRows | None:
    """The compiled page query of a shape (built on its first request, kept per process), or None when
    compiling finds it can match nothing (the ORM path answers that). ``values``: the given filters with
    their slots, the same for every request of the shape."""
    compiled = _cache.get(shape, UNBOUND)
    if compiled is UNBOUND:
        compiled = _build(shape, values)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[shape] = compiled
    return compiled


def _build(shape: tuple, values: dict) -> CompiledRows | None:
    every, _filters, ordering, position, start, stop = shape
    queryset = list_queryset()
    if not every:
        queryset = scoped_to_member(queryset, Slot(USER))
    filterset = SupplierFilter(queryset=queryset)
    for name, value in values.items():  # in the FilterSet's order, as its form's cleaned data
        queryset = filterset.filters[name].filter(queryset, value)
    queryset = SupplierListSerializer.values(queryset).order_by(*ordering)
    if position is not None:
        queryset = queryset.filter(**{position: Slot(POSITION)})
    try:
        return CompiledRows.of(queryset[start:stop])
    except EmptyResultSet:
        return None
