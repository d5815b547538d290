"""The staff pipeline's filters: institution, product, intermediary bank, step, cohort, a name search."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from programs.selectors import scoped

from . import selectors
from .models import FinancingCase


class FinancingCaseFilter(django_filters.FilterSet):
    institution = django_filters.ChoiceFilter(
        choices=FinancingCase.Institution.choices, label=_("Institution"), empty_label=_("All")
    )
    product = django_filters.ChoiceFilter(
        choices=FinancingCase.Product.choices, label=_("Product"), empty_label=_("All")
    )
    bank = django_filters.ChoiceFilter(label=_("Intermediary bank"), empty_label=_("All"), choices=[])
    status = django_filters.ChoiceFilter(choices=FinancingCase.Status.choices, label=_("Step"), empty_label=_("All"))
    cohort = django_filters.ModelChoiceFilter(
        field_name="candidate__cohort",
        queryset=lambda request: scoped(Cohort.objects.order_by("-year", "name"), request.user if request else None),
        label=_("Cohort"),
        empty_label=_("All"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search (SME)"), max_length=100)

    class Meta:
        model = FinancingCase
        fields = ["institution", "product", "bank", "status", "cohort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the banks of the staff member's programs: a bank of another program is not a choice (400).
        user = self.request.user if self.request is not None else None
        self.filters["bank"].extra["choices"] = [
            (b, b) for b in selectors.banks(scoped(FinancingCase.objects.all(), user))
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(candidate__supplier__legal_name__icontains=value) | Q(candidate__supplier__trade_name__icontains=value)
        )
