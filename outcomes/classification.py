"""Company classes for results reporting: IFC size class and IFC women-owned / women-led. Pure functions.

IFC size class (IFC, "Interpretation Note on Small and Medium Enterprises and Environmental and Social Risk
Management", 2012, and IFC's MSME definition used in its results measurement): a firm is micro, small or
medium when it meets at least two of three criteria::

    class    employees        total assets (USD)          annual sales (USD)
    micro    < 10             < 100,000                   < 100,000
    small    10 to < 50       100,000 to < 3 million      100,000 to < 3 million
    medium   50 to < 300      3 million to < 15 million   3 million to < 15 million
    large    300 or more      15 million or more          15 million or more

"Meets two of three" reads as: the smallest class whose limits two of the criteria respect. With three
criteria known that is the middle one of the three per-criterion classes (the median); with two known, the
larger of the two; with fewer, the class is unknown. Amounts in pesos are converted at a configurable
exchange rate (``settings.SDP_MXN_PER_USD``).

Women-owned SME (IFC / We-Fi definition, "women-owned or women-led"): (a) at least 51 % owned by one or more
women; or (b) at least 20 % owned by women, and at least one woman as CEO/COO (president or vice-president),
and at least 30 % of the board of directors women, where a board exists.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class IfcSize(enum.StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


ORDER = (IfcSize.MICRO, IfcSize.SMALL, IfcSize.MEDIUM, IfcSize.LARGE)
# Upper limits (exclusive) of micro, small and medium; at or above the last one a criterion says "large".
EMPLOYEE_LIMITS = (10, 50, 300)
USD_LIMITS = (Decimal("100000"), Decimal("3000000"), Decimal("15000000"))
MILLION = Decimal("1000000")


def _class_of(value, limits) -> IfcSize:
    for size, limit in zip(ORDER, limits, strict=False):
        if value < limit:
            return size
    return IfcSize.LARGE


def mdp_to_usd(amount_mdp: Decimal, mxn_per_usd: Decimal) -> Decimal:
    """Millions of pesos to US dollars at ``mxn_per_usd`` pesos per dollar."""
    if mxn_per_usd <= 0:
        raise ValueError("the exchange rate must be positive")
    return Decimal(amount_mdp) * MILLION / Decimal(mxn_per_usd)


@dataclass(frozen=True)
class IfcSizeResult:
    size: IfcSize | None
    # The class each known criterion points at, for the explanation staff read.
    by_employees: IfcSize | None
    by_assets: IfcSize | None
    by_sales: IfcSize | None


def ifc_size(
    *,
    employees: int | None,
    total_assets_mdp: Decimal | None,
    annual_sales_mdp: Decimal | None,
    mxn_per_usd: Decimal,
) -> IfcSizeResult:
    """The IFC size class from two of three criteria (``None`` when fewer than two are known)."""
    by_employees = None if employees is None else _class_of(employees, EMPLOYEE_LIMITS)
    by_assets = None if total_assets_mdp is None else _class_of(mdp_to_usd(total_assets_mdp, mxn_per_usd), USD_LIMITS)
    by_sales = None if annual_sales_mdp is None else _class_of(mdp_to_usd(annual_sales_mdp, mxn_per_usd), USD_LIMITS)
    known = sorted(ORDER.index(c) for c in (by_employees, by_assets, by_sales) if c is not None)
    # Two known: the larger of the two; three known: the middle one. Both are the second smallest.
    size = ORDER[known[1]] if len(known) >= 2 else None
    return IfcSizeResult(size=size, by_employees=by_employees, by_assets=by_assets, by_sales=by_sales)


class WomenClass(enum.StrEnum):
    OWNED = "owned"  # at least 51 % owned by women
    LED = "led"  # at least 20 % owned, a woman CEO/COO, and at least 30 % of the board (where one exists)
    NEITHER = "neither"


MAJORITY = Decimal("51")
MINORITY = Decimal("20")
BOARD = Decimal("30")


def women_class(
    *,
    women_ownership_share: Decimal | None,
    woman_ceo_or_coo: bool | None,
    has_board: bool | None,
    women_board_share: Decimal | None,
) -> WomenClass | None:
    """IFC's women-owned / women-led class from its parts; ``None`` when the parts told cannot decide it."""
    if women_ownership_share is None:
        return None
    share = Decimal(women_ownership_share)
    if share >= MAJORITY:
        return WomenClass.OWNED
    if share < MINORITY or woman_ceo_or_coo is False:
        return WomenClass.NEITHER
    if woman_ceo_or_coo is None or has_board is None:
        return None
    if not has_board:
        return WomenClass.LED
    if women_board_share is None:
        return None
    return WomenClass.LED if Decimal(women_board_share) >= BOARD else WomenClass.NEITHER
