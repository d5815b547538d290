"""Store the scores of diagnostics: one or many at once (batch rescoring of a framework).

A batch costs a fixed number of queries whatever its size: the diagnostics (locked), their
answers, the framework specs (three queries per framework version), the certifications held
and the supply areas each SME wants to supply are fetched once; DimensionScore and AreaAlignment
rows are written set-based, and the transitions to *scored* written to the audit log with one bulk
insert (checked against ``Diagnostic.TRANSITIONS``). This is the one batch path: the seed
(``demo.builder``), ``score_diagnostic`` and the chunked rescoring tasks use it. It runs set-based
(``scoring_sql``: answers aggregated per dimension in SQL, Python only over the aggregated rows).

Idempotent: scoring again with the same answers, framework and requirements writes the same
rows. ``scored_at`` only moves when the maturity results change. A *validated* diagnostic whose
maturity results (overall score, level, cap, dimension scores) change goes back to *scored*, loses
its validation and its publication to the SME, and staff validate it again; if they do not
change, it stays validated (alignment rows are refreshed either way). A diagnostic whose results do not change is not
written at all (its ``version`` and ``updated_at`` stay).
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import AuditEvent

from .. import scoring
from ..models import Diagnostic
from .baselines import refresh_current_baselines


def _str(value) -> str | None:
    return None if value is None else str(value)


def summary(result: scoring.DiagnosticResult) -> dict:
    """What ``Diagnostic.score_details`` stores: the overall result and why (completeness, band, gating).

    Each dimension's figures are stored as ``DimensionScore`` rows; each question's contribution is not
    stored but computed from the answers when it is shown (``assessments.selectors.diagnostic_explanation``):
    answers cannot change while a diagnostic is submitted, scored or validated."""
    return {
        "complete": result.complete,
        "incomplete_dimensions": list(result.incomplete_dimensions),
        "overall_score": _str(result.overall_score),
        "band_level": result.band_level,
        "level": result.level,
        "capped": result.capped,
        "cap_reasons": list(result.cap_reasons),
    }


def explanation_dimensions(result: scoring.DiagnosticResult) -> dict:
    """Every dimension of a scored result with its questions' contributions (the explanation's detail)."""
    return {
        d.code: {
            "score": _str(d.score),
            "weight": str(d.weight),
            "rated": d.rated_count,
            "na": d.na_count,
            "total": d.total_count,
            "complete": d.complete,
            "questions": [
                {
                    "code": c.code,
                    "weight": str(c.weight),
                    "level": c.level,
                    "na": c.not_applicable,
                    "score": _str(c.score),
                    "points": _str(c.points),
                }
                for c in d.contributions
            ],
        }
        for d in result.dimensions
    }


def explanation(result: scoring.DiagnosticResult) -> dict:
    """The whole explanation of a score: the summary and every dimension with its questions' contributions."""
    return {**summary(result), "dimensions": explanation_dimensions(result)}


def transition_events(transitions: Iterable[tuple[int, str]], actor) -> list[AuditEvent]:
    """Audit rows of (diagnostic id, previous status) moving to *scored*, checked against TRANSITIONS."""
    events = []
    content_type = ContentType.objects.get_for_model(Diagnostic)
    for diagnostic_id, status in transitions:
        if Diagnostic.Status.SCORED not in Diagnostic.TRANSITIONS[Diagnostic.Status(status)]:
            raise ValidationError({"status": f"Cannot change from {status} to scored."})
        events.append(
            AuditEvent(
                content_type=content_type,
                object_id=str(diagnostic_id),
                action="transition",
                from_state=status,
                to_state=Diagnostic.Status.SCORED,
                reason="scored" if status == Diagnostic.Status.SUBMITTED else "rescored: results changed",
                actor=actor if getattr(actor, "pk", None) else None,
            )
        )
    return events


@transaction.atomic
def diagnostics_score(*, diagnostic_ids: Iterable[int], actor=None) -> list[int]:
    """Score (or rescore) diagnostics that are submitted, scored or validated; others are skipped.

    Returns the ids scored. Submitted ones move to scored (an audited transition). Set-based
    (``assessments.services.scoring_sql``); it stores exactly what the pure functions of
    ``assessments.scoring`` compute (tests/assessments/test_scoring_sql.py), and writes no diagnostic
    whose results did not change (its ``version`` stays).
    """
    from .scoring_sql import diagnostics_score_sql

    ids, newly_scored = diagnostics_score_sql(diagnostic_ids=diagnostic_ids, actor=actor)
    if newly_scored:
        # A submitted diagnostic that becomes scored can become its supplier's current baseline;
        # rescoring a scored or validated one keeps it scored-or-validated and cannot change it.
        refresh_current_baselines(supplier_ids=Diagnostic.objects.filter(pk__in=newly_scored).values("supplier_id"))
    return ids


def diagnostic_score(*, diagnostic: Diagnostic, actor=None) -> Diagnostic:
    """Score one diagnostic (see ``diagnostics_score``) and return it fresh."""
    diagnostics_score(diagnostic_ids=[diagnostic.pk], actor=actor)
    return Diagnostic.objects.get(pk=diagnostic.pk)
