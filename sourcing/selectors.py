"""Reads of the sourcing app: each role sees only its own."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from assessments.models import Diagnostic, Dimension
from core import roles
from programs.models import AnchorCompany, CertificationStandard, CriticalSupplyArea
from programs.selectors import scoped
from suppliers.models import Certification, Supplier

from .explain import reason_text
from .models import Attachment, Invitation, Match, Opportunity

S = Invitation.Status


def anchor_opportunities(anchor: AnchorCompany):
    """The anchor's opportunities with their funnel (how many invitations reached each step)."""
    reached = {
        f"n_{step}": Count("invitations", filter=Q(**{"invitations__reached__has_key": step}))
        for step in Invitation.FUNNEL
    }
    return (
        Opportunity.objects.filter(anchor=anchor)
        .annotate(**reached, awarded=Sum("invitations__purchase_order_value_mxn"))
        .order_by("-created_at", "-pk")
    )


def anchor_area_summary(anchor: AnchorCompany) -> list[dict]:
    """The anchor's supply areas with aggregates of the program's SMEs in each (no SME named): how many are
    verified and how many were selected in a cohort."""
    from cohorts.models import Candidate

    # The few selected SMEs as one set (a hashed subplan), not a lookup per row of the areas' SMEs.
    selected = Candidate.objects.filter(status=Candidate.Status.SELECTED).values("supplier_id")
    areas = list(CriticalSupplyArea.objects.filter(anchors=anchor).order_by("code"))
    counts = {
        row["criticalsupplyarea_id"]: row
        for row in Supplier.supply_areas.through.objects.filter(
            criticalsupplyarea__in=areas, supplier__status=Supplier.Status.VERIFIED
        )
        .values("criticalsupplyarea_id")
        .annotate(total=Count("supplier_id"), selected=Count("supplier_id", filter=Q(supplier_id__in=selected)))
    }
    return [
        {
            "area": area,
            "total": counts.get(area.pk, {}).get("total", 0),
            "selected": counts.get(area.pk, {}).get("selected", 0),
        }
        for area in areas
    ]


def visible_opportunity(user, pk: int) -> Opportunity | None:
    """An opportunity the anchor user (its own) or staff may manage."""
    qs = Opportunity.objects.select_related("anchor", "delivery_state")
    if roles.is_program_staff(user):
        return scoped(qs, user).filter(pk=pk).first()
    anchor = roles.anchor_of(user)
    if anchor is None:
        return None
    return qs.filter(pk=pk, anchor=anchor).first()


def current_baselines():
    return Prefetch(
        "supplier__diagnostics",
        queryset=Diagnostic.objects.filter(is_current_baseline=True).only(
            "pk", "supplier_id", "maturity_level", "scores_by_dimension"
        ),
        to_attr="baselines",
    )


def match_rows(opportunity: Opportunity, *, limit: int = 50, sees_finances: bool = False) -> list[dict]:
    """The first ranked SMEs as an anchor may see them: name, state, areas, certifications, maturity level,
    dimension scores and the reasons of its rank; never its finances (``sees_finances``: program staff)."""
    today = timezone.localdate()
    matches = list(
        Match.objects.filter(opportunity=opportunity)
        .select_related("supplier__state")
        .prefetch_related(
            "supplier__supply_areas",
            Prefetch(
                "supplier__certifications",
                queryset=Certification.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
                .select_related("standard")
                .only("pk", "supplier_id", "standard__name"),
            ),
            current_baselines(),
        )
        .order_by("rank")[:limit]
    )
    invited = set(Invitation.objects.filter(opportunity=opportunity).values_list("supplier_id", flat=True))
    certifications = dict(CertificationStandard.objects.values_list("pk", "name"))
    dimensions = dimension_names()
    rows = []
    for m in matches:
        baseline = m.supplier.baselines[0] if m.supplier.baselines else None
        rows.append(
            {
                "match": m,
                "supplier": m.supplier,
                "name": m.supplier.trade_name or m.supplier.legal_name,
                "areas": [a.name for a in m.supplier.supply_areas.all()],
                "certifications": [c.standard.name for c in m.supplier.certifications.all()],
                "level": baseline.maturity_level if baseline else None,
                "dimensions": [
                    (dimensions.get(code, code), value)
                    for code, value in sorted((baseline.scores_by_dimension if baseline else {}).items())
                ],
                "met": [
                    reason_text(r, certifications, dimensions, sees_finances=sees_finances)
                    for r in m.reasons
                    if r.get("met")
                ],
                "missed": [
                    reason_text(r, certifications, dimensions, sees_finances=sees_finances)
                    for r in m.reasons
                    if not r.get("met")
                ],
                "invited": m.supplier_id in invited,
            }
        )
    return rows


def dimension_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for dimension in Dimension.objects.order_by("framework_id").only("code", "name_es", "name_en"):
        names[dimension.code] = dimension.name
    return names


def opportunity_invitations(opportunity: Opportunity):
    return (
        Invitation.objects.filter(opportunity=opportunity)
        .select_related("supplier__state", "response")
        .prefetch_related("response__documents")
        .order_by("pk")
    )


def sme_opportunities(supplier: Supplier):
    """What the SME may see: the opportunities it is invited to, and the open ones it is eligible for (it meets
    their hard requirements, agreed to be visible to anchors, and their deadline has not passed)."""
    today = timezone.localdate()
    eligible = Match.objects.filter(opportunity=OuterRef("pk"), supplier=supplier, meets_requirements=True)
    return (
        Opportunity.objects.filter(
            Q(invitations__supplier=supplier)
            | Q(
                Exists(eligible),
                visibility=Opportunity.Visibility.OPEN,
                status=Opportunity.Status.OPEN,
                response_deadline__gte=today,
                anchor__program_id=supplier.program_id,
            )
        )
        .exclude(status=Opportunity.Status.WITHDRAWN)
        .select_related("anchor", "delivery_state")
        .prefetch_related("areas")
        .distinct()
        .order_by("response_deadline", "pk")
    )


def sme_opportunity(supplier: Supplier, pk: int) -> Opportunity | None:
    return sme_opportunities(supplier).filter(pk=pk).first()


def may_download(user, attachment: Attachment) -> tuple[bool, Supplier | None]:
    """Staff and the anchor's users always; an SME: a non-confidential file when it may see the opportunity,
    a confidential one only when invited and it accepted the confidentiality terms."""
    opportunity = attachment.opportunity
    if roles.is_program_staff(user):
        return scoped(Opportunity.objects.filter(pk=opportunity.pk), user).exists(), None
    anchor = roles.anchor_of(user)
    if anchor is not None:
        return anchor.pk == opportunity.anchor_id, None
    supplier = roles.supplier_of(user)
    if supplier is None:
        return False, None
    invitation = Invitation.objects.filter(opportunity=opportunity, supplier=supplier).first()
    if attachment.is_confidential:
        return bool(invitation and invitation.terms_accepted_at), supplier
    return sme_opportunities(supplier).filter(pk=opportunity.pk).exists(), supplier


def staff_opportunities(user):
    """The opportunities of the programs the staff member sees."""
    return (
        scoped(Opportunity.objects.select_related("anchor"), user)
        .annotate(n_invited=Count("invitations"), awarded=Sum("invitations__purchase_order_value_mxn"))
        .order_by("-created_at", "-pk")
    )
