"""FilterSets: strict API filtering (a malformed value is a 400, never ignored) and the audit page's filters."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters import fields as django_filters_fields
from django_filters import rest_framework as filters
from rest_framework import filters as drf_filters

from . import registry
from .audit_text import ACTIONS
from .models import AuditEvent

TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no"}


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also 1/0, yes/no); empty means "no filter"; anything else is an error."""

    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's BooleanWidget turns anything but true/false into "no filter"; read the raw text.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


# Primary keys are 64-bit integers: anything else is refused before it reaches the database
# (PostgreSQL would raise a DataError on a larger number).
PK_MIN, PK_MAX = -(2**63), 2**63 - 1


def _check_pk(field, value):
    if field.to_field_name or value in field.empty_values:
        return
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return  # the field's own message
    if not PK_MIN <= number <= PK_MAX:
        raise forms.ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class BoundedModelChoiceField(django_filters_fields.ModelChoiceField):
    def to_python(self, value):
        _check_pk(self, value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(django_filters_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            _check_pk(self, item)
        return super()._check_values(value)


class BoundedModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class BoundedModelMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    field_class = BoundedModelMultipleChoiceField


def _with_filter_class(field_class, filter_class):
    return {**filters.FilterSet.FILTER_DEFAULTS[field_class], "filter_class": filter_class}


class StrictDateField(forms.DateField):
    """A date; a parameter given with no value (``?scheduled_for=``) is an error, not "no filter"."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictDateFilter(filters.DateFilter):
    field_class = StrictDateField


class StrictIntegerFilter(filters.NumberFilter):
    """Integer fields take whole numbers only (``year=0.5`` is a 400, not an empty page)."""

    field_class = forms.IntegerField


class StrictFilterSet(filters.FilterSet):
    """FilterSet whose generated filters reject malformed booleans, fractions for integers and out-of-range ids."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.DateField: {"filter_class": StrictDateFilter},
        **{
            field: {"filter_class": StrictIntegerFilter}
            for field in (
                models.IntegerField,
                models.SmallIntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
                models.AutoField,
                models.BigAutoField,
            )
        },
        models.ForeignKey: _with_filter_class(models.ForeignKey, BoundedModelChoiceFilter),
        models.OneToOneField: _with_filter_class(models.OneToOneField, BoundedModelChoiceFilter),
        models.ManyToManyField: _with_filter_class(models.ManyToManyField, BoundedModelMultipleChoiceFilter),
        models.OneToOneRel: _with_filter_class(models.OneToOneRel, BoundedModelChoiceFilter),
        models.ManyToOneRel: _with_filter_class(models.ManyToOneRel, BoundedModelMultipleChoiceFilter),
        models.ManyToManyRel: _with_filter_class(models.ManyToManyRel, BoundedModelMultipleChoiceFilter),
    }

    def get_form_class(self):
        """The form class built once per FilterSet class and language, not on every request:
        django-filter rebuilds every form field and its translated label each time. Not cached when a
        filter's queryset depends on the request (a callable). The cache lives on the class, so the
        classes django-filter generates per request from ``filterset_fields`` take it with them."""
        if any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
            return super().get_form_class()
        cls = type(self)
        form_classes = cls.__dict__.get("_sdp_form_classes")
        if form_classes is None:
            form_classes = {}
            cls._sdp_form_classes = form_classes
        language = translation.get_language()
        if language not in form_classes:
            form_classes[language] = super().get_form_class()
        return form_classes[language]


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter backend generating StrictFilterSets from ``filterset_fields``."""

    filterset_base = StrictFilterSet


def _audited_content_types():
    pairs = [label.split(".") for label in registry.audited_models()]
    ids = [ContentType.objects.get_by_natural_key(app, model.lower()).pk for app, model in pairs]
    return ContentType.objects.filter(pk__in=ids)


class AuditEventFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        label=_("record type"), queryset=lambda request: _audited_content_types(), empty_label=_("All")
    )
    object_id = django_filters.CharFilter(label=_("record id"))
    action = django_filters.ChoiceFilter(
        label=_("action"), choices=lambda: sorted(ACTIONS.items(), key=lambda item: str(item[1])), empty_label=_("All")
    )
    to_state = django_filters.CharFilter(label=_("new state"))
    actor = django_filters.CharFilter(label=_("user"), field_name="actor__username", lookup_expr="iexact")
    since = django_filters.DateFilter(label=_("from date"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("to date"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["content_type", "object_id", "action", "to_state", "actor", "since", "until"]


class OrderingFilter(drf_filters.OrderingFilter):
    """DRF's ``?ordering=``, with the primary key as the last key: rows tied on the requested fields come
    in one order on every request, so a page-number list neither repeats nor skips them between pages.
    The key goes the way of the last one asked for (``-employees`` -> ``-employees, -id``), so an index
    on (..., field, id) serves the order read backwards as well as forwards."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("pk", queryset.model._meta.pk.name) for field in ordering):
            ordering = [*ordering, "-pk" if ordering[-1].startswith("-") else "pk"]
        return ordering
