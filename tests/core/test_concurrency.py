import pytest

from core.concurrency import StaleObjectError, save_versioned
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def test_stale_write_is_refused_and_nothing_is_lost():
    supplier = SupplierFactory(municipality="León")
    first = type(supplier).objects.get(pk=supplier.pk)
    second = type(supplier).objects.get(pk=supplier.pk)
    first.municipality = "Celaya"
    save_versioned(first, expected_version=1, fields=["municipality"])
    assert first.version == 2
    second.municipality = "Irapuato"
    with pytest.raises(StaleObjectError) as excinfo:
        save_versioned(second, expected_version=1, fields=["municipality"])
    assert excinfo.value.current_version == 2
    supplier.refresh_from_db()
    assert (supplier.municipality, supplier.version) == ("Celaya", 2)
