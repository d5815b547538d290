"""Company size by the Secretaría de Economía stratification (DOF, 30 June 2009).

The combined score is ``employees * 10% + annual sales (millions of MXN) * 90%``;
the size is the first category whose *tope máximo combinado* is at least the
score. Micro is 4.6 in every sector (inclusive). Above the medium ceiling a
company is large and not eligible as an SME.
"""

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


EMPLOYEE_WEIGHT = Decimal("0.10")
SALES_WEIGHT = Decimal("0.90")

# Tope máximo combinado per sector, in order.
CEILINGS: dict[Sector, tuple[tuple[Size, Decimal], ...]] = {
    Sector.INDUSTRY: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("95")), (Size.MEDIUM, Decimal("250"))),
    Sector.COMMERCE: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("93")), (Size.MEDIUM, Decimal("235"))),
    Sector.SERVICES: ((Size.MICRO, Decimal("4.6")), (Size.SMALL, Decimal("95")), (Size.MEDIUM, Decimal("235"))),
}


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


def is_sme(size: Size | str) -> bool:
    return Size(size) != Size.LARGE


def sector_for_scian(scian_code: str) -> Sector:
    """DOF sector of a SCIAN code: 31-33 manufacturing = industria, 43/46 = comercio, else servicios."""
    prefix = scian_code[:2]
    if prefix in {"31", "32", "33"}:
        return Sector.INDUSTRY
    if prefix in {"43", "46"}:
        return Sector.COMMERCE
    return Sector.SERVICES
