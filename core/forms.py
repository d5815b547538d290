"""How every form of SDP renders: Bootstrap 5 markup from templates/components/, no markup in Python.

The bound field adds the classes and ARIA attributes that the design system needs to each widget
(``form-control``, ``form-select``, ``form-check-input``, ``is-invalid``), so that a form rendered with
``{{ form }}`` or ``{{ form.field.as_field_group }}`` is accessible without per-form code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


def widget_class(widget: forms.Widget) -> str:
    """The Bootstrap class of a widget's control."""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "form-select"
    if isinstance(widget, forms.HiddenInput):
        return ""
    return "form-control"


class SDPBoundField(forms.BoundField):
    """Django's bound field (which already sets ``aria-invalid`` and ``aria-describedby`` with the ids
    ``<id>_helptext`` and ``<id>_error``), plus the design system's classes on the widget."""

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_class(widget)
        if css:
            classes = str(attrs.get("class") or widget.attrs.get("class", "")).split()
            if css not in classes:
                classes.insert(0, css)
            if self.errors and "is-invalid" not in classes:
                classes.append("is-invalid")
            attrs["class"] = " ".join(classes)
        return attrs


class SDPFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
    bound_field_class = SDPBoundField


class ServedFile:
    """A stored file as a file input shows it: its name, linked to the view that serves it."""

    def __init__(self, file, url: str):
        self.file = file
        self.url = url

    def __str__(self) -> str:
        return str(self.file)


class ServedFileInput(forms.ClearableFileInput):
    """The file input of a file the storage gives no address for (``MEDIA_URL`` is unset: files are served
    only by permission-checked views): the current file links to ``url_of(instance)``, its view."""

    def __init__(self, url_of, attrs=None):
        super().__init__(attrs)
        self.url_of = url_of

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None) and getattr(value, "instance", None) is not None)

    def format_value(self, value):
        if self.is_initial(value):
            return ServedFile(value, self.url_of(value.instance))
        return None
