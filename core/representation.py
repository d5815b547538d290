"""Formatting shared by the API's hand-written representations (rows represented without model instances):
DRF's own field formatting, inlined where a hot path formats many values."""

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601
from rest_framework.settings import api_settings


def iso_datetime(*fields):
    """DRF's DateTimeField.to_representation for ISO 8601 output in the current time zone, inlined: a
    function of a datetime (not None) for the ``fields`` given, all of which format alike. Any field with a
    format or a time zone of its own gets the field's own method (tests compare the outputs)."""
    if any(getattr(f, "format", api_settings.DATETIME_FORMAT) != ISO_8601 or hasattr(f, "timezone") for f in fields):
        return fields[0].to_representation
    zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def represent(value):
        if zone is not None and timezone.is_aware(value):
            value = value.astimezone(zone)
        else:
            value = fields[0].enforce_timezone(value)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent
