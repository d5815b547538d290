"""Running the cohort optimizer: the result is a proposal, not a decision."""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.collector import collector_paused
from core.concurrency import save_versioned
from core.queued import enqueue_on_commit
from suppliers.models import Supplier

from ..models import AnchorReview, Candidate, Cohort
from ..selection import SelectionCandidate, SelectionProblem, solve_exact, solve_greedy
from .reasons import from_message, message_params
from .review import notify_review_additions

PROPOSABLE = (Cohort.Status.DRAFT, Cohort.Status.PROPOSED, Cohort.Status.ANCHOR_REVIEW)
EXACT_TIME_LIMIT = 60.0


def selection_problem(cohort: Cohort) -> SelectionProblem:
    """The pure optimizer instance of a cohort (eligible candidates with a growth index).

    Read as plain values in three queries whatever the cohort's size (no model instances: at 47,000
    eligible candidates of 100,000 SMEs building them took most of an optimizer run)."""
    eligible = Candidate.objects.filter(cohort=cohort, is_eligible=True, growth_index__isnull=False).exclude(
        status=Candidate.Status.WITHDRAWN
    )
    rows = list(
        eligible.order_by("-growth_index", "id").values_list(
            "pk",
            "growth_index",
            "pinned",
            "excluded",
            "supplier_id",
            "supplier__state__code",
            "supplier__state__region__code",
        )
    )
    objected = set(
        AnchorReview.objects.filter(candidate__cohort=cohort, verdict=AnchorReview.Verdict.OBJECT).values_list(
            "candidate_id", flat=True
        )
    )
    # The suppliers' areas, for the suppliers just read (an array constant: PostgreSQL hashes it, about
    # three times faster than evaluating the candidates' filter again as a subquery).
    through = Supplier.supply_areas.through
    of_these = RawSQL(
        f"{connection.ops.quote_name(through._meta.db_table)}.supplier_id = ANY(%s::bigint[])",
        [_int_array({row[4] for row in rows})],
        output_field=BooleanField(),
    )
    codes: dict[int, set[str]] = defaultdict(set)
    for supplier_id, code in through.objects.filter(
        of_these, criticalsupplyarea__program_id=cohort.program_id
    ).values_list("supplier_id", "criticalsupplyarea__code"):
        codes[supplier_id].add(code)
    # Suppliers with the same areas share one set (the compact form indexes each set once).
    shared: dict[frozenset[str], frozenset[str]] = {}
    areas = {supplier_id: shared.setdefault(fs := frozenset(c), fs) for supplier_id, c in codes.items()}
    items = [
        SelectionCandidate(
            id=pk,
            score=score,
            areas=areas.get(supplier_id, frozenset()),
            state=state,
            region=region,
            pinned=pinned,
            excluded=excluded,
            objected=pk in objected,
        )
        for pk, score, pinned, excluded, supplier_id, state, region in rows
        if score is not None  # (eligible candidates have a growth index: filtered above)
    ]
    limits = list(cohort.area_limits.select_related("area"))
    caps = list(cohort.geo_caps.select_related("state", "region"))
    return SelectionProblem(
        candidates=items,
        k=cohort.min_size,
        k_max=cohort.max_size,
        floor=cohort.growth_floor,
        area_min={lim.area.code: lim.minimum for lim in limits if lim.minimum},
        area_max={lim.area.code: lim.maximum for lim in limits if lim.maximum is not None},
        state_cap={cap.state.code: cap.maximum for cap in caps if cap.state is not None},
        region_cap={cap.region.code: cap.maximum for cap in caps if cap.region is not None},
    )


def _result_json(result) -> dict:
    return {
        "status": result.status,
        "objective": str(result.objective),
        "solver": result.solver,
        "seconds": round(result.seconds, 3),
        "selected": list(result.selected),
        "bound": str(result.bound) if result.bound is not None else None,
        "explanation": [from_message(m) for m in result.explanation],
    }


