"""Expected figures computed with plain Python over the builder's records (independent of the selectors)."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

SCORED = ("scored", "validated")


def avg(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(Decimal(v) for v in values) / len(values)).quantize(Decimal("0.01"))


def registered(data):
    return [s for s in data.suppliers if s["status"] not in ("draft", "duplicate")]


def latest(diags):
    return max(diags, key=lambda d: (d["date"], d["id"])) if diags else None


def baselines(data):
    """supplier id -> latest scored baseline diagnostic, for registered suppliers."""
    ids = {s["id"] for s in registered(data)}
    by_supplier = defaultdict(list)
    for d in data.diagnostics:
        if d["baseline"] is None and d["status"] in SCORED and d["supplier"] in ids:
            by_supplier[d["supplier"]].append(d)
    return {sid: latest(ds) for sid, ds in by_supplier.items()}


def by_month(data):
    months = Counter()
    for s in registered(data):
        local = timezone.localtime(s["registered_at"])
        months[local.date().replace(day=1)] += 1
    return dict(months)


def funnel(data, selected_statuses=("selected",)):
    reg = registered(data)
    verified = [s for s in reg if s["status"] == "verified"]
    base = baselines(data)
    diagnosed = [s for s in verified if s["id"] in base]
    cands = {c["supplier"]: c for c in data.candidates}
    proposed = [
        s
        for s in diagnosed
        if s["id"] in cands and (cands[s["id"]]["in_proposal"] or cands[s["id"]]["status"] == "selected")
    ]
    selected = [s for s in proposed if cands[s["id"]]["status"] in selected_statuses]
    return {
        "registered": len(reg),
        "verified": len(verified),
        "diagnosed": len(diagnosed),
        "proposed": len(proposed),
        "selected": len(selected),
    }


def selected_suppliers(data):
    return {c["supplier"] for c in data.candidates if c["status"] == "selected"}


def follow_ups(data):
    sel = selected_suppliers(data)
    by_supplier = defaultdict(list)
    for d in data.diagnostics:
        if d["baseline"] is not None and d["status"] in SCORED and d["supplier"] in sel:
            by_supplier[d["supplier"]].append(d)
    return {sid: latest(ds) for sid, ds in by_supplier.items()}
