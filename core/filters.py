"""FilterSets of core's staff pages."""
import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .admin import AUDITED_MODELS
from .models import AuditEvent


def _audited_content_types():
    pairs = [label.split(".") for label in AUDITED_MODELS]
    ids = [ContentType.objects.get_by_natural_key(app, model.lower()).pk for app, model in pairs]
    return ContentType.objects.filter(pk__in=ids)


class AuditEventFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        label=_("record type"), queryset=lambda request: _audited_content_types()
    )
    object_id = django_filters.CharFilter(label=_("record id"))
    action = django_filters.CharFilter(label=_("action"))
    to_state = django_filters.CharFilter(label=_("new state"))
    actor = django_filters.CharFilter(label=_("user"), field_name="actor__username", lookup_expr="iexact")
    since = django_filters.DateFilter(label=_("from date"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("to date"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["content_type", "object_id", "action", "to_state", "actor", "since", "until"]
