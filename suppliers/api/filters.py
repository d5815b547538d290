"""Filters of the supplier list (django-filter)."""

# distinct=False on the column filters: no join, so no duplicates; a DISTINCT over 100,000 suppliers
# cost 60 ms a page (docs/performance.md).
import django_filters

from core.filters import StrictBooleanFilter, StrictFilterSet
from suppliers import models
from suppliers.rfc import normalize_rfc
from suppliers.stratification import EmployeeRange, Size


class SupplierFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=models.Supplier.Status.choices, distinct=False)
    state = django_filters.CharFilter(field_name="state__code", help_text="INEGI state code (01-32).")
    region = django_filters.CharFilter(field_name="state__region__code", help_text="Region code, e.g. bajio.")
    size = django_filters.MultipleChoiceFilter(choices=[(s.value, s.value) for s in Size], distinct=False)
    area = django_filters.CharFilter(
        field_name="supply_areas__code", distinct=True, help_text="Supply area code the supplier serves."
    )
    employee_range = django_filters.MultipleChoiceFilter(
        choices=[(r.value, r.value) for r in EmployeeRange],
        distinct=False,
        help_text="Employees against the DOF 2009 range of the size: within, above or below.",
    )
    rfc = django_filters.CharFilter(
        method="filter_rfc", help_text="The exact RFC; spaces, dashes and lower case are accepted."
    )
    rfc_warning = StrictBooleanFilter(
        field_name="rfc_checksum_valid", exclude=True, help_text="true: only suppliers whose RFC check digit fails."
    )

    class Meta:
        model = models.Supplier
        fields = ["program", "status", "state", "region", "size", "employee_range", "area", "rfc", "rfc_warning"]

    def filter_rfc(self, queryset, name, value):
        return queryset.filter(rfc=normalize_rfc(value))
