"""Human-readable, translatable reasons stored as ``{"code", "params"}`` or ``{"template", "params"}``.

Eligibility reasons are stored as codes so each SME can be told them in its
own language; optimizer messages (``cohorts.selection.Message``) are stored
with their English template and parameters and translated when shown.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ELIGIBILITY_REASONS = {
    "large_company": _("It is a large company (Grande under the DOF 2009 stratification), not an SME."),
    "not_verified": _("Its registration is not verified (current status: %(status)s)."),
    "no_diagnostic": _("It has no scored or validated maturity diagnostic."),
}


def reason(code: str, **params) -> dict:
    return {"code": code, "params": params}


def render(item: dict) -> str:
    """One stored reason in the active language."""
    params = item.get("params") or {}
    if "code" in item:
        text = str(ELIGIBILITY_REASONS.get(item["code"], item["code"]))
    else:
        text = gettext(item.get("template", ""))
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return text


def render_all(items) -> list[str]:
    return [render(i) for i in items or []]


def from_message(message) -> dict:
    """A ``cohorts.selection.Message`` (or plain string) as a storable reason."""
    template = getattr(message, "template", str(message))
    params = getattr(message, "params", {}) or {}
    return {
        "template": template,
        "params": {k: (v if isinstance(v, int | float | str) else str(v)) for k, v in params.items()},
    }
