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
