"""Company size by the Secretaría de Economía stratification (DOF, 30 June 2009).

The combined score is ``employees * 10% + annual sales (millions of MXN) * 90%``;
the size is the first category whose *tope máximo combinado* is at least the
score. Micro is 4.6 in every sector (inclusive). Above the medium ceiling a
company is large and not eligible as an SME.

The same DOF table gives each category a range of employees. The score alone
decides the size (and so eligibility); when the employees fall outside the range
of the size the score gives, the company is flagged for staff (``EmployeeRange``).

The DOF sector comes from the SCIAN sector (the first two digits of the code):
21-23 and 31-33 industria, 43 and 46 comercio, 48-93 servicios. Any other code
(11, agriculture, or a code that is not a SCIAN sector) has no DOF sector.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Sector(StrEnum):
    INDUSTRY = "industria"
    COMMERCE = "comercio"
    SERVICES = "servicios"


class Size(StrEnum):
    MICRO = "micro"
    SMALL = "pequena"
    MEDIUM = "mediana"
    LARGE = "grande"


class EmployeeRange(StrEnum):
    """Where the employees fall against the DOF range of the size the score gives."""

    WITHIN = "within"
    ABOVE = "above"
    BELOW = "below"


EMPLOYEE_WEIGHT = Decimal("0.10")
SALES_WEIGHT = Decimal("0.90")

# Tope máximo combinado per sector, in order.
CEILINGS: dict[Sector, tuple[tuple[Size, Decimal], ...]] = {
    Sector.INDUSTRY: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("95")), (Size.MEDIUM, Decimal("250"))),
    Sector.COMMERCE: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("93")), (Size.MEDIUM, Decimal("235"))),
    Sector.SERVICES: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("95")), (Size.MEDIUM, Decimal("235"))),
}

# Rango de número de trabajadores per sector and size, both ends inclusive. Large has no range in the table.
EMPLOYEE_RANGES: dict[Sector, dict[Size, tuple[int, int]]] = {
    Sector.INDUSTRY: {Size.MICRO: (0, 10), Size.SMALL: (11, 50), Size.MEDIUM: (51, 250)},
    Sector.COMMERCE: {Size.MICRO: (0, 10), Size.SMALL: (11, 30), Size.MEDIUM: (31, 100)},
    Sector.SERVICES: {Size.MICRO: (0, 10), Size.SMALL: (11, 50), Size.MEDIUM: (51, 100)},
}

# SCIAN sectors (first two digits of the code) of each DOF sector.
SCIAN_SECTORS: dict[str, Sector] = {
    **dict.fromkeys(("21", "22", "23", "31", "32", "33"), Sector.INDUSTRY),
    **dict.fromkeys(("43", "46"), Sector.COMMERCE),
    **dict.fromkeys(
        ("48", "49", "51", "52", "53", "54", "55", "56", "61", "62", "71", "72", "81", "93"), Sector.SERVICES
    ),
}


@dataclass(frozen=True)
class Stratum:
    size: Size
    employee_range: EmployeeRange


def combined_score(employees: int, annual_sales_mdp: Decimal) -> Decimal:
    """``employees*0.10 + sales*0.90`` with sales in millions of pesos."""
    if employees < 0 or annual_sales_mdp < 0:
        raise ValueError("employees and sales cannot be negative")
    return Decimal(employees) * EMPLOYEE_WEIGHT + Decimal(annual_sales_mdp) * SALES_WEIGHT


def company_size(sector: Sector | str, employees: int, annual_sales_mdp: Decimal) -> Size:
    score = combined_score(employees, Decimal(annual_sales_mdp))
    for size, ceiling in CEILINGS[Sector(sector)]:
        if score <= ceiling:
            return size
    return Size.LARGE


def employee_range(sector: Sector | str, size: Size | str, employees: int) -> EmployeeRange:
    """Whether ``employees`` lies in the DOF range of ``size`` in ``sector`` (large: always within)."""
    bounds = EMPLOYEE_RANGES[Sector(sector)].get(Size(size))
    if bounds is None:
        return EmployeeRange.WITHIN
    low, high = bounds
    if employees > high:
        return EmployeeRange.ABOVE
    if employees < low:
        return EmployeeRange.BELOW
    return EmployeeRange.WITHIN


def stratify(sector: Sector | str, employees: int, annual_sales_mdp: Decimal) -> Stratum:
    """The size the combined score gives, and where the employees fall against that size's range."""
    size = company_size(sector, employees, annual_sales_mdp)
    return Stratum(size=size, employee_range=employee_range(sector, size, employees))


def is_sme(size: Size | str) -> bool:
    return Size(size) != Size.LARGE


def sector_for_scian(scian_code: str) -> Sector:
    """DOF sector of a SCIAN code; ``ValueError`` when its first two digits are not a classified SCIAN sector."""
    sector = SCIAN_SECTORS.get((scian_code or "").strip()[:2])
    if sector is None:
        raise ValueError(f"{scian_code!r} is not in a SCIAN sector of industria, comercio or servicios")
    return sector


# Sales are asked in millions of pesos. A figure far above what any SME sells is most likely typed in
# pesos (12,500,000 for 12.5) or mistyped: the registrant is asked what was meant, never corrected silently.
# The largest medium company scores 250 (industria), about 278 million pesos of sales with no employees.
SALES_MDP_PLAUSIBLE_MAX = Decimal(5000)
SALES_LIKELY_IN_PESOS_FROM = Decimal(100_000)
ONE_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class SalesDoubt:
    """A typed sales figure (millions) too large to take as it is; ``in_millions`` is what it would be
    in millions if it was typed in pesos (None when it does not look like pesos)."""

    typed_mdp: Decimal
    in_millions: Decimal | None


def sales_doubt(sales_mdp: Decimal) -> SalesDoubt | None:
    """The doubt about a sales figure typed in millions of pesos, or None when it is plausible."""
    if sales_mdp >= SALES_LIKELY_IN_PESOS_FROM:
        millions = (sales_mdp / ONE_MILLION).quantize(Decimal("0.001"))
        whole = millions == millions.to_integral()
        return SalesDoubt(sales_mdp, millions.to_integral() if whole else millions.normalize())
    if sales_mdp > SALES_MDP_PLAUSIBLE_MAX:
        return SalesDoubt(sales_mdp, None)
    return None
