"""Demo sourcing: each anchor posts one to three opportunities, a share of the verified SMEs agreed to be
visible to anchors, and the first anchor's first opportunity takes a few SMEs through every step (two reach a
purchase order). Idempotent: nothing is added when the program already has opportunities."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from programs.models import AnchorCompany, AnchorReviewer, CertificationStandard, CriticalSupplyArea, Program, State
from sourcing import services
from sourcing.models import Invitation, Match, Opportunity
from suppliers.models import Contact

VISIBLE_SMES = 2000  # the SMEs that agreed to be visible to anchors (the lowest ids among the verified)
PARTS = [
    ("Soportes estampados", "Soportes", "Estampado"),
    ("Arneses de cabina", "Arneses", "Ensamble de arneses"),
    ("Carcasas inyectadas", "Carcasas", "Inyección de plástico"),
    ("Flechas maquinadas", "Flechas", "Maquinado CNC"),
    ("Piezas de aluminio fundido", "Fundición", "Fundición a presión"),
    ("Tornillería especial", "Sujetadores", "Forjado en frío"),
]


def seed_sourcing(program: Program, staff, *, rng: random.Random, log=print) -> int:
    if Opportunity.objects.filter(anchor__program=program).exists():
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO sourcing_anchorvisibility (supplier_id, visible, changed_at) "
                "SELECT id, true, now() FROM suppliers_supplier WHERE program_id = %s AND status = 'verified' "
                "ORDER BY id LIMIT %s ON CONFLICT (supplier_id) DO NOTHING",
                [program.pk, VISIBLE_SMES],
            )
        today = timezone.localdate()
        areas = list(CriticalSupplyArea.objects.filter(program=program).order_by("code"))
        iso = CertificationStandard.objects.filter(code__icontains="9001").first()
        fallback_state = State.objects.order_by("code").first()
        posted = []
        for anchor in AnchorCompany.objects.filter(program=program, is_active=True).order_by("name"):
            link = AnchorReviewer.objects.filter(anchor=anchor, is_active=True).select_related("user").first()
            actor = link.user if link else staff
            own = list(anchor.supply_areas.order_by("code")) or areas
            for n in range(rng.randint(1, 3)):
                title, family, process = PARTS[(anchor.pk + n) % len(PARTS)]
                opportunity = services.opportunity_post(
                    anchor=anchor,
                    actor=actor,
                    data={
                        "title": f"{title} {today.year + 1}",
                        "description": f"{title} para el programa de vehículos {today.year + 1}.",
                        "part_family": family,
                        "process": process,
                        "annual_volume": rng.choice([20_000, 50_000, 120_000, 300_000]),
                        "annual_value": Decimal(rng.choice([1_500_000, 4_000_000, 9_000_000])),
                        "currency": rng.choice(["MXN", "MXN", "USD"]),
                        "minimum_maturity_level": rng.choice([None, 2, 3]),
                        "delivery_state": anchor.state or fallback_state,
                        "delivery_plant": f"Planta {anchor.name}",
                        "start_date": today + datetime.timedelta(days=rng.randint(60, 150)),
                        "response_deadline": today + datetime.timedelta(days=rng.randint(10, 40)),
                        "visibility": rng.choice(["invited", "open"]),
                    },
                    areas=rng.sample(own, min(len(own), rng.randint(1, 2))),
                    required_certifications=[iso] if iso and rng.random() < 0.5 else [],
                )
                services.opportunity_rank(opportunity_id=opportunity.pk)
                posted.append((opportunity, actor))
        if posted:
            _take_through_steps(*posted[0], staff=staff)
    log(f"  sourcing: {len(posted)} opportunities posted")
    return len(posted)


def _take_through_steps(opportunity: Opportunity, anchor_actor, *, staff) -> None:
    """The first few ranked SMEs (and the demo SME login's company) through the track; two reach a purchase
    order. The SMEs' steps are taken by their login when they have one, otherwise by staff on their behalf."""
    S = Invitation.Status
    demo_sme = (
        Contact.objects.filter(user__username="pyme").order_by("pk").values_list("supplier_id", flat=True).first()
    )
    ranked = list(Match.objects.filter(opportunity=opportunity).order_by("rank").values_list("supplier_id", flat=True))
    chosen = [s for s in ranked if s != demo_sme][:7]
    invitations = [
        services.invitation_create(opportunity=opportunity, supplier=match_supplier, actor=anchor_actor)
        for match_supplier in _suppliers(chosen)
    ]
    if demo_sme is not None:
        from suppliers.models import Supplier

        supplier = Supplier.objects.get(pk=demo_sme)
        if supplier.program_id == opportunity.anchor.program_id and supplier.status == "verified":
            invitations.append(
                services.invitation_create(opportunity=opportunity, supplier=supplier, actor=anchor_actor)
            )
    today = timezone.localdate()
    plans = [
        [S.INTERESTED, "quote", S.PPAP, S.PURCHASE_ORDER, S.SUPPLYING],
        [S.INTERESTED, "quote", S.PURCHASE_ORDER],
        [S.INTERESTED, "quote", S.PPAP],
        [S.INTERESTED, "quote"],
        [S.INTERESTED],
        [S.DECLINED],
        [S.INTERESTED, "quote", S.LOST],
    ]
    for invitation, steps in zip(invitations, plans, strict=False):
        for step in steps:
            invitation.refresh_from_db()
            if step == "quote":
                services.response_submit(
                    invitation=invitation,
                    actor=staff,
                    summary="Precio unitario y herramental según el plano; entrega semanal.",
                    quoted_value=opportunity.annual_value,
                    currency=opportunity.currency,
                    lead_time_weeks=8,
                )
                continue
            services.invitation_advance(
                invitation=invitation,
                to=step,
                actor=staff if step in (S.INTERESTED, S.DECLINED) else anchor_actor,
                reason={
                    S.DECLINED: "Sin capacidad disponible este año.",
                    S.LOST: "Precio por encima del objetivo.",
                }.get(step, ""),
                purchase_order_value_mxn=Decimal("2400000") if step == S.PURCHASE_ORDER else None,
                purchase_order_date=today if step == S.PURCHASE_ORDER else None,
            )


def _suppliers(ids):
    from suppliers.models import Supplier

    by_id = Supplier.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
