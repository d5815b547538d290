"""Who applied: registrations over time, by geography, supply area, size and sector; the funnel."""

from django.db.models import Count, Field, FilteredRelation, Q
from django.db.models.functions import TruncMonth

from cohorts.models import Candidate
from programs.models import CriticalSupplyArea, Region, State
from suppliers.models import Supplier
from suppliers.templatetags.suppliers_tags import SIZE_LABELS

from .scope import ReportScope


def registrations_by_month(scope: ReportScope) -> list[dict]:
    """``[{"month": date, "count": n}]`` in the active time zone, oldest first."""
    rows = scope.registered_suppliers().annotate(month=TruncMonth("registered_at")).values("month")
    return month_rows(dict(rows.annotate(count=Count("id")).values_list("month", "count").order_by()))


def month_rows(counts: dict) -> list[dict]:
    """``{month start: count}`` -> ``registrations_by_month`` rows: every month from the first to the last,
    a month without registrations as 0 (a time axis without gaps)."""
    months = {(month.date() if hasattr(month, "date") else month): count for month, count in counts.items()}
    if not months:
        return []
    first, last = min(months), max(months)
    rows, month = [], first.replace(day=1)
    while month <= last:
        rows.append({"month": month, "count": months.get(month, 0)})
        month = (
            month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)
        )
    return rows


def _counts_by(scope: ReportScope, field: str) -> dict:
    """Registered suppliers grouped by one column (one pass over the suppliers, no join fan-out)."""
    rows = scope.registered_suppliers().values(field).annotate(count=Count("id")).values_list(field, "count")
    return dict(rows.order_by())


def registrations_by_state(scope: ReportScope) -> list[dict]:
    """Every state (zeros included), with its region: ``code, name, abbreviation, region, count``."""
    return state_rows(_counts_by(scope, "state_id"))


def state_rows(counts: dict) -> list[dict]:
    """``{state id: count}`` -> ``registrations_by_state`` rows."""
    rows = State.objects.values("id", "code", "name", "abbreviation", "region__code").order_by("code")
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "abbreviation": r["abbreviation"],
            "region": r["region__code"],
            "count": counts.get(r["id"], 0),
        }
        for r in rows
    ]


def registrations_by_region(scope: ReportScope) -> list[dict]:
    return region_rows(_counts_by(scope, "state__region_id"))


def region_rows(counts: dict) -> list[dict]:
    """``{region id: count}`` -> ``registrations_by_region`` rows (zeros included)."""
    return [
        {"code": r.code, "name": r.name, "count": counts.get(r.pk, 0)} for r in Region.objects.order_by("order", "code")
    ]


def area_counts(program, **supplier_sets) -> dict[int, dict[str, int]]:
    """``area id -> {name: suppliers of supplier_sets[name] serving it}``, one grouped query on the M2M table.

    Each (supplier, area) pair is one row of the table, so plain filtered counts are distinct counts.
    """
    names = list(supplier_sets)
    rows = area_counts_query(program, **supplier_sets)
    return {area_id: dict(zip(names, counts, strict=True)) for area_id, *counts in rows}


def area_counts_query(program, **supplier_sets):
    """``area_counts`` as a query of ``(area id, *counts in the order of supplier_sets)`` rows."""
    through = Supplier.supply_areas.through
    names = list(supplier_sets)
    return (
        through.objects.filter(criticalsupplyarea__program=program)
        .values("criticalsupplyarea_id")
        .annotate(**{name: Count("supplier_id", filter=Q(supplier_id__in=ids)) for name, ids in supplier_sets.items()})
        .order_by()
        .values_list("criticalsupplyarea_id", *names)
    )


GEOGRAPHY = ("region", "region_code", "name_es", "name_en", "region_order", "state", "code", "name", "abbreviation")


def geography_query():
    """Every region LEFT JOIN its states: rows of ``GEOGRAPHY``."""
    return Region.objects.values_list(
        "id",
        "code",
        "name_es",
        "name_en",
        "order",
        "states__id",
        "states__code",
        "states__name",
        "states__abbreviation",
    ).order_by()


