"""Every model field a serializer shows that may be blank or null is documented so in the schema: a blank
choice as ``""`` (drf-spectacular's ``BlankEnum``), a blank text without a minimum length, a null as
``nullable``. (Read-only fields of a ModelSerializer lose ``allow_blank``: declared fields keep it.)"""

import json

from django.db import models
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers


def _model_fields_in_schema():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for (name, kind), component in generator.registry._components.items():
        serializer = component.object
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if kind != "schemas" or not isinstance(serializer, serializers.BaseSerializer) or model is None:
            continue
        properties = components.get(name, {}).get("properties", {})
        for field_name, field in serializer.fields.items():
            if field_name not in properties or "." in field.source or field.source == "*":
                continue
            try:
                model_field = model._meta.get_field(field.source)
            except Exception:
                continue
            if model_field.auto_created and not model_field.concrete:  # reverse relations
                continue
            yield f"{name}.{field_name}", model_field, json.dumps(properties[field_name])


def test_blank_and_null_model_fields_are_documented():
    wrong = []
    checked = 0
    for where, model_field, documented in _model_fields_in_schema():
        checked += 1
        if model_field.null and not model_field.many_to_many and '"nullable": true' not in documented:
            wrong.append(f"{where}: may be null")
        if isinstance(model_field, (models.CharField, models.TextField)) and model_field.blank:
            if model_field.choices and "BlankEnum" not in documented and '""' not in documented:
                wrong.append(f"{where}: may be blank")
            if not model_field.choices and "minLength" in documented:
                wrong.append(f"{where}: may be blank")
    assert checked > 100
    assert not wrong, wrong
