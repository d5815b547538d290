"""What a round keeps: the figures other modules record for each answer, and the indicator values of a closed round."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .. import sources
from ..models import IndicatorValue, OutcomeResponse, OutcomeRound

BATCH = 2000
THOUSANDTH = Decimal("0.001")


def _kept(value) -> Decimal | int:
    return value.quantize(THOUSANDTH) if isinstance(value, Decimal) else value


@transaction.atomic
def responses_record_sources(*, round_: OutcomeRound, responses: QuerySet[OutcomeResponse] | None = None) -> int:
    """Keep on each answer of ``round_`` (or of ``responses``) what the other modules record for its SME in the
    round's period (``outcomes.sources``): one query per source, the answers with figures written in batches.
    Returns the answers with some figure recorded."""
    responses = round_.responses.all() if responses is None else responses.filter(round=round_)
    today = timezone.localdate()
    ids = list(responses.values_list("supplier_id", flat=True))
    found: dict[int, dict[str, Decimal | int]] = {}
    for outcome, field in sources.KEPT_IN.items():
        for supplier_id, value in sources.recorded(outcome, ids, round_.period_start, round_.period_end).items():
            found.setdefault(supplier_id, {})[field] = _kept(value)
    zero = {field: 0 for field in OutcomeResponse.RECORDED_FIELDS}
    responses.update(**zero, recorded_on=today)
    with_figures = list(responses.filter(supplier_id__in=list(found)).only("pk", "supplier_id"))
    for response in with_figures:
        for field, value in {**zero, **found[response.supplier_id]}.items():
            setattr(response, field, value)
        response.recorded_on = today
    OutcomeResponse.objects.bulk_update(
        with_figures, [*OutcomeResponse.RECORDED_FIELDS, "recorded_on"], batch_size=BATCH
    )
    return len(with_figures)


@transaction.atomic
def round_indicators_store(*, round_: OutcomeRound) -> int:
    """Compute the indicator values of a closed round (``outcomes.indicators``, suppression applied) and store
    them, replacing earlier ones: the pages, exports, API and reports read these rows."""
    from ..indicators import indicator_rows

    IndicatorValue.objects.filter(round=round_).delete()
    rows = indicator_rows([round_])
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                round=round_,
                indicator=row["indicator"],
                group=row["group"],
                breakdown=row["breakdown"],
                level=str(row["level"])[:200],
                value=row["value"],
                n_smes=row["n_smes"],
                suppressed=row["suppressed"],
                position=i,
            )
            for i, row in enumerate(rows)
        ],
        batch_size=BATCH,
    )
    return len(rows)
