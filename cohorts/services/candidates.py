"""Building a cohort's candidate list: eligibility and growth potential."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import current_diagnostics
from core import audit
from core.bulk import copy_insert_rows, json_text
from core.concurrency import save_versioned
from programs.models import CriticalSupplyArea

from .. import growth
from ..models import Candidate, Cohort, CohortReentry
from .reasons import reason

BUILDABLE_STATUSES = (Cohort.Status.DRAFT, Cohort.Status.PROPOSED)


def eligibility_reasons(supplier, diagnostic, *, selected_in: str = "") -> list[dict]:
    """Why ``supplier`` cannot be a candidate (empty when eligible); ``selected_in`` names the earlier
    cohort of the program that selected it (unless staff allowed it back into this one)."""
    from suppliers.models import Supplier

    reasons = []
    if selected_in:
        reasons.append(reason("selected_earlier", cohort=selected_in))
    if supplier.size == "grande":
        reasons.append(reason("large_company"))
    if supplier.status != Supplier.Status.VERIFIED:
        reasons.append(reason("not_verified", status=supplier.status))
    if diagnostic is None or diagnostic.overall_score is None:
        reasons.append(reason("no_diagnostic"))
    return reasons


def growth_inputs(supplier, diagnostic, demanded: dict[int, frozenset[str]], today=None) -> growth.GrowthInputs:
    """The pure inputs of the growth index, from a supplier and its diagnostic as model instances (with
    their supply areas, certifications, annual figures and alignments): the definition that
    ``cohort_build_candidates`` reads set-based (``_build_inputs``), and tests hold it equal to.

    ``demanded`` maps the id of every supply area at least one active anchor
    demands to the certification codes it requires.
    """
    today = today or timezone.localdate()
    supplied = [a.pk for a in supplier.supply_areas.all() if a.pk in demanded]
    fits = {str(al.area_id): al.fit_percent for al in diagnostic.alignments.all() if al.area_id in supplied}
    for area_id in supplied:  # a demanded area without an alignment row fits 0 %
        fits.setdefault(str(area_id), Decimal(0))
    required = frozenset().union(*(demanded[a] for a in supplied)) if supplied else frozenset()
    held = frozenset(
        c.standard.code for c in supplier.certifications.all() if c.expires_on is None or c.expires_on >= today
    )
    figures = [growth.YearFigure(f.year, f.sales_mdp, f.employees) for f in supplier.annual_figures.all()]
    return growth.GrowthInputs(
        overall_score=diagnostic.overall_score,
        area_fits=fits,
        figures=figures,
        export_share=supplier.export_share,
        held_certifications=held,
        required_certifications=required,
    )


def demanded_areas(program_id: int) -> dict[int, frozenset[str]]:
    areas = (
        CriticalSupplyArea.objects.filter(program_id=program_id, anchors__is_active=True)
        .distinct()
        .prefetch_related("required_certifications")
    )
    return {a.pk: frozenset(c.code for c in a.required_certifications.all()) for a in areas}


def selected_earlier(cohort: Cohort, supplier_ids=None) -> dict[int, str]:
    """SMEs selected in an earlier cohort of the program (an earlier year, or the same year created
    before), by supplier id, with that cohort's name; those staff allowed back into ``cohort`` left out."""
    earlier = Candidate.objects.filter(cohort__program_id=cohort.program_id, status=Candidate.Status.SELECTED).filter(
        Q(cohort__year__lt=cohort.year) | Q(cohort__year=cohort.year, cohort__pk__lt=cohort.pk)
    )
    if supplier_ids is not None:
        earlier = earlier.filter(supplier_id__in=supplier_ids)
    allowed = CohortReentry.objects.filter(cohort=cohort).values("supplier_id")
    out: dict[int, str] = {}
    for supplier_id, name in (
        earlier.exclude(supplier_id__in=allowed)
        .order_by("-cohort__year", "-cohort__pk")
        .values_list("supplier_id", "cohort__name")
    ):
        out.setdefault(supplier_id, name)
    return out


def _build_inputs(supplier_ids_query) -> tuple[dict, dict, dict, dict, dict]:
    """What the growth index reads of every supplier in ``supplier_ids_query`` (a subquery of ids), in five
    grouped queries and no model instances: supply areas, certifications held today, annual figures, the current
    diagnostic (id, overall score) and that diagnostic's alignments, each by supplier id."""
    from django.contrib.postgres.aggregates import ArrayAgg

    from assessments.models import AreaAlignment
    from suppliers.models import AnnualFigure, Certification, Supplier

    today = timezone.localdate()
    areas = dict(
        Supplier.supply_areas.through.objects.filter(supplier_id__in=supplier_ids_query)
        .values("supplier_id")
        .annotate(ids=ArrayAgg("criticalsupplyarea_id"))
        .values_list("supplier_id", "ids")  # type: ignore[misc]
    )
    held = dict(
        Certification.objects.filter(supplier_id__in=supplier_ids_query)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values("supplier_id")
        .annotate(codes=ArrayAgg("standard__code"))
        .values_list("supplier_id", "codes")
    )
    figures: defaultdict[int, list] = defaultdict(list)
    for supplier_id, year, sales, employees in AnnualFigure.objects.filter(
        supplier_id__in=supplier_ids_query
    ).values_list("supplier_id", "year", "sales_mdp", "employees"):
        figures[supplier_id].append(growth.YearFigure(year, sales, employees))
    current = current_diagnostics(supplier_ids=supplier_ids_query)
    diagnostics = {
        supplier_id: (pk, score)
        for supplier_id, pk, score in current.values_list("supplier_id", "pk", "overall_score").order_by(
            "supplier_id", "-scheduled_for", "-id"
        )
    }
    fits: defaultdict[int, dict] = defaultdict(dict)
    for diagnostic_id, area_id, fit in AreaAlignment.objects.filter(diagnostic_id__in=current.values("pk")).values_list(
        "diagnostic_id", "area_id", "fit_percent"
    ):
        fits[diagnostic_id][area_id] = fit
    return areas, held, figures, diagnostics, fits


def _inputs_from_rows(
    supplier_id, export_share, diagnostic, areas, held, figures, fits, demanded
) -> growth.GrowthInputs:
    """``growth_inputs`` from the rows ``_build_inputs`` read (the same inputs, without model instances)."""
    diagnostic_id, overall_score = diagnostic
    supplied = [a for a in areas.get(supplier_id, ()) if a in demanded]
    own_fits = fits.get(diagnostic_id, {})
    area_fits = {str(a): own_fits[a] for a in supplied if a in own_fits}
    for area_id in supplied:  # a demanded area without an alignment row fits 0 %
        area_fits.setdefault(str(area_id), Decimal(0))
    required = frozenset().union(*(demanded[a] for a in supplied)) if supplied else frozenset()
    return growth.GrowthInputs(
        overall_score=overall_score,
        area_fits=area_fits,
        figures=figures.get(supplier_id, ()),
        export_share=export_share,
        held_certifications=frozenset(held.get(supplier_id, ())),
        required_certifications=required,
    )


@transaction.atomic
def cohort_build_candidates(*, cohort: Cohort, actor=None, supplier_ids=None) -> dict:
    """Create or refresh a Candidate row for every registered SME of the cohort's program
    (or only ``supplier_ids``).

    Eligible SMEs (not Grande, verified, with a scored or validated
    diagnostic, not selected in an earlier cohort of the program unless
    staff allowed it back) get their growth index and its parts, from their
    current diagnostic; the others are kept with ``is_eligible=False`` and
    the reasons. Pins and exclusions survive; a candidacy in an earlier
    cohort keeps the diagnostic it was built from.

    Set-based: the inputs are read by a fixed number of grouped queries (no model instances), the
    index computed by the pure ``growth.growth_index``, new rows written by ``COPY`` and existing ones by
    one ``UPDATE ... FROM`` a copied temporary table. A program of 100,000 SMEs builds in seconds.
    """
    from suppliers.models import Supplier

    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Candidates can only be rebuilt while the cohort is a draft or proposed."))
    errors = growth.validate_weights(cohort.growth_weights or {})
    if errors:
        raise ValidationError({"growth_weights": errors})
    queryset = Supplier.objects.filter(program_id=cohort.program_id).exclude(
        status__in=[Supplier.Status.DRAFT, Supplier.Status.DUPLICATE]
    )
    if supplier_ids is not None:
        queryset = queryset.filter(pk__in=supplier_ids)
    ids_query = queryset.order_by().values("pk")
    areas, held, figures, diagnostics, fits = _build_inputs(ids_query)
    demanded = demanded_areas(cohort.program_id)
    earlier = selected_earlier(cohort, supplier_ids)
    existing = {
        supplier_id: (pk, staged_status)
        for supplier_id, pk, staged_status in Candidate.objects.filter(
            cohort=cohort, supplier_id__in=ids_query
        ).values_list("supplier_id", "pk", "staged_status")
    }
    weights = cohort.growth_weights
    # The JSON columns as JSON text for COPY (orjson: a fifth of the time of the adapter's json.dumps).
    reasons_json = json_text(Candidate._meta.get_field("ineligibility_reasons"))
    parts_json = json_text(Candidate._meta.get_field("growth_parts"))
    to_update = []
    counts: defaultdict[str, int] = defaultdict(int)
    suppliers = list(queryset.values_list("pk", "size", "status", "export_share"))

    def new_rows():
        """The rows of new candidates, computed while ``COPY`` writes the ones before (updates kept aside)."""
        for supplier_id, size, status, export_share in suppliers:
            diagnostic = diagnostics.get(supplier_id)
            reasons = eligibility_reasons(
                SimpleNamespace(size=size, status=status),
                SimpleNamespace(overall_score=diagnostic[1]) if diagnostic else None,
                selected_in=earlier.get(supplier_id, ""),
            )
            if reasons:
                index, parts = None, {}
                counts["ineligible"] += 1
            else:
                inputs = _inputs_from_rows(supplier_id, export_share, diagnostic, areas, held, figures, fits, demanded)
                result = growth.growth_index(inputs, weights)
                index, parts = result.index, {**result.parts, "diagnostic_id": diagnostic[0]}  # type: ignore[index]
                counts["eligible"] += 1
            found = existing.get(supplier_id)
            if found:
                counts["unstaged"] += bool(reasons and found[1])
                to_update.append((found[0], not reasons, reasons_json(reasons), index, parts_json(parts)))
            else:
                yield (supplier_id, not reasons, reasons_json(reasons), index, parts_json(parts))

    created = _insert_candidates(cohort, new_rows())
    _update_candidates(to_update)
    save_versioned(cohort, expected_version=None, fields=[])
    summary = {"eligible": counts["eligible"], "ineligible": counts["ineligible"], "created": created}
    if supplier_ids is None:
        changes = {**summary, "unstaged": counts["unstaged"]}
        audit.record(cohort, action="candidates_built", actor=actor, changes=changes)
    return summary


