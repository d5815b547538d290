"""The hand-written supplier list row equals DRF's generic representation of the same fields."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rest_framework import serializers

from suppliers.api.serializers import SupplierListSerializer
from suppliers.models import Supplier
from tests.programs.factories import CriticalSupplyAreaFactory
from tests.suppliers.factories import SupplierFactory


@pytest.mark.django_db
def test_list_row_equals_generic_representation():
    plain = SupplierFactory(trade_name="")
    rich = SupplierFactory(
        program=plain.program,
        trade_name="Forjas",
        export_share=Decimal("12.5"),
        annual_sales_mdp=Decimal("3.25"),
        rfc_checksum_valid=False,
    )
    for code in ("ZZ", "AA"):
        rich.supply_areas.add(CriticalSupplyAreaFactory(program=plain.program, code=code))
    rows = Supplier.objects.select_related("state__region").prefetch_related("supply_areas").order_by("pk")
    serializer = SupplierListSerializer(rows, many=True)
    fast = serializer.data
    generic = [serializers.ModelSerializer.to_representation(serializer.child, row) for row in rows]
    assert fast == generic
    assert [list(row) for row in fast] == [list(row) for row in generic]  # same keys in the same order
    assert fast[1]["rfc_warning"] is True and fast[1]["supply_areas"] == generic[1]["supply_areas"]
    assert isinstance(fast[1]["export_share"], str) and fast[1]["annual_sales_mdp"] == generic[1]["annual_sales_mdp"]


@pytest.mark.django_db
def test_values_rows_equal_generic_representation():
    program = SupplierFactory().program
    rich = SupplierFactory(
        program=program,
        trade_name="Forjas",
        export_share=Decimal("12.5"),
        annual_sales_mdp=Decimal("3.25"),
        rfc_checksum_valid=False,
    )
    for code in ("ZZ", "AA", "MM"):
        rich.supply_areas.add(CriticalSupplyAreaFactory(program=program, code=code))
    SupplierFactory(program=program, export_share=Decimal("0"))
    rows = Supplier.objects.select_related("state__region").prefetch_related("supply_areas").order_by("pk")
    serializer = SupplierListSerializer()
    generic = [serializers.ModelSerializer.to_representation(serializer, row) for row in rows]
    fast = SupplierListSerializer.rows(list(SupplierListSerializer.values(rows)))
    assert fast == generic
    assert [list(row) for row in fast] == [list(row) for row in generic]
    assert fast[1]["supply_areas"] == ["AA", "MM", "ZZ"]
    assert SupplierListSerializer.rows([]) == []


STAMPS = [
    datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC),  # no microseconds: ISO 8601 without a fraction
    datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),  # another day in the time zones west of UTC
    datetime(2022, 10, 30, 7, 30, tzinfo=UTC),  # Mexico City's last change to standard time
    datetime(1900, 1, 1, 6, 0, 0, 250000, tzinfo=UTC),  # local mean time: an offset with seconds
    datetime(999, 6, 1, 0, 0, tzinfo=UTC),  # a year of three digits
]
DECIMALS = [("20", "0"), ("3.5", "12.5"), ("0.001", "100"), ("123456789.123", "99.99"), ("180.250", "0.10")]


def _varied_suppliers():
    """Suppliers whose dates and decimals cover what their text must render as DRF renders it."""
    program = SupplierFactory().program
    for n, stamp in enumerate(STAMPS):
        sales, share = DECIMALS[n % len(DECIMALS)]
        supplier = SupplierFactory(program=program, annual_sales_mdp=Decimal(sales), export_share=Decimal(share))
        Supplier.objects.filter(pk=supplier.pk).update(created_at=stamp, updated_at=STAMPS[-1 - n])
    return Supplier.objects.select_related("state__region").prefetch_related("supply_areas").order_by("pk")


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/Mexico_City", "UTC", "Asia/Kathmandu", "America/St_Johns"])
def test_text_rows_equal_generic_representation(zone, settings):
    settings.TIME_ZONE = zone
    rows = _varied_suppliers()
    serializer = SupplierListSerializer()
    generic = [serializers.ModelSerializer.to_representation(serializer, row) for row in rows]
    for typed in ((), ("created_at", "annual_sales_mdp")):
        fast = SupplierListSerializer.text_rows(list(SupplierListSerializer.text_values(rows, typed)))
        assert fast == generic
        assert [list(row) for row in fast] == [list(row) for row in generic]
    assert {row["annual_sales_mdp"] for row in generic} >= {"20.000", "0.001", "180.250"}  # trailing zeros
    assert any(row["created_at"].endswith("Z") for row in generic) == (zone == "UTC")


@pytest.mark.django_db
def test_text_rows_equal_generic_representation_without_time_zone_support(settings):
    _varied_suppliers()
    settings.USE_TZ = False  # the ORM reads naive times of the connection's time zone
    rows = Supplier.objects.select_related("state__region").prefetch_related("supply_areas").order_by("pk")
    serializer = SupplierListSerializer()
    generic = [serializers.ModelSerializer.to_representation(serializer, row) for row in rows]
    fast = SupplierListSerializer.text_rows(list(SupplierListSerializer.text_values(rows)))
    assert fast == generic
    assert "+" not in fast[0]["created_at"] and not fast[0]["created_at"].endswith("Z")  # naive
