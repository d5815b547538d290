import django_filters
from django.utils.translation import gettext_lazy as _

from programs.models import State

from .models import Supplier
from .rfc import normalize_rfc


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Supplier.Status.choices, label=_("Status"))
    state = django_filters.ModelChoiceFilter(queryset=State.objects.all(), label=_("State"))
    rfc_warning = django_filters.BooleanFilter(method="filter_rfc_warning", label=_("RFC check digit failed"))
    employee_range = django_filters.ChoiceFilter(
        choices=Supplier._meta.get_field("employee_range").choices,
        label=_("Employees against the range of the size"),
    )
    has_duplicates = django_filters.BooleanFilter(method="filter_duplicates", label=_("Involved in a duplicate"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search (name or RFC)"))

    class Meta:
        model = Supplier
        fields = ["status", "state"]

    def filter_rfc_warning(self, queryset, name, value):
        return queryset.filter(rfc_checksum_valid=not value)

    def filter_duplicates(self, queryset, name, value):
        from django.db.models import Q

        involved = Q(duplicate_of__isnull=False) | Q(duplicates__isnull=False)
        return (queryset.filter(involved) if value else queryset.exclude(involved)).distinct()

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        rfc = normalize_rfc(value)
        matches = Q(legal_name__icontains=value) | Q(trade_name__icontains=value)
        return queryset.filter(matches | Q(rfc__icontains=rfc) if rfc else matches)
