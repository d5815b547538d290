"""The staff supplier list read by SQL compiled once per shape of request (``core.compiled``).

The list's queryset (scoped to the staff member's programs, filtered, ordered, cursor-paginated, read as
``values()`` with the supply area codes) is built and compiled as the view's ORM path builds it, with
``Slot`` in place of the staff member's id, the filter values and the cursor's position; the compiled SQL is
kept per shape (which filters are given and how many values each has, the ordering, the cursor's direction,
offset and page size) and run with each request's values. The filters are validated as the filter backend
validates them (``StrictFilterSet.cleaned``: the same 400s), the page goes through the view's own
``CursorPagination`` (``ShapedRows``), so the response is the ORM path's, byte for byte
(``tests/api/test_supplier_list_compiled.py`` compares the two on random requests).

With an API token the page is read by the token's own statement (``read_page_with_token``, before
authentication; ``core.authentication.read_with_token``): its SQL is planned from the request alone, scoped
in SQL by the token's user (a superuser's every program, else the programs of its active memberships, as
``programs.selectors.scoped`` has it for program staff), and the request makes one round trip to the
database instead of two. Anything the planning refuses (an invalid filter, page size or cursor) is
answered after authentication, as the ORM path answers it.

Searches, filters that are not plain lookups, and anyone but program staff take the ORM path.
"""

from functools import cache

from django import forms
from django.core.exceptions import EmptyResultSet, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, Q
from rest_framework import exceptions
from rest_framework.filters import SearchFilter

from core import roles
from core.authentication import NOT_READ, read_with_token, read_with_token_row, token_user_column
from core.compiled import UNBOUND, CompiledRows, ShapedRows, Slot, bind_value
from programs.models import ProgramStaff
from programs.selectors import programs_of_member, scoped_to_member, sees_every_program
from suppliers import models

from .filters import SupplierFilter
from .serializers import SupplierListSerializer

USER = "user"
POSITION = "position"
TOKEN = "token"  # a shape scoped by the user of the token statement it is read with
_PLANNED = "_sdp_supplier_page"  # request attribute: the page read with the token (its fetch and SQL)


def list_queryset():
    """Every supplier, with what the representation reads (the view's queryset before its scope)."""
    return models.Supplier.objects.select_related("state__region").prefetch_related("supply_areas")


def read_page_with_token(view, request) -> None:
    """Before authentication: have the page this request asks for read by the token's statement, when the
    request is one ``supplier_page`` serves whoever the staff member is (``page_read_with_token``)."""
    query = request.query_params
    if SearchFilter.search_param in query or any(
        value != "" for name in _filters_reading_the_database() for value in query.getlist(name)
    ):
        return
    try:
        slotted = SupplierFilter.slotted(SupplierFilter.cleaned(query))
    except (exceptions.APIException, DjangoValidationError):
        return  # answered after authentication, as the ORM path answers it
    if slotted is None:
        return
    filters, values, binds = slotted
    asked: list[tuple] = []

    def plan(ordering, position, start, stop):
        asked.append((ordering, position, start, stop))
        return []

    try:
        view.paginator.paginate_queryset(ShapedRows(models.Supplier, plan), request, view=view)
    except (exceptions.APIException, SuspiciousOperation):
        return  # an invalid page size, cursor or host: answered after authentication
    if len(asked) != 1:
        return
    ordering, position, start, stop = asked[0]
    if position is not None:
        lookup, raw = position
        bound = bind_value(_ordering_field(lookup), raw)
        if bound is UNBOUND:
            return
        binds = {**binds, POSITION: bound}
        position = lookup
    compiled = _compiled((TOKEN, filters, ordering, position, start, stop), values)
    if compiled is None:
        return
    setattr(request, _PLANNED, (asked[0], compiled))
    read_with_token(request, compiled.sql, compiled.bound(binds), many=True)


def page_read_with_token(request) -> bool:
    """Whether this request's page was read with its token and is served from those rows (the staff
    member's own scope)."""
    return (
        getattr(request, _PLANNED, None) is not None
        and read_with_token_row(request) is not NOT_READ
        and roles.is_program_staff(request.user)
    )


def supplier_page(view, request) -> list[dict] | None:
    """The list rows of the page the list's ORM path reads for this request, by compiled SQL (its decimals
    and datetimes read as text: ``SupplierListSerializer.text_values``); None when the request is not one
    this path serves (the caller takes the ORM path). Raises what the ORM path raises for invalid filters,
    page sizes and cursors."""
    user = request.user
    if not roles.is_program_staff(user) or SearchFilter.search_param in request.query_params:
        return None
    if page_read_with_token(request):
        asked, compiled = getattr(request, _PLANNED)
        read = compiled.dicts(read_with_token_row(request))
        served = True

        def fetch_read(*args):
            nonlocal served
            served = args == asked  # the same request asks for the same rows
            return read

        page = view.paginator.paginate_queryset(ShapedRows(models.Supplier, fetch_read), request, view=view)
        if served:
            return SupplierListSerializer.text_rows(page)
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
    return SupplierListSerializer.text_rows(page) if served else None


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


@cache
def _filters_reading_the_database() -> tuple[str, ...]:
    """The filters whose values are looked up in the database as they are cleaned (a program by its id):
    never before authentication."""
    fields = SupplierFilter.base_filters
    return tuple(name for name, f in fields.items() if issubclass(f.field_class, forms.ModelChoiceField))


def _build(shape: tuple, values: dict) -> CompiledRows | None:
    every, _filters, ordering, position, start, stop = shape
    queryset = list_queryset()
    if every == TOKEN:  # in SQL, what ``scoped`` keeps for program staff: all for a superuser
        superuser = token_user_column("is_superuser")
        memberships = ProgramStaff.objects.filter(user_id=token_user_column("id"), is_active=True)
        # The second test asks once whether the user is a member at all (a user of no program reads
        # no page); the first keeps each row of its programs.
        queryset = queryset.filter(Q(superuser) | Q(program__in=programs_of_member(token_user_column("id"))))
        queryset = queryset.filter(Q(superuser) | Exists(memberships))
    elif not every:
        queryset = scoped_to_member(queryset, Slot(USER))
    filterset = SupplierFilter(queryset=queryset)
    for name, value in values.items():  # in the FilterSet's order, as its form's cleaned data
        queryset = filterset.filters[name].filter(queryset, value)
    # The ordering's fields are read typed too: the cursor reads its position from the first one, and a
    # distinct query selects what it is ordered by.
    typed = [name.lstrip("-") for name in ordering]
    queryset = SupplierListSerializer.text_values(queryset, typed).order_by(*ordering)
    if position is not None:
        queryset = queryset.filter(**{position: Slot(POSITION)})
    try:
        return CompiledRows.of(queryset[start:stop])
    except EmptyResultSet:
        return None