NEW_FIELDS = ("supplier_id", "is_eligible", "ineligibility_reasons", "growth_index", "growth_parts")


def _insert_candidates(cohort: Cohort, rows: Iterable[tuple]) -> int:
    """Insert ``(supplier_id, is_eligible, reasons, growth_index, growth_parts)`` as new candidates of ``cohort``
    by ``COPY`` (a national program creates 100,000 rows at once), every other field at its default as
    ``save()`` would store it; plain tuples, no model instances. ``rows`` may be a generator (see
    ``copy_insert_rows``). Returns how many."""
    fields = [f for f in Candidate._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in fields
    }
    defaults["cohort_id"] = cohort.pk
    names = [f.attname for f in fields]
    position = {name: NEW_FIELDS.index(name) for name in names if name in NEW_FIELDS}
    template = [defaults.get(name) for name in names]
    slots = [(names.index(name), at) for name, at in position.items()]

    def full(row: tuple) -> tuple:
        values = template.copy()
        for slot, at in slots:
            values[slot] = row[at]
        return tuple(values)

    return copy_insert_rows(Candidate, names, (full(row) for row in rows))


def _update_candidates(rows: list[tuple]) -> None:
    """Write ``(pk, is_eligible, reasons, growth_index, growth_parts)`` to existing candidates in one
    ``UPDATE ... FROM`` a copied temporary table: an ineligible one leaves the proposal and loses a staged
    decision; every one gets a new version (pages and API calls prepared before the rebuild are stale)."""
    if not rows:
        return
    table = connection.ops.quote_name(Candidate._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _candidate_build (id bigint PRIMARY KEY, is_eligible bool, "
            "reasons jsonb, growth_index numeric, growth_parts jsonb) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE _candidate_build")
        with cursor.cursor.copy(
            "COPY _candidate_build (id, is_eligible, reasons, growth_index, growth_parts) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"""
            UPDATE {table} c SET
                is_eligible = t.is_eligible,
                ineligibility_reasons = t.reasons,
                growth_index = t.growth_index,
                growth_parts = t.growth_parts,
                in_proposal = c.in_proposal AND t.is_eligible,
                staged_reason = CASE WHEN NOT t.is_eligible AND c.staged_status <> '' THEN '' ELSE c.staged_reason END,
                staged_status = CASE WHEN t.is_eligible THEN c.staged_status ELSE '' END,
                version = c.version + 1
            FROM _candidate_build t WHERE c.id = t.id
            """
        )


@transaction.atomic
def cohort_allow_reentry(*, cohort: Cohort, supplier, actor, reason: str) -> CohortReentry:
    """Let an SME selected in an earlier cohort of the program be a candidate of ``cohort`` (audited,
    with a reason); its candidacy is refreshed at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for allowing this SME back.")})
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Re-entry can only be allowed while the cohort is a draft or proposed."))
    if supplier.program_id != cohort.program_id:
        raise ValidationError(_("This SME is not registered in the cohort's program."))
    entry = CohortReentry.objects.filter(cohort=cohort, supplier=supplier).first()
    if entry is not None:
        raise ValidationError(_("This SME is already allowed back into this cohort."))
    entry = CohortReentry(cohort=cohort, supplier=supplier, reason=reason, granted_by=actor)
    entry.full_clean()
    entry.save()
    audit.record(cohort, action="reentry_allowed", actor=actor, reason=reason, changes={"supplier": supplier.pk})
    cohort_build_candidates(cohort=cohort, actor=actor, supplier_ids=[supplier.pk])
    return entry


@transaction.atomic
def cohort_revoke_reentry(*, cohort: Cohort, supplier, actor, reason: str = "") -> None:
    """Take back a re-entry allowed by :func:`cohort_allow_reentry` (audited); the candidacy is refreshed."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in BUILDABLE_STATUSES:
        raise ValidationError(_("Re-entry can only change while the cohort is a draft or proposed."))
    deleted, _rows = CohortReentry.objects.filter(cohort=cohort, supplier=supplier).delete()
    if not deleted:
        raise ValidationError(_("This SME was not allowed back into this cohort."))
    audit.record(cohort, action="reentry_revoked", actor=actor, reason=reason, changes={"supplier": supplier.pk})
    cohort_build_candidates(cohort=cohort, actor=actor, supplier_ids=[supplier.pk])
