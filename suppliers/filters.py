import django_filters
from django.utils.translation import gettext_lazy as _

from programs.models import State

from .models import Supplier
from .rfc import normalize_rfc


class AllYesNoWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "All" (django-filter's says "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Supplier.Status.choices, label=_("Status"), empty_label=_("All"))
    state = django_filters.ModelChoiceFilter(queryset=State.objects.all(), label=_("State"), empty_label=_("All"))
    rfc_warning = django_filters.BooleanFilter(
        method="filter_rfc_warning", label=_("RFC check digit failed"), widget=AllYesNoWidget
    )
    employee_range = django_filters.ChoiceFilter(
        choices=Supplier._meta.get_field("employee_range").choices,
        label=_("Employees against the range of the size"),
        empty_label=_("All"),
    )
    has_duplicates = django_filters.BooleanFilter(
        method="filter_duplicates", label=_("Involved in a duplicate"), widget=AllYesNoWidget
    )
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
