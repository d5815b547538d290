"""Human-readable, translatable reasons stored as ``{"code", "params"}`` or ``{"template", "params"}``.

Eligibility and decision reasons are stored as codes with their values so each reader is told them
in their own language (an SME in its contact's language, a page in its viewer's); optimizer messages
(``cohorts.selection.Message``) are stored with their English template and parameters and translated
when shown. What program staff type is kept as typed, beside the code, and shown labelled as theirs.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ELIGIBILITY_REASONS = {
    "large_company": _("It is a large company (Grande under the DOF 2009 stratification), not an SME."),
    "not_verified": _("Its registration is not verified (current status: %(status)s)."),
    "no_diagnostic": _("It has no scored or validated maturity diagnostic."),
    "selected_earlier": _("Selected in %(cohort)s."),
}

DECISION_REASONS = {
    "optimizer_selected": _("Selected by the optimizer for the highest total growth potential."),
    "waitlisted_full": _("Waitlisted: eligible, but the cohort is full."),
    "not_selected_limits": _(
        "Not selected: other candidates had a higher growth potential within the cohort's limits."
    ),
    "ineligible": _("Not eligible for this cohort."),
    "staff": _("Decided by program staff."),
    "withdrawn": _("Withdrawn from the cohort."),
    "promoted": _("Promoted from the waitlist (position %(rank)d) after a place was freed."),
}

WAITLIST_REASONS = {
    "waitlist_next": _("Next: position %(rank)d, the first on the waitlist that keeps every limit of the cohort."),
    "waitlist_after": _("After position %(rank)d."),
    "waitlist_state_cap": _("Passed over: %(state)s already has its maximum of %(cap)d selected."),
    "waitlist_region_cap": _("Passed over: region %(region)s already has its maximum of %(cap)d selected."),
    "waitlist_area_max": _("Passed over: supply area %(area)s already has its maximum of %(max)d selected."),
    "waitlist_area_min_first": _(
        "Passed over: supply area %(area)s is below its minimum of %(min)d, and an SME that supplies it comes first."
    ),
    "waitlist_no_place": _("No place is free: %(selected)d selected of %(places)d places."),
    "waitlist_empty": _("The waitlist is empty."),
    "waitlist_none_fits": _("No SME on the waitlist keeps every limit of the cohort."),
}

REASONS = {**ELIGIBILITY_REASONS, **DECISION_REASONS, **WAITLIST_REASONS}


def reason(code: str, **params) -> dict:
    return {"code": code, "params": params}


def render(item: dict | None) -> str:
    """One stored reason in the active language."""
    if not item:
        return ""
    params = item.get("params") or {}
    if "code" in item:
        text = str(REASONS.get(item["code"], item["code"]))
    else:
        text = gettext(item.get("template", ""))
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return text


def render_all(items) -> list[str]:
    return [render(i) for i in items or []]


def staff_note_label() -> str:
    return gettext("Note from program staff (as typed)")


def render_decision(code: dict | None, note: str = "") -> str:
    """A decision's reason in the active language: the coded reason, then the staff note labelled as such."""
    parts = [render(code)] if code else []
    if note:
        parts.append(f"{staff_note_label()}: {note}")
    return " ".join(p for p in parts if p)


_STORED_AS_IS = (int, float, str)


def from_message(message) -> dict:
    """A ``cohorts.selection.Message`` (or plain string) as a storable reason."""
    template = getattr(message, "template", str(message))
    return {"template": template, "params": message_params(message)}


def message_params(message) -> dict:
    """The parameters of a ``cohorts.selection.Message`` as stored: numbers and strings as they are, any
    other value as its text."""
    params = getattr(message, "params", None)
    if not params:
        return {}
    for value in params.values():
        if not isinstance(value, _STORED_AS_IS):
            return {k: (v if isinstance(v, _STORED_AS_IS) else str(v)) for k, v in params.items()}
    return dict(params)
