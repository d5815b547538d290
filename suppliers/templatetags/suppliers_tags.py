from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# DOF 2009 size categories (the model stores the Spanish code).
SIZE_LABELS = {"micro": _("Micro"), "pequena": _("Small"), "mediana": _("Medium"), "grande": _("Large")}


@register.filter
def size_label(code: str) -> str:
    return SIZE_LABELS.get(code, code)


@register.filter
def mdp(value) -> str:
    """Sales in millions of pesos: ``12.500`` -> "12.5 million pesos" (no trailing zeros)."""
    from decimal import Decimal

    from django.utils.translation import gettext

    from core.templatetags.sdp import number

    if value is None:
        return "—"
    amount = Decimal(value)
    decimals = 0 if amount == amount.to_integral_value() else len(str(amount.normalize()).split(".")[-1])
    return gettext("%(amount)s million pesos") % {"amount": number(amount, min(decimals, 3))}
