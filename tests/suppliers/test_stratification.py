"""Company size (DOF 30 June 2009): the combined score decides the size; the employee ranges flag.

Each row is a published example (DESIGN.md) or one side of a boundary of the DOF table:
the combined ceilings (micro 4.6; small 93 comercio, 95 industria/servicios; medium 235
comercio/servicios, 250 industria) and the employee ranges (micro up to 10; small 11-30
comercio, 11-50 industria/servicios; medium 31-100 comercio, 51-100 servicios, 51-250 industria).
"""

from decimal import Decimal

import pytest

from suppliers.stratification import (
    EMPLOYEE_RANGES,
    EmployeeRange,
    Sector,
    Size,
    employee_range,
    sector_for_scian,
    stratify,
)

IND, C, S = Sector.INDUSTRY, Sector.COMMERCE, Sector.SERVICES
WITHIN, ABOVE, BELOW = EmployeeRange.WITHIN, EmployeeRange.ABOVE, EmployeeRange.BELOW


@pytest.mark.parametrize(
    "sector, employees, sales, size, flag",
    [
        # The published examples.
        (IND, 10, "4", Size.MICRO, WITHIN),
        (IND, 10, "4.01", Size.SMALL, BELOW),  # score 4.609: small by the score, 10 employees is micro's range
        (C, 45, "90", Size.SMALL, ABOVE),  # score 85.5: small; comercio's small range ends at 30
        (IND, 1000, "100", Size.MEDIUM, ABOVE),  # score 190: medium; industria's medium range ends at 250
        (IND, 300, "260", Size.LARGE, WITHIN),  # score 264: large, not eligible; no range to flag
        # Micro: up to 10 employees in every sector.
        (S, 10, "0", Size.MICRO, WITHIN),
        (S, 11, "0", Size.MICRO, ABOVE),
        (C, 46, "0", Size.MICRO, ABOVE),  # score 4.6 exactly: still micro
        # Small, comercio 11-30.
        (C, 11, "20", Size.SMALL, WITHIN),
        (C, 30, "20", Size.SMALL, WITHIN),
        (C, 31, "20", Size.SMALL, ABOVE),
        # Small, industria and servicios 11-50.
        (IND, 11, "20", Size.SMALL, WITHIN),
        (IND, 50, "20", Size.SMALL, WITHIN),
        (IND, 51, "20", Size.SMALL, ABOVE),
        (S, 50, "20", Size.SMALL, WITHIN),
        (S, 51, "20", Size.SMALL, ABOVE),
        (S, 5, "20", Size.SMALL, BELOW),
        # Medium, comercio 31-100.
        (C, 31, "150", Size.MEDIUM, WITHIN),
        (C, 30, "150", Size.MEDIUM, BELOW),
        (C, 100, "150", Size.MEDIUM, WITHIN),
        (C, 101, "150", Size.MEDIUM, ABOVE),
        # Medium, servicios 51-100.
        (S, 51, "150", Size.MEDIUM, WITHIN),
        (S, 50, "150", Size.MEDIUM, BELOW),
        (S, 100, "150", Size.MEDIUM, WITHIN),
        (S, 101, "150", Size.MEDIUM, ABOVE),
        # Medium, industria 51-250.
        (IND, 51, "150", Size.MEDIUM, WITHIN),
        (IND, 50, "150", Size.MEDIUM, BELOW),
        (IND, 250, "150", Size.MEDIUM, WITHIN),
        (IND, 251, "150", Size.MEDIUM, ABOVE),
        # Combined ceilings on either side.
        (C, 100, "92.2", Size.SMALL, ABOVE),  # 92.98 <= 93
        (C, 100, "92.3", Size.MEDIUM, WITHIN),  # 93.07 > 93
        (IND, 100, "94.4", Size.SMALL, ABOVE),  # 94.96 <= 95
        (IND, 150, "90", Size.MEDIUM, WITHIN),  # 96 > 95
        (S, 100, "250", Size.MEDIUM, WITHIN),  # 10 + 225 = 235 exactly: medium
        (S, 100, "250.01", Size.LARGE, WITHIN),
        (IND, 250, "250", Size.MEDIUM, WITHIN),  # 25 + 225 = 250 exactly: medium
        (IND, 250, "250.01", Size.LARGE, WITHIN),
    ],
)
def test_stratify(sector, employees, sales, size, flag):
    stratum = stratify(sector, employees, Decimal(sales))
    assert (stratum.size, stratum.employee_range) == (size, flag)


def test_medium_ceiling_of_commerce_and_services_is_inclusive():
    # 100 employees and 250 mdp: 10 + 225 = 235 exactly.
    assert stratify(C, 100, Decimal("250")).size == Size.MEDIUM
    assert stratify(S, 100, Decimal("250")).size == Size.MEDIUM
    assert stratify(S, 101, Decimal("250")).size == Size.LARGE


@pytest.mark.parametrize("sector", list(Sector))
@pytest.mark.parametrize("size", [Size.MICRO, Size.SMALL, Size.MEDIUM])
def test_each_range_boundary(sector, size):
    low, high = EMPLOYEE_RANGES[sector][size]
    assert employee_range(sector, size, low) == WITHIN
    assert employee_range(sector, size, high) == WITHIN
    assert employee_range(sector, size, high + 1) == ABOVE
    if low > 0:
        assert employee_range(sector, size, low - 1) == BELOW


@pytest.mark.parametrize(
    "code, sector",
    [
        ("211110", IND),
        ("221110", IND),
        ("236110", IND),
        ("311010", IND),
        ("326192", IND),
        ("336390", IND),
        ("431110", C),
        ("461110", C),
        ("484210", S),
        ("493111", S),
        ("541330", S),
        ("811111", S),
        ("931110", S),
    ],
)
def test_sector_for_scian(code, sector):
    assert sector_for_scian(code) == sector


@pytest.mark.parametrize(
    "code", ["111110", "201010", "241010", "301010", "341010", "421010", "471010", "501010", "941010", ""]
)
def test_sector_for_scian_refuses_other_codes(code):
    with pytest.raises(ValueError):
        sector_for_scian(code)
