"""FilterSets: strict API filtering (a malformed value is a 400, never ignored) and the audit page's filters."""

import functools

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django_filters import fields as django_filters_fields
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from django_filters.utils import translate_validation
from rest_framework import filters as drf_filters

from . import registry
from .audit_text import ACTIONS
from .compiled import UNBOUND, Slot, bind_value
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

    @classmethod
    def cleaned(cls, data) -> dict:
        """The filter values of ``data`` as ``cls(data).form.cleaned_data`` has them, or the ValidationError
        the filter backend raises for ``cls(data).errors`` (the same field messages), without the copies of
        every filter and form field a FilterSet and its form make per request: each value is cleaned by the
        cached form class's own field (cleaning a value changes no field). Forms with their own ``clean``
        methods, disabled fields, or filters whose queryset depends on the request go the FilterSet's way."""
        form_class = cls._shared_form_class()
        if form_class is None:
            filterset = cls(data)
            if not filterset.is_valid():
                raise translate_validation(filterset.errors)
            return filterset.form.cleaned_data
        data = data or QueryDict()  # as FilterSet.__init__ has it
        files: MultiValueDict = MultiValueDict()
        cleaned, errors = {}, ErrorDict()
        for name, field in form_class.base_fields.items():
            try:
                cleaned[name] = field.clean(field.widget.value_from_datadict(data, files, name))
            except forms.ValidationError as exc:
                errors[name] = ErrorList(exc.error_list)
        if errors:
            raise translate_validation(errors)
        return cleaned

    @classmethod
    def _shared_form_class(cls):
        """The cached form class of the current language when ``cleaned`` may clean with its fields, else None."""
        form_classes = cls.__dict__.get("_sdp_form_classes") or {}
        form_class = form_classes.get(translation.get_language())
        if form_class is None:
            form_class = cls().get_form_class()
            if cls.__dict__.get("_sdp_form_classes", {}).get(translation.get_language()) is not form_class:
                return None  # not cached: built per request (a filter's queryset is a callable)
        return form_class if _cleans_by_fields_alone(form_class) else None

    @classmethod
    def slotted(cls, cleaned: dict):
        """The filters given in ``cleaned`` with ``core.compiled.Slot`` in place of their values, for a query
        compiled once per shape: ``(shape, values, binds)``. ``shape`` says everything about the given
        filters that changes the SQL (which are given, how many values each has, booleans, which are
        written into the SQL as the ORM writes them); ``values`` maps each given filter to its value with
        slots; ``binds`` maps each slot's name to the value the ORM would send. None when a given filter
        is not a plain lookup of a field by one value or a list of choices (a ``method``, another lookup
        than exact, a value the ORM would write differently): the caller filters by the FilterSet."""
        shape: list[tuple] = []
        values: dict = {}
        binds: dict = {}
        model = cls._meta.model
        for name, value in cleaned.items():
            filter_ = cls.base_filters[name]
            if value in EMPTY_VALUES:
                continue  # every filter leaves the queryset as it is for an empty value
            if filter_.method is not None or filter_.lookup_expr != "exact":
                return None
            if isinstance(value, bool):
                shape.append((name, value))
                values[name] = value
                continue
            field = _target_field(model, filter_.field_name)
            if field is None:
                return None
            items = list(value) if isinstance(value, list | tuple) else None
            if items is None:
                bound = _bind(field, value)
                if bound is UNBOUND:
                    return None
                shape.append((name, "slot"))
                values[name], binds[name] = Slot(name), bound
                continue
            if items == [] or any(v == getattr(filter_, "null_value", None) for v in items):
                return None
            distinct = list(dict.fromkeys(items))
            pattern = tuple(distinct.index(v) for v in items)  # repeated values stay repeated
            for i, item in enumerate(distinct):
                bound = _bind(field, item)
                if bound is UNBOUND:
                    return None
                binds[f"{name}:{i}"] = bound
            shape.append((name, pattern))
            values[name] = [Slot(f"{name}:{i}") for i in pattern]
        return tuple(shape), values, binds


@functools.cache
def _cleans_by_fields_alone(form_class) -> bool:
    """Whether a form's cleaned data is only its fields' (no form or field ``clean`` hooks, no disabled field)."""
    hooks = ("clean", "_post_clean")
    if any(getattr(form_class, hook) is not getattr(forms.Form, hook) for hook in hooks):
        return False
    return not any(f.disabled or hasattr(form_class, f"clean_{n}") for n, f in form_class.base_fields.items())


def _target_field(model, path: str):
    """The model field a filter's ``field_name`` (``state__region__code``) ends at, or None."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if field.related_model is None:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field


def _bind(field, value):
    """``value`` (a cleaned filter value) as the ORM sends it for an exact lookup on ``field``."""
    if isinstance(value, models.Model):  # a model choice: its primary key, on the related field's target
        target = getattr(field, "target_field", None)
        if target is None or not isinstance(value, field.related_model) or value.pk is None:
            return UNBOUND
        return bind_value(target, value.pk)
    if field.is_relation:
        return UNBOUND
    return bind_value(field, value)


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
