"""Growth-potential index of a candidate (pure: no ORM).

The index is a weighted mean of four parts, each normalised to 0-100:

* ``maturity``: the overall score (0-100) of the SME's scored or validated diagnostic.
* ``alignment``: the mean ``fit_percent`` of the diagnostic's alignments with the
  supply areas the SME supplies *and* at least one anchor demands; 0 when it
  supplies no demanded area.
* ``growth``: the mean of the available growth indicators:
  - sales CAGR between the first and last year of its annual figures,
    ``clamp(cagr / SALES_CAGR_FULL * 100, 0, 100)`` (20 % a year or more = 100);
  - headcount CAGR the same way with ``HEADCOUNT_CAGR_FULL`` (15 % a year = 100);
  - export share (already 0-100).
  A CAGR needs two years with positive values; without them that indicator is
  left out (not counted as 0). Export share is always present.
* ``certifications``: ``100 * |held ∩ required| / |required|`` where
  ``required`` is the union of the certifications required by the demanded
  areas the SME supplies; when nothing is required, ``min(100, 50 * held)``
  (each recognised certificate is worth 50).

``index = sum(w_p * part_p) / sum(w_p)`` rounded half-up to 2 decimals; the
weights are stored with the cohort (``Cohort.growth_weights``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PARTS = ("maturity", "alignment", "growth", "certifications")
SALES_CAGR_FULL = Decimal("0.20")
HEADCOUNT_CAGR_FULL = Decimal("0.15")
CERTIFICATE_WORTH = Decimal("50")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal) -> Decimal:
    return min(HUNDRED, max(Decimal(0), value))


@dataclass(frozen=True)
class YearFigure:
    year: int
    sales: Decimal | None = None
    employees: int | None = None


@dataclass(frozen=True)
class GrowthInputs:
    overall_score: Decimal
    area_fits: Mapping[str, Decimal] = field(default_factory=dict)  # demanded areas it supplies -> fit %
    figures: Sequence[YearFigure] = ()
    export_share: Decimal = Decimal(0)
    held_certifications: frozenset[str] = frozenset()
    required_certifications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GrowthResult:
    index: Decimal
    parts: dict  # JSON-ready: {part: {"score": str, "weight": str, ...detail}}


def validate_weights(weights: Mapping) -> list[str]:
    """Problems with a weights mapping (empty list when valid)."""
    errors = []
    unknown = sorted(set(weights) - set(PARTS))
    if unknown:
        errors.append(f"Unknown growth-index parts: {', '.join(unknown)}.")
    total = Decimal(0)
    for name in PARTS:
        raw = weights.get(name, 0)
        try:
            value = Decimal(str(raw))
        except Exception:
            errors.append(f"The weight of {name} must be a number.")
            continue
        if not value.is_finite() or value < 0:
            errors.append(f"The weight of {name} must be zero or positive.")
            continue
        total += value
    if not errors and total <= 0:
        errors.append("At least one growth-index weight must be positive.")
    return errors


def cagr(first: Decimal, last: Decimal, years: int) -> Decimal | None:
    """Compound annual growth rate, or None when it is undefined."""
    if years <= 0 or first is None or last is None or first <= 0 or last < 0:
        return None
    ratio = float(last) / float(first)
    return Decimal(repr(ratio ** (1.0 / years) - 1.0))


def _series_cagr(points: Iterable[tuple[int, Decimal]]) -> Decimal | None:
    points = sorted((y, v) for y, v in points if v is not None and v > 0)
    if len(points) < 2:
        return None
    (y0, v0), (y1, v1) = points[0], points[-1]
    return cagr(v0, v1, y1 - y0)


def growth_part(figures: Sequence[YearFigure], export_share: Decimal) -> tuple[Decimal, dict]:
    sales = _series_cagr((f.year, f.sales) for f in figures)
    heads = _series_cagr((f.year, Decimal(f.employees) if f.employees is not None else None) for f in figures)
    indicators = {"export_share": _clamp(Decimal(export_share))}
    detail: dict = {"sales_cagr": None, "headcount_cagr": None}
    if sales is not None:
        indicators["sales_growth"] = _clamp(sales / SALES_CAGR_FULL * HUNDRED)
        detail["sales_cagr"] = str(_q(sales * HUNDRED))
    if heads is not None:
        indicators["headcount_growth"] = _clamp(heads / HEADCOUNT_CAGR_FULL * HUNDRED)
        detail["headcount_cagr"] = str(_q(heads * HUNDRED))
    score = sum(indicators.values(), Decimal(0)) / len(indicators)
    detail["indicators"] = {k: str(_q(v)) for k, v in indicators.items()}
    return _q(score), detail


def alignment_part(area_fits: Mapping[str, Decimal]) -> tuple[Decimal, dict]:
    if not area_fits:
        return Decimal("0.00"), {"areas": {}}
    score = sum((Decimal(v) for v in area_fits.values()), Decimal(0)) / len(area_fits)
    return _q(score), {"areas": {k: str(_q(Decimal(v))) for k, v in sorted(area_fits.items())}}


def certification_part(held: frozenset[str], required: frozenset[str]) -> tuple[Decimal, dict]:
    if required:
        met = held & required
        score = HUNDRED * len(met) / len(required)
        return _q(score), {"required": sorted(required), "held": sorted(met), "missing": sorted(required - held)}
    score = min(HUNDRED, CERTIFICATE_WORTH * len(held))
    return _q(score), {"required": [], "held": sorted(held), "missing": []}


def growth_index(inputs: GrowthInputs, weights: Mapping) -> GrowthResult:
    errors = validate_weights(weights)
    if errors:
        raise ValueError(" ".join(errors))
    w = {name: Decimal(str(weights.get(name, 0))) for name in PARTS}
    scores: dict[str, tuple[Decimal, dict]] = {
        "maturity": (_q(_clamp(Decimal(inputs.overall_score))), {}),
        "alignment": alignment_part(inputs.area_fits),
        "growth": growth_part(inputs.figures, inputs.export_share),
        "certifications": certification_part(inputs.held_certifications, inputs.required_certifications),
    }
    total_weight = sum(w.values(), Decimal(0))
    index = _q(sum((w[name] * scores[name][0] for name in PARTS), Decimal(0)) / total_weight)
    parts = {name: {"score": str(scores[name][0]), "weight": str(w[name]), **scores[name][1]} for name in PARTS}
    return GrowthResult(index=index, parts=parts)
