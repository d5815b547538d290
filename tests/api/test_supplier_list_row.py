"""The hand-written supplier list row equals DRF's generic representation of the same fields."""

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
