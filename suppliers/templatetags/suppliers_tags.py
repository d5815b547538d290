from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# DOF 2009 size categories (the model stores the Spanish code).
SIZE_LABELS = {"micro": _("Micro"), "pequena": _("Small"), "mediana": _("Medium"), "grande": _("Large")}


@register.filter
def size_label(code: str) -> str:
    return SIZE_LABELS.get(code, code)
