"""IFC size class (two of three criteria) and IFC women-owned / women-led, as tables of cases."""

from decimal import Decimal as D

import pytest

from outcomes.classification import IfcSize, WomenClass, ifc_size, mdp_to_usd, women_class
from outcomes.models import CompanyClass
from outcomes.services.classes import company_classes_compute
from tests.suppliers.factories import SupplierFactory

RATE = D("20")  # 20 pesos per dollar: 2 mdp = 100,000 USD; 60 mdp = 3 million; 300 mdp = 15 million


@pytest.mark.parametrize(
    ("employees", "assets", "sales", "expected", "parts"),
    [
        # All three agree.
        (5, D("1"), D("1"), IfcSize.MICRO, ("micro", "micro", "micro")),
        # Limits are exclusive: 10 employees and exactly 100,000 USD are small.
        (10, D("2"), D("2"), IfcSize.SMALL, ("small", "small", "small")),
        (9, D("1.999"), D("1.999"), IfcSize.MICRO, ("micro", "micro", "micro")),
        # Two of three: 400 employees (large) but small by assets and sales -> small.
        (400, D("10"), D("10"), IfcSize.SMALL, ("large", "small", "small")),
        # Spread micro / small / medium -> the middle one (two criteria are at most small).
        (5, D("10"), D("100"), IfcSize.SMALL, ("micro", "small", "medium")),
        # 50 employees is medium; 3 million USD assets is medium; sales small -> medium.
        (50, D("60"), D("10"), IfcSize.MEDIUM, ("medium", "medium", "small")),
        (299, D("299.99"), D("299.99"), IfcSize.MEDIUM, ("medium", "medium", "medium")),
        # Two large criteria: large (not an MSME by IFC).
        (300, D("300"), D("10"), IfcSize.LARGE, ("large", "large", "small")),
        # Assets unknown: the two left must both be at most the class -> the larger of the two.
        (20, None, D("1"), IfcSize.SMALL, ("small", None, "micro")),
        (5, None, D("1"), IfcSize.MICRO, ("micro", None, "micro")),
        # Only one criterion known: no class.
        (None, None, D("1"), None, (None, None, "micro")),
    ],
)
def test_ifc_size(employees, assets, sales, expected, parts):
    result = ifc_size(employees=employees, total_assets_mdp=assets, annual_sales_mdp=sales, mxn_per_usd=RATE)
    assert result.size == expected
    got = tuple(p.value if p else None for p in (result.by_employees, result.by_assets, result.by_sales))
    assert got == parts


def test_exchange_rate_moves_the_class():
    # 2.5 mdp is 125,000 USD at 20 (small) but 96,154 USD at 26 (micro).
    assert mdp_to_usd(D("2.5"), D("20")) == D("125000")
    small = ifc_size(employees=5, total_assets_mdp=D("2.5"), annual_sales_mdp=D("2.5"), mxn_per_usd=D("20"))
    micro = ifc_size(employees=5, total_assets_mdp=D("2.5"), annual_sales_mdp=D("2.5"), mxn_per_usd=D("26"))
    assert (small.size, micro.size) == (IfcSize.SMALL, IfcSize.MICRO)
    with pytest.raises(ValueError):
        mdp_to_usd(D("1"), D("0"))


@pytest.mark.parametrize(
    ("share", "ceo", "board", "board_share", "expected"),
    [
        (D("51"), None, None, None, WomenClass.OWNED),
        (D("100"), False, True, D("0"), WomenClass.OWNED),
        (D("50.99"), True, False, None, WomenClass.LED),
        (D("20"), True, True, D("30"), WomenClass.LED),
        (D("20"), True, True, D("29.99"), WomenClass.NEITHER),
        (D("19.99"), True, False, None, WomenClass.NEITHER),
        (D("30"), False, None, None, WomenClass.NEITHER),
        (D("0"), None, None, None, WomenClass.NEITHER),
        # Undecidable from what was told.
        (None, True, False, None, None),
        (D("30"), None, False, None, None),
        (D("30"), True, None, None, None),
        (D("30"), True, True, None, None),
    ],
)
def test_women_class(share, ceo, board, board_share, expected):
    got = women_class(women_ownership_share=share, woman_ceo_or_coo=ceo, has_board=board, women_board_share=board_share)
    assert got == expected


@pytest.mark.django_db
def test_classes_are_stored_with_the_date(settings):
    import datetime

    settings.SDP_MXN_PER_USD = D("20")
    led = SupplierFactory(
        employees=20,
        annual_sales_mdp=D("10"),
        total_assets_mdp=D("1"),
        women_ownership_share=D("25"),
        woman_ceo_or_coo=True,
        has_board=False,
    )
    unknown = SupplierFactory(employees=5, annual_sales_mdp=D("1"))
    day = datetime.date(2026, 6, 30)
    assert company_classes_compute(supplier_ids=[led.pk, unknown.pk], today=day) == 2
    row = CompanyClass.objects.get(supplier=led)
    assert (row.ifc_size, row.women_class, row.ifc_size_on, row.women_class_on) == ("small", "led", day, day)
    assert row.dof_size == led.size and row.dof_size_on == day
    assert row.ifc_size_parts == {"employees": "small", "assets": "micro", "sales": "small"}
    assert row.women_owned_or_led is True
    other = CompanyClass.objects.get(supplier=unknown)
    assert (other.ifc_size, other.women_class, other.women_owned_or_led) == ("micro", "", None)
    # Recomputing replaces the row (one per supplier) with the new date.
    led.women_ownership_share = D("60")
    led.save()
    company_classes_compute(supplier_ids=[led.pk], today=day.replace(day=1, month=12))
    row.refresh_from_db()
    assert (row.women_class, row.women_class_on) == ("owned", day.replace(day=1, month=12))
    assert CompanyClass.objects.count() == 2