@collector_paused()
@transaction.atomic
def cohort_propose(*, cohort: Cohort, actor=None, time_limit: float = EXACT_TIME_LIMIT) -> dict:
    """Run the exact optimizer (and the greedy baseline) and store the proposal.

    Feasible: ``in_proposal`` marks the chosen candidates and the cohort moves
    to ``proposed``. Infeasible: the proposal says which constraint cannot be
    met and the cohort and its candidates stay as they were.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in PROPOSABLE:
        raise ValidationError(_("The optimizer can only run before the cohort is approved."))
    problem = selection_problem(cohort)
    exact = solve_exact(problem, time_limit=time_limit)
    greedy = solve_greedy(problem, reasons=False)  # compared by its objective only
    proposal = {
        "run_at": timezone.now().isoformat(),
        "k": problem.k,
        "min_size": problem.k,
        "max_size": problem.upper,
        "floor": None if problem.floor is None else str(problem.floor),
        "size_note": from_message(exact.size_note) if exact.size_note else {},
        "candidates": len(problem.candidates),
        "status": exact.status,
        "objective": str(exact.objective),
        "solver": exact.solver,
        "seconds": round(exact.seconds, 3),
        "explanation": [from_message(m) for m in exact.explanation],
        "exact": _result_json(exact),
        "greedy": _result_json(greedy),
        "gap": str(exact.objective - greedy.objective) if exact.feasible and greedy.feasible else None,
    }
    cohort.proposal = proposal
    _store_reasons(cohort, exact.reasons)
    if exact.feasible:
        chosen = set(exact.selected)
        before = set(Candidate.objects.filter(cohort=cohort, in_proposal=True).values_list("pk", flat=True))
        # Candidates entering or leaving the proposal lose a staged decision made on the old proposal,
        # and their version is bumped so a page or API call prepared before the re-run is stale.
        unstage = {"staged_status": "", "staged_reason": "", "version": F("version") + 1}
        Candidate.objects.filter(cohort=cohort, in_proposal=True).exclude(pk__in=chosen).update(
            in_proposal=False, **unstage
        )
        Candidate.objects.filter(cohort=cohort, in_proposal=False, pk__in=chosen).update(in_proposal=True, **unstage)
        save_versioned(cohort, expected_version=None, fields=["proposal"])
        summary = _("Optimizer proposal: %(n)d candidates, objective %(obj)s.") % {
            "n": len(chosen),
            "obj": exact.objective,
        }
        if cohort.status == Cohort.Status.ANCHOR_REVIEW:
            # A re-run during the review keeps the review open: the anchors keep seeing (and may change)
            # their reviews, candidates the re-run left out included.
            audit.record(cohort, action="proposal_rerun", actor=actor, reason=summary)
            notify_review_additions(
                cohort=cohort, added={int(pk) for pk in chosen} - before, run_at=str(proposal["run_at"])
            )
        else:
            audit.transition(cohort, to=Cohort.Status.PROPOSED, allowed=Cohort.TRANSITIONS, actor=actor, reason=summary)
    else:
        save_versioned(cohort, expected_version=None, fields=["proposal"])
        audit.record(
            cohort, action="proposal_infeasible", actor=actor, reason="; ".join(str(m) for m in exact.explanation)
        )
    return proposal


def _store_reasons(cohort: Cohort, reasons: dict) -> None:
    """Each candidate's reason from this run (``{}`` for one the run did not consider), rows already
    holding theirs left unwritten: a re-run with the same outcome writes nothing.

    One statement, whatever the number of candidates: the candidates' ids (``reasons``' keys, all of this
    cohort) and the number of each one's template go as two integer arrays, the templates (a handful) as
    a text array and the parameters as one JSON array; the database builds each ``{"template", "params"}``
    (as ``from_message`` gives it), writes the rows whose reason changed and clears the cohort's other
    candidates. No Python object per row beyond the parameters, no temporary table."""
    templates: dict[str, int] = {}
    numbers: list[int] = []
    params: list[dict] = []
    for message in reasons.values():
        template = getattr(message, "template", None)
        if template is None:
            template = str(message)
        number = templates.get(template)
        if number is None:
            number = templates[template] = len(templates) + 1
        numbers.append(number)
        params.append(message_params(message))
    table = Candidate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH reason AS MATERIALIZED (
                SELECT u.id,
                       jsonb_build_object('template', (%s::text[])[u.template], 'params', %s::jsonb -> (u.n::int - 1))
                       AS value
                FROM unnest(%s::bigint[], %s::int[]) WITH ORDINALITY AS u(id, template, n)
            ), cleared AS (
                UPDATE {table} SET proposal_reason = '{{}}'::jsonb
                WHERE cohort_id = %s AND proposal_reason IS DISTINCT FROM '{{}}'::jsonb
                  AND id NOT IN (SELECT id FROM reason)
            )
            UPDATE {table} AS c SET proposal_reason = reason.value FROM reason
            WHERE c.id = reason.id AND c.cohort_id = %s AND c.proposal_reason IS DISTINCT FROM reason.value
            """,
            [
                list(templates),
                orjson.dumps(params).decode(),
                _int_array(reasons),
                _int_array(numbers),
                cohort.pk,
                cohort.pk,
            ],
        )


def _int_array(values) -> str:
    """Integers as a PostgreSQL array literal (``{1,2,3}``), written at once rather than item by item."""
    return "{" + ",".join(map(str, values)) + "}"


def cohort_request_proposal(*, cohort: Cohort, actor=None) -> None:
    """Queue the optimizer run (``cohorts.tasks.propose_cohort``) after the current transaction commits."""
    from ..tasks import propose_cohort

    if cohort.status not in PROPOSABLE:
        raise ValidationError(_("The optimizer can only run before the cohort is approved."))
    audit.record(cohort, action="proposal_requested", actor=actor)
    enqueue_on_commit(propose_cohort, cohort.pk, getattr(actor, "pk", None))


@transaction.atomic
def candidate_set_pin(
    *,
    candidate: Candidate,
    actor,
    pinned: bool | None = None,
    excluded: bool | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Candidate:
    """Pin (always in the cohort) or exclude (never) a candidate; the optimizer must then be re-run."""
    candidate = Candidate.objects.select_for_update().select_related("cohort").get(pk=candidate.pk)
    if candidate.cohort.status not in PROPOSABLE:
        raise ValidationError(_("Pins and exclusions can only change before the cohort is approved."))
    if not candidate.is_eligible and pinned:
        raise ValidationError(_("An ineligible SME cannot be pinned."))
    before = {"pinned": candidate.pinned, "excluded": candidate.excluded}
    if pinned is not None:
        candidate.pinned = pinned
        if pinned:
            candidate.excluded = False
    if excluded is not None:
        candidate.excluded = excluded
        if excluded:
            candidate.pinned = False
            candidate.staged_status, candidate.staged_reason = "", ""  # a staged decision no longer holds
    candidate.full_clean()
    save_versioned(
        candidate, expected_version=expected_version, fields=["pinned", "excluded", "staged_status", "staged_reason"]
    )
    save_versioned(candidate.cohort, expected_version=None, fields=[])  # commits prepared before are stale
    audit.record(
        candidate,
        action="pin_changed",
        actor=actor,
        reason=reason,
        changes={"before": before, "after": {"pinned": candidate.pinned, "excluded": candidate.excluded}},
    )
    return candidate
