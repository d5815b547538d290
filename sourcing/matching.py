"""How well an SME fits a sourcing opportunity (pure: no ORM, no Django).

The fit is a weighted mean of six parts, each 0-100 (``WEIGHTS``):

* ``area``: the share of the opportunity's supply areas the SME supplies (``100 * |supplied ∩ asked| / |asked|``).
* ``certifications``: for each required certification, 1 when held (valid today), 0.5 when it is an open
  or finished item of the SME's development plan but not yet held, 0 otherwise; the mean times 100. Nothing
  required: 100.
* ``maturity``: for each dimension minimum the opportunity's areas state (the highest when two areas name the
  same dimension), ``min(1, actual / required)`` with an incomplete or missing score as 0; the mean times 100.
  No dimension minimum: 100 when the SME has a maturity level, else 0. No scored diagnostic: 0.
* ``capacity``: the opportunity's annual value as a share of the SME's annual sales: up to
  ``CAPACITY_COMFORTABLE`` (30 %) is 100, ``CAPACITY_LIMIT`` (100 %) or more is 0, linear between.
  A value of 0 is 100; sales unknown or 0 are 0.
* ``distance``: great-circle distance between the centroids of the SME's state and the delivery state:
  ``100 * (1 - min(d, DISTANCE_FAR_KM) / DISTANCE_FAR_KM)``; an unknown centroid is 0.
* ``history``: 50 when the SME was selected in a cohort of the program, 50 more when it already won a
  purchase order through the program (at most 100).

The hard requirements (what an open opportunity demands before an SME sees it): it supplies at least one of
the areas, holds every required certification, and its maturity level is at least the minimum.

Each part also gives reasons: ``{"code": ..., "met": bool, ...parameters}``, shown in the reader's
language by ``sourcing.explain``. Scores are computed in IEEE double precision; each part, then the weighted
mean of the rounded parts (summed in ``PARTS`` order), is rounded half-up to two decimals from its shortest
decimal representation (``round2``): what the set-based ranking (``sourcing.services.ranking_sql``) computes
in PostgreSQL, operation for operation, so both give the same figures and the same order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS: Mapping[str, int] = {
    "area": 25,
    "certifications": 20,
    "maturity": 25,
    "capacity": 10,
    "distance": 10,
    "history": 10,
}
PARTS = tuple(WEIGHTS)
CAPACITY_COMFORTABLE = 0.30
CAPACITY_LIMIT = 1.00
DISTANCE_FAR_KM = 1500.0
EARTH_RADIUS_KM = 6371.0
IN_PROGRESS_WORTH = 0.5


@dataclass(frozen=True)
class Requirements:
    """What the opportunity asks for."""

    area_ids: frozenset[int]
    certification_ids: frozenset[int] = frozenset()
    minimum_level: int | None = None
    dimension_minimums: Mapping[str, float] = field(default_factory=dict)  # dimension code -> 0-100
    delivery_point: tuple[float, float] | None = None  # (lat, lon) of the delivery state's centroid
    annual_value_mxn: float = 0.0


@dataclass(frozen=True)
class Profile:
    """What the program knows about one SME, as the ranking uses it."""

    supplier_id: int
    area_ids: frozenset[int] = frozenset()
    held_certification_ids: frozenset[int] = frozenset()
    planned_certification_ids: frozenset[int] = frozenset()
    maturity_level: int | None = None
    dimension_scores: Mapping[str, float | None] = field(default_factory=dict)
    annual_sales_mxn: float = 0.0
    location: tuple[float, float] | None = None
    selected_before: bool = False
    purchase_orders_won: int = 0


@dataclass(frozen=True)
class Fit:
    supplier_id: int
    score: Decimal
    meets_requirements: bool
    parts: dict[str, float]
    reasons: list[dict]


def round2(value: float) -> Decimal:
    """Half-up to two decimals from the shortest decimal that reads back as ``value`` (``repr``; PostgreSQL's
    ``float8::text``): 2.675, stored as 2.67499999..., gives 2.68."""
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def area_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    if not req.area_ids:
        return 100.0, []
    supplied = req.area_ids & sme.area_ids
    return 100.0 * len(supplied) / len(req.area_ids), [
        {"code": "area", "met": bool(supplied), "supplied": len(supplied), "asked": len(req.area_ids)}
    ]


def certification_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    if not req.certification_ids:
        return 100.0, []
    total, reasons = 0.0, []
    for cert in sorted(req.certification_ids):
        if cert in sme.held_certification_ids:
            total += 1.0
            reasons.append({"code": "certification_held", "met": True, "certification": cert})
        elif cert in sme.planned_certification_ids:
            total += IN_PROGRESS_WORTH
            reasons.append({"code": "certification_in_progress", "met": False, "certification": cert})
        else:
            reasons.append({"code": "certification_missing", "met": False, "certification": cert})
    return 100.0 * total / len(req.certification_ids), reasons


def maturity_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    reasons: list[dict] = []
    if sme.maturity_level is None:
        reasons.append({"code": "maturity_unknown", "met": False})
        return 0.0, reasons
    if req.minimum_level is not None:
        reasons.append(
            {
                "code": "maturity_level",
                "met": sme.maturity_level >= req.minimum_level,
                "required": req.minimum_level,
                "actual": sme.maturity_level,
            }
        )
    if not req.dimension_minimums:
        return 100.0, reasons
    total = 0.0
    for code in sorted(req.dimension_minimums):
        required = float(req.dimension_minimums[code])
        actual = sme.dimension_scores.get(code)
        share = 1.0 if required <= 0 else (0.0 if actual is None else min(1.0, float(actual) / required))
        total += share
        reasons.append(
            {
                "code": "dimension",
                "met": actual is not None and float(actual) >= required,
                "dimension": code,
                "required": required,
                "actual": None if actual is None else float(actual),
            }
        )
    return 100.0 * total / len(req.dimension_minimums), reasons


def capacity_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    if req.annual_value_mxn <= 0:
        return 100.0, []
    if sme.annual_sales_mxn <= 0:
        return 0.0, [{"code": "capacity", "met": False, "share": None}]
    share = req.annual_value_mxn / sme.annual_sales_mxn
    if share <= CAPACITY_COMFORTABLE:
        score = 100.0
    elif share >= CAPACITY_LIMIT:
        score = 0.0
    else:
        score = 100.0 * (CAPACITY_LIMIT - share) / (CAPACITY_LIMIT - CAPACITY_COMFORTABLE)
    return score, [{"code": "capacity", "met": share <= CAPACITY_COMFORTABLE, "share": round(share * 100, 1)}]


def distance_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    if req.delivery_point is None or sme.location is None:
        return 0.0, [{"code": "distance", "met": False, "km": None}]
    km = distance_km(sme.location, req.delivery_point)
    score = 100.0 * (1.0 - min(km, DISTANCE_FAR_KM) / DISTANCE_FAR_KM)
    return score, [{"code": "distance", "met": km <= DISTANCE_FAR_KM / 3, "km": round(km)}]


def history_part(req: Requirements, sme: Profile) -> tuple[float, list[dict]]:
    score = (50.0 if sme.selected_before else 0.0) + (50.0 if sme.purchase_orders_won else 0.0)
    reasons = []
    if sme.selected_before:
        reasons.append({"code": "selected_before", "met": True})
    if sme.purchase_orders_won:
        reasons.append({"code": "purchase_orders_won", "met": True, "count": sme.purchase_orders_won})
    return score, reasons


PART_FUNCTIONS = {
    "area": area_part,
    "certifications": certification_part,
    "maturity": maturity_part,
    "capacity": capacity_part,
    "distance": distance_part,
    "history": history_part,
}


def meets_requirements(req: Requirements, sme: Profile) -> bool:
    """The hard requirements of an open opportunity (see the module)."""
    if req.area_ids and not (req.area_ids & sme.area_ids):
        return False
    if not req.certification_ids <= sme.held_certification_ids:
        return False
    if req.minimum_level is not None and (sme.maturity_level is None or sme.maturity_level < req.minimum_level):
        return False
    return True


def fit(req: Requirements, sme: Profile, weights: Mapping[str, int] = WEIGHTS) -> Fit:
    parts, reasons = {}, []
    for name in PARTS:
        score, why = PART_FUNCTIONS[name](req, sme)
        parts[name] = float(round2(score))
        reasons += why
    total_weight = sum(weights[p] for p in PARTS)
    value = 0.0
    for name in PARTS:  # in this order, one addition at a time (as the SQL does)
        value += weights[name] * parts[name]
    value /= total_weight
    return Fit(sme.supplier_id, round2(value), meets_requirements(req, sme), parts, reasons)


def rank(req: Requirements, profiles, weights: Mapping[str, int] = WEIGHTS, limit: int | None = None) -> list[Fit]:
    """The SMEs by fit: those meeting the hard requirements first, then by score (high first), then by id."""
    fits = [fit(req, sme, weights) for sme in profiles]
    fits.sort(key=lambda f: (not f.meets_requirements, -f.score, f.supplier_id))
    return fits if limit is None else fits[:limit]