def geography_rows(state_counts: dict, region_counts: dict, rows=None) -> tuple[list[dict], list[dict]]:
    """``(state_rows(state_counts), region_rows(region_counts))`` from one query (``geography_query``; ``rows``:
    its rows as dicts keyed by ``GEOGRAPHY``, when the caller read them)."""
    if rows is None:
        rows = [dict(zip(GEOGRAPHY, row, strict=True)) for row in geography_query()]
    states, regions = [], {}
    for row in rows:
        regions[row["region"]] = (
            row["region_order"],
            row["region_code"],
            Region(name_es=row["name_es"], name_en=row["name_en"]).name,
        )
        if row["state"] is not None:
            states.append(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "abbreviation": row["abbreviation"],
                    "region": row["region_code"],
                    "count": state_counts.get(row["state"], 0),
                }
            )
    return (
        sorted(states, key=lambda row: row["code"]),
        [
            {"code": code, "name": name, "count": region_counts.get(rid, 0)}
            for rid, (_order, code, name) in sorted(regions.items(), key=lambda item: item[1][:2])
        ],
    )


def registrations_by_area(scope: ReportScope) -> list[dict]:
    """Registered suppliers that say they can serve each supply area of the program (zeros included)."""
    counts = area_counts(scope.program, count=scope.registered_suppliers().values("id"))
    areas = CriticalSupplyArea.objects.filter(program=scope.program).order_by("code")
    return [{"code": a.code, "name": a.name, "count": counts.get(a.pk, {}).get("count", 0)} for a in areas]


def registrations_by_size(scope: ReportScope) -> list[dict]:
    return choice_rows("size", _counts_by(scope, "size"))


def registrations_by_sector(scope: ReportScope) -> list[dict]:
    return choice_rows("sector", _counts_by(scope, "sector"))


def choice_rows(field: str, counts: dict) -> list[dict]:
    """``{code: count}`` of a choice field of Supplier -> rows with the choice's label, by code."""
    model_field = Supplier._meta.get_field(field)
    assert isinstance(model_field, Field) and model_field.choices is not None, field  # a choice column
    labels = dict(model_field.choices)
    if field == "size":  # the DOF 2009 sizes in the reader's language ("Pequeña", never the code's "Pequena")
        labels = {code: str(label) for code, label in SIZE_LABELS.items()}
    return [{"code": code, "name": labels.get(code, code), "count": counts[code]} for code in sorted(counts)]


def funnel(scope: ReportScope) -> list[dict]:
    """Nested stages: registered ⊇ verified ⊇ diagnosed ⊇ proposed ⊇ selected (one query).

    *diagnosed* = verified with a scored baseline diagnostic; *proposed* = also a candidate in
    the optimizer proposal (or selected) in scope; *selected* = also selected in scope.
    """
    # The current baseline is joined once (at most one per supplier: ``Diagnostic.is_current_baseline``,
    # LEFT JOIN on its partial index); the proposal and selection are uncorrelated ``IN`` sets
    # (hashed once by PostgreSQL) instead of correlated ``EXISTS`` per registered supplier.
    candidacies = scope.candidates()
    with_baseline = Q(current_baseline__id__isnull=False)
    in_proposal = Q(
        id__in=candidacies.filter(Q(in_proposal=True) | Q(status=Candidate.Status.SELECTED)).values("supplier_id")
    )
    is_selected = Q(id__in=candidacies.filter(status=Candidate.Status.SELECTED).values("supplier_id"))
    verified = Q(status=Supplier.Status.VERIFIED)
    registered = scope.registered_suppliers().annotate(
        current_baseline=FilteredRelation("diagnostics", condition=Q(diagnostics__is_current_baseline=True))
    )
    counts = registered.aggregate(
        registered=Count("id"),
        verified=Count("id", filter=verified),
        diagnosed=Count("id", filter=verified & with_baseline),
        proposed=Count("id", filter=verified & with_baseline & in_proposal),
        selected=Count("id", filter=verified & with_baseline & in_proposal & is_selected),
    )
    return funnel_rows(counts)


def funnel_rows(counts: dict) -> list[dict]:
    return [{"stage": stage, "count": counts[stage]} for stage in FUNNEL_STAGES]


FUNNEL_STAGES = ("registered", "verified", "diagnosed", "proposed", "selected")
