from core.filters import StrictBooleanFilter, StrictDateFilter, StrictFilterSet

from ..models import Diagnostic


class DiagnosticFilter(StrictFilterSet):
    scheduled_after = StrictDateFilter(field_name="scheduled_for", lookup_expr="gte")
    scheduled_before = StrictDateFilter(field_name="scheduled_for", lookup_expr="lte")
    published = StrictBooleanFilter(field_name="published_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Diagnostic
        fields = ["status", "supplier", "assessor", "framework", "mode", "scheduled_for", "maturity_level"]
