"""What the diagnostics hold about a supplier, for the ARCO rights (``suppliers.privacy``)."""

from django.db.models import Prefetch

from core.audit import scrub_history
from suppliers.privacy import row

from .models import Answer, Diagnostic, DimensionScore

# Free text that may name people: staff notes (kept in the audit trail of diagnostic edits) and evidence.
DIAGNOSTIC_PERSONAL_FIELDS = ("notes",)


def export_diagnostics(supplier) -> list[dict]:
    """The supplier's published diagnostics, without internal staff notes."""
    diagnostics = (
        Diagnostic.objects.filter(supplier=supplier, published_at__isnull=False)
        .select_related("framework")
        .prefetch_related(
            Prefetch("dimension_scores", queryset=DimensionScore.objects.select_related("dimension")),
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
        )
    )
    return [
        row(d, exclude=("assessor", "validated_by", "baseline", "notes"))
        | {
            "framework": str(d.framework),
            "dimension_scores": [row(s) | {"dimension": str(s.dimension)} for s in d.dimension_scores.all()],
            "answers": [row(a, exclude=("answered_by",)) | {"question": str(a.question)} for a in d.answers.all()],
        }
        for d in diagnostics
    ]


def erase_diagnostic_notes(supplier) -> int:
    """Clear the notes and evidence of the supplier's diagnostics, and the notes their history keeps."""
    diagnostics = Diagnostic.objects.filter(supplier=supplier)
    diagnostics.update(notes="")
    Answer.objects.filter(diagnostic__supplier=supplier).update(evidence="")
    return scrub_history(Diagnostic, list(diagnostics.values_list("pk", flat=True)), DIAGNOSTIC_PERSONAL_FIELDS)
