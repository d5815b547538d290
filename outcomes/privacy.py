"""What the outcomes app holds about a supplier, for the ARCO rights (``suppliers.privacy``)."""

from suppliers.privacy import plain

from .models import AnchorSales, CompanyClass, OutcomeResponse

ANSWER_FIELDS = (*OutcomeResponse.FIGURE_FIELDS, *OutcomeResponse.FACT_FIELDS)


def export_outcomes(supplier) -> dict:
    """The SME's follow-up answers (with its sales to each anchor) and its computed classes."""
    responses = (
        OutcomeResponse.objects.filter(supplier=supplier)
        .select_related("round")
        .prefetch_related("anchor_sales__anchor")
        .order_by("round__period_end", "pk")
    )
    classes = CompanyClass.objects.filter(supplier=supplier).first()
    return {
        "follow_up_answers": [
            {
                "round": r.round.name,
                "period": [plain(r.round.period_start), plain(r.round.period_end)],
                "status": r.status,
                "sent_at": plain(r.submitted_at),
                **{name: plain(getattr(r, name)) for name in ANSWER_FIELDS},
                "recorded_in_the_program": {name: plain(getattr(r, name)) for name in OutcomeResponse.RECORDED_FIELDS},
                "sales_to_anchors": {a.anchor.name: plain(a.sales_mdp) for a in r.anchor_sales.all()},
            }
            for r in responses
        ],
        "company_classes": None
        if classes is None
        else {
            "ifc_size": classes.ifc_size,
            "ifc_size_on": plain(classes.ifc_size_on),
            "women_owned_or_led": classes.women_class,
            "women_class_on": plain(classes.women_class_on),
        },
    }


def erase_outcomes(supplier) -> int:
    """Blank every figure the SME answered and its sales to anchors, zero the figures kept from other modules;
    drop its classes. Estimates already
    stored are aggregates and stay. The history of answers keeps states only, no figures: nothing to scrub."""
    AnchorSales.objects.filter(response__supplier=supplier).delete()
    OutcomeResponse.objects.filter(supplier=supplier).update(
        **{name: None for name in ANSWER_FIELDS},
        **{name: 0 for name in OutcomeResponse.RECORDED_FIELDS},
        sales_confirmed=False,
    )
    CompanyClass.objects.filter(supplier=supplier).delete()
    return 0
