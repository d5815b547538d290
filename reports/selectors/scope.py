"""What a report is about: a program, optionally narrowed to a phase or one cohort.

Definitions used by every report query (also in docs/reports.md):

- *registered*: suppliers of the program that submitted a registration (any status except
  draft and duplicate); registration date = ``submitted_at`` (``created_at`` if missing).
  A registration phase keeps the registrations inside its dates; a later phase (selection,
  support) and its cohorts keep everyone registered by the phase's end date.
- *candidacies*: the cohort's candidates; without a cohort, the candidates of every cohort
  of the program (of the phase, when one is given).
- *scored diagnostic*: status scored or validated. A supplier's *baseline* is its latest
  scored diagnostic without a baseline; its *follow-up* is its latest scored diagnostic with one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Diagnostic
from assessments.services.baselines import latest_diagnostic_ids  # noqa: F401  (used by impact)
from cohorts.models import Candidate, Cohort
from programs.models import Phase, Program
from suppliers.models import Supplier

NOT_REGISTERED = (Supplier.Status.DRAFT, Supplier.Status.DUPLICATE)


def _midnight(day: datetime.date) -> datetime.datetime:
    """Start of ``day`` in the current time zone (the one ``__date`` lookups use)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class ReportScope:
    program: Program
    phase: Phase | None = None
    cohort: Cohort | None = None

    @classmethod
    def for_cohort(cls, cohort: Cohort) -> "ReportScope":
        return cls(program=cohort.program, phase=cohort.phase, cohort=cohort)

    @classmethod
    def from_params(cls, params: dict) -> "ReportScope":
        """Rebuild a scope from ``as_params()`` (used by background exports)."""
        if params.get("cohort"):
            return cls.for_cohort(Cohort.objects.select_related("program", "phase").get(pk=params["cohort"]))
        program = Program.objects.get(pk=params["program"])
        phase = Phase.objects.get(pk=params["phase"], program=program) if params.get("phase") else None
        return cls(program=program, phase=phase)

    def as_params(self) -> dict:
        return {
            "program": self.program.pk,
            "phase": self.phase.pk if self.phase else None,
            "cohort": self.cohort.pk if self.cohort else None,
        }

    # -- building blocks -------------------------------------------------

    def registration_dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last local days of the registrations in scope (``None``: open).

        A registration phase counts the registrations inside its dates; any later phase (a selection, the
        support) and its cohorts count everyone registered by the phase's end."""
        if self.phase is None:
            return None, None
        first = self.phase.start_date if self.phase.kind == Phase.Kind.REGISTRATION else None
        return first or None, self.phase.end_date or None

    def registered_suppliers(self) -> QuerySet[Supplier]:
        qs = (
            Supplier.objects.filter(program=self.program)
            .exclude(status__in=NOT_REGISTERED)
            .annotate(registered_at=Coalesce("submitted_at", "created_at", output_field=DateTimeField()))
        )
        # Compared as instants (midnight in the current time zone) rather than ``__date``, which converts every
        # supplier's timestamp to the time zone: the same rows, ~2x cheaper at 100,000.
        first, last = self.registration_dates()
        if first is not None:
            qs = qs.filter(registered_at__gte=_midnight(first))
        if last is not None:
            qs = qs.filter(registered_at__lt=_midnight(last + datetime.timedelta(days=1)))
        return qs

    def candidacy_q(self, prefix: str = "") -> Q:
        """Q on a path ending at Candidate (``prefix`` like ``"supplier__candidacies__"``)."""
        if self.cohort is not None:
            return Q(**{f"{prefix}cohort_id": self.cohort.pk})
        q = Q(**{f"{prefix}cohort__program_id": self.program.pk})
        if self.phase is not None:
            q &= Q(**{f"{prefix}cohort__phase_id": self.phase.pk})
        return q

    def candidates(self) -> QuerySet[Candidate]:
        return Candidate.objects.filter(self.candidacy_q())

    def selected_candidates(self) -> QuerySet[Candidate]:
        return self.candidates().filter(status=Candidate.Status.SELECTED)


def baseline_diagnostics(scope: ReportScope) -> QuerySet[Diagnostic]:
    """Each registered supplier's baseline: its current baseline diagnostic.

    ``Diagnostic.is_current_baseline`` (kept right by ``assessments.services.refresh_current_baselines``
    on every scoring, reopen, update and delete) marks it, so this is a read of a small partial index.
    """
    return Diagnostic.objects.filter(is_current_baseline=True, supplier__in=scope.registered_suppliers().values("id"))


def baseline_ids(scope: ReportScope) -> QuerySet:
    return baseline_diagnostics(scope).values("id")
