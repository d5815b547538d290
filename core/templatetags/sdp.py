"""Template helpers of the design system: numbers, money, status badges, navigation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# One colour per kind of status, on every page (Bootstrap's contextual colours; the text of the
# badge always says the status, colour is never the only signal).
STATUS_TONES = {
    "success": {
        "verified",
        "validated",
        "scored",
        "selected",
        "endorsed",
        "approved",
        "done",
        "confirmed",
        "disbursed",
        "accepted",
        "submitted_ok",
        "purchase_order",
        "supplying",
        "sent",
        "ready",
        "published",
        "met",
    },
    "danger": {
        "rejected",
        "objected",
        "not_selected",
        "withdrawn",
        "disputed",
        "lost",
        "failed",
        "declined",
        "dropped",
    },
    "warning": {"draft", "duplicate", "waitlisted", "pending", "overdue", "incomplete", "conflict", "expired", "unmet"},
    "info": {
        "submitted",
        "scheduled",
        "in_progress",
        "proposed",
        "anchor_review",
        "referral",
        "application",
        "planned",
        "invited",
        "interested",
        "quoted",
        "ppap",
        "queued",
        "running",
        "logged",
    },
}
TONE_OF = {status: tone for tone, statuses in STATUS_TONES.items() for status in statuses}


def status_tone(status: str) -> str:
    return TONE_OF.get(str(status), "secondary")


@register.simple_tag
def status_badge(status: str, label: str = "") -> str:
    """``{% status_badge obj.status obj.get_status_display %}``: the same colour for a status everywhere."""
    tone = status_tone(status)
    text_class = "text-dark" if tone in {"warning", "info"} else ""
    return format_html(
        '<span class="badge rounded-pill text-bg-{} {}" data-status="{}">{}</span>',
        tone,
        text_class,
        status,
        label or status,
    )


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(amount: Decimal, decimals: int) -> str:
    """Rounded half up (Django's number_format truncates), with thousands separators."""
    rounded = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def number(value, decimals: int = 0) -> str:
    """``1250000`` -> ``1,250,000`` (``|number:1`` keeps one decimal)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return _grouped(amount, int(decimals))


@register.filter
def money(value, currency: str = "MXN") -> str:
    """``1250000`` -> ``$1,250,000 MXN``; cents only when there are any."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    decimals = 0 if amount == amount.to_integral_value() else 2
    sign = "-" if amount < 0 else ""
    return f"{sign}${_grouped(abs(amount), decimals)} {currency}"


@register.filter
def percent(value, decimals: int = 0) -> str:
    """A share in 0-100 -> ``42%`` (``|percent:1`` -> ``42.5%``)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return f"{_grouped(amount, int(decimals))}%"


@register.filter
def short_label(label) -> str:
    """A field's label as the error summary names it: without closing punctuation, at most a few words."""
    text = " ".join(str(label or "").split()).rstrip(".:;?!¿¡ ")
    if len(text) > 60:
        text = text[:57].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, *args, exact: bool = False) -> str:
    """A navigation item, marked ``aria-current="page"`` on the pages below it (``exact``: on that page only)."""
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return ""
    request = context.get("request")
    current = bool(request and request.path.startswith(url) and (url != "/" or request.path == "/"))
    if exact:
        current = bool(request and request.path == url)
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if current else "",
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
    )


@register.simple_tag
def audit_text(event) -> str:
    """``{% audit_text event %}``: an audit event in words (``core.audit_text.describe``)."""
    from core.audit_text import describe

    return describe(event)


@register.simple_tag
def audit_changes(event) -> list[str]:
    """``{% audit_changes event as lines %}``: each changed field as "field: before → after"."""
    from core.audit_text import changes_text

    return changes_text(event.changes)


@register.filter
def names_list(names, attribute: str = "") -> str:
    """``["INA", "IFC", "Secretaría de Economía"]`` as "INA, IFC y Secretaría de Economía" (in the active
    language); with ``attribute``, that attribute of each item."""
    from django.utils.translation import gettext

    items = [str(getattr(name, attribute) if attribute else name) for name in names or ()]
    if len(items) < 2:
        return "".join(items)
    conjunction = gettext("and")
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
