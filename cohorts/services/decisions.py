"""Staff decisions: stage per candidate, commit all at once, withdraw, promote from the waitlist."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import audit
from core.concurrency import StaleObjectError, save_versioned
from core.notifications import notify

from ..models import Candidate, Cohort
from .reasons import reason as reason_code
from .reasons import render, render_all, staff_note_label

DECISIONS = (Candidate.Status.SELECTED, Candidate.Status.WAITLISTED, Candidate.Status.NOT_SELECTED)
STAGEABLE = (Cohort.Status.PROPOSED, Cohort.Status.ANCHOR_REVIEW)


def _touch_cohort(cohort: Cohort) -> None:
    """Bump the cohort version so a commit prepared from an older view is refused as stale."""
    save_versioned(cohort, expected_version=None, fields=[])


@transaction.atomic
def cohort_stage_decision(
    *, candidate: Candidate, actor, status: str, reason: str, expected_version: int | None = None
) -> Candidate:
    """Stage (not apply) a decision with the reason the SME will be told; ``status=""`` clears it."""
    candidate = Candidate.objects.select_for_update().select_related("cohort").get(pk=candidate.pk)
    if candidate.cohort.status not in STAGEABLE:
        raise ValidationError(_("Decisions can only be staged while the cohort is proposed or under anchor review."))
    reason = (reason or "").strip()
    if status and status not in DECISIONS:
        raise ValidationError({"staged_status": _("Choose selected, waitlisted or not selected.")})
    if status and not candidate.is_eligible and status != Candidate.Status.NOT_SELECTED:
        raise ValidationError({"staged_status": _("An ineligible SME can only be not selected.")})
    if status and not reason:
        raise ValidationError({"staged_reason": _("Give the reason the SME will be told.")})
    if status and candidate.status not in (
        Candidate.Status.PROPOSED,
        Candidate.Status.ENDORSED,
        Candidate.Status.OBJECTED,
    ):
        raise ValidationError(_("This candidate already has a final decision."))
    candidate.staged_status, candidate.staged_reason = status, reason if status else ""
    candidate.staged_reason_code = reason_code("staff") if status else {}
    save_versioned(
        candidate,
        expected_version=expected_version,
        fields=["staged_status", "staged_reason", "staged_reason_code"],
    )
    _touch_cohort(candidate.cohort)
    audit.record(candidate, action="decision_staged", actor=actor, to_state=status, reason=reason)
    return candidate


@transaction.atomic
def cohort_stage_from_proposal(*, cohort: Cohort, actor, waitlist_size: int = 10) -> int:
    """Stage every undecided eligible candidate from the proposal: in it -> selected, the next best -> waitlisted.

    Candidates an anchor objected to are left unstaged: staff decide them explicitly (or re-run the
    optimizer, which bars them unless pinned).
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in STAGEABLE:
        raise ValidationError(_("Decisions can only be staged while the cohort is proposed or under anchor review."))
    undecided = list(
        Candidate.objects.filter(
            cohort=cohort,
            is_eligible=True,
            staged_status="",
            status__in=[Candidate.Status.PROPOSED, Candidate.Status.ENDORSED],
        ).order_by("-growth_index", "id")
    )
    waitlisted = 0
    for c in undecided:
        c.staged_reason = ""  # the reason is a code, told to each reader in their language
        if c.in_proposal:
            c.staged_status = Candidate.Status.SELECTED
            c.staged_reason_code = reason_code("optimizer_selected")
        elif waitlisted < waitlist_size and not c.excluded:
            c.staged_status = Candidate.Status.WAITLISTED
            c.staged_reason_code = reason_code("waitlisted_full")
            waitlisted += 1
        else:
            c.staged_status = Candidate.Status.NOT_SELECTED
            c.staged_reason_code = c.proposal_reason or reason_code("not_selected_limits")
    for c in undecided:
        save_versioned(c, expected_version=c.version, fields=["staged_status", "staged_reason", "staged_reason_code"])
    _touch_cohort(cohort)
    audit.record(cohort, action="decisions_staged_from_proposal", actor=actor, changes={"staged": len(undecided)})
    return len(undecided)


def _notify_result(candidate: Candidate) -> None:
    contact = next((c for c in candidate.supplier.contacts.all() if c.is_primary), None) or next(
        iter(candidate.supplier.contacts.all()), None
    )
    if contact is None:
        return
    with translation.override(contact.language):
        status_label = str(Candidate.Status(candidate.status).label)
        reasons = render_all(candidate.ineligibility_reasons) if not candidate.is_eligible else []
        reason_text = render(candidate.decision_reason_code)
        note_label = staff_note_label()
    notify(
        template="selection_result",
        recipient=contact.email,
        language=contact.language,
        context={
            "supplier_name": str(candidate.supplier),
            "cohort": candidate.cohort.name,
            "status": candidate.status,
            "status_label": status_label,
            "reason": reason_text,
            "staff_note": candidate.decision_reason,
            "staff_note_label": note_label,
            "reasons": reasons,
            "waitlist_rank": candidate.waitlist_rank,
        },
        # One message per decision, however often a commit, withdrawal or promotion is retried.
        dedupe_key=f"selection_result:candidate:{candidate.pk}:{candidate.status}",
    )


def _apply(candidate: Candidate, *, to: str, code: dict, note: str, actor, now) -> None:
    """Apply a decision: ``code`` the coded reason, ``note`` what staff typed (kept as typed)."""
    candidate.decision_reason_code, candidate.decision_reason = code, note
    candidate.decided_by, candidate.decided_at = actor, now
    candidate.staged_status, candidate.staged_reason, candidate.staged_reason_code = "", "", {}
    candidate.version += 1  # rows are locked by the caller
    audit.transition(
        candidate,
        to=to,
        allowed=Candidate.TRANSITIONS,
        actor=actor,
        reason=note or render(code),
        extra_fields=(
            "decision_reason",
            "decision_reason_code",
            "decided_by",
            "decided_at",
            "staged_status",
            "staged_reason",
            "staged_reason_code",
            "waitlist_rank",
            "version",
        ),
    )


@transaction.atomic
def cohort_commit_decisions(
    *, cohort: Cohort, actor, expected_version: int, candidate_versions: Mapping[int, int] | None = None
) -> dict:
    """Apply every staged decision at once and approve the cohort; notify every SME in its language.

    ``expected_version`` is the cohort version the staff member saw (staging,
    objections, exclusions, rebuilds and optimizer runs bump it),
    ``candidate_versions`` optionally the candidate versions; a stale one
    raises ``StaleObjectError`` and nothing is applied. Objections,
    exclusions, rebuilds making a candidate ineligible and optimizer runs
    moving it in or out of the proposal clear its staged decision, so a
    staged decision of an objected candidate was made after the objection;
    an ineligible or excluded candidate staged ``selected`` is refused.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.ANCHOR_REVIEW:
        raise ValidationError(_("Decisions are committed at the end of the anchor review."))
    save_versioned(cohort, expected_version=expected_version, fields=[])
    candidates = list(
        Candidate.objects.select_for_update()
        .filter(cohort=cohort)
        .exclude(status=Candidate.Status.WITHDRAWN)
        .select_related("supplier", "cohort")
        .prefetch_related("supplier__contacts")
        .order_by("-growth_index", "id")
    )
    for c in candidates:
        if candidate_versions and c.pk in candidate_versions and candidate_versions[c.pk] != c.version:
            raise StaleObjectError(c, c.version)
    barred = [
        c for c in candidates if c.staged_status == Candidate.Status.SELECTED and (not c.is_eligible or c.excluded)
    ]
    if barred:
        raise ValidationError(
            _("These SMEs are ineligible or excluded and cannot be selected: %(names)s.")
            % {"names": ", ".join(str(c.supplier) for c in barred)}
        )
    undecided = [c for c in candidates if c.is_eligible and not c.staged_status]
    if undecided:
        raise ValidationError(
            _("%(n)d eligible candidates have no staged decision, e.g. %(name)s.")
            % {"n": len(undecided), "name": undecided[0].supplier}
        )
    chosen = sum(1 for c in candidates if c.staged_status == Candidate.Status.SELECTED)
    now = timezone.now()
    rank = 0
    counts: dict[str, int] = dict.fromkeys(DECISIONS, 0)
    for c in candidates:
        if not c.is_eligible and not c.staged_status:
            # The reasons themselves are told once, from ``ineligibility_reasons``.
            c.staged_status, c.staged_reason_code = Candidate.Status.NOT_SELECTED, reason_code("ineligible")
        if c.staged_status == Candidate.Status.WAITLISTED:
            rank += 1
            c.waitlist_rank = rank
        _apply(c, to=c.staged_status, code=c.staged_reason_code, note=c.staged_reason, actor=actor, now=now)
        counts[c.status] += 1
        _notify_result(c)
    cohort.places = chosen
    audit.transition(
        cohort,
        to=Cohort.Status.APPROVED,
        allowed=Cohort.TRANSITIONS,
        actor=actor,
        reason=_("%(n)d selected (between %(min)d and %(max)d).")
        % {"n": chosen, "min": cohort.min_size, "max": cohort.max_size},
        extra_fields=("places",),
    )
    return {str(k): v for k, v in counts.items()}


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, actor, reason: str, expected_version: int | None = None) -> Candidate:
    """A selected SME leaves (or is taken out of) the cohort, freeing its place; it is told why.

    Withdrawal applies only after selection: a candidate still proposed, waitlisted or not selected has no
    place to give up."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    candidate = Candidate.objects.select_for_update().select_related("supplier", "cohort").get(pk=candidate.pk)
    if expected_version is not None and candidate.version != expected_version:
        raise StaleObjectError(candidate, candidate.version)
    allowed, why = can_withdraw(candidate)
    if not allowed:
        raise ValidationError(why)
    candidate.waitlist_rank = None
    _apply(
        candidate,
        to=Candidate.Status.WITHDRAWN,
        code=reason_code("withdrawn"),
        note=reason.strip(),
        actor=actor,
        now=timezone.now(),
    )
    _touch_cohort(candidate.cohort)
    _notify_result(candidate)
    return candidate


def can_withdraw(candidate: Candidate) -> tuple[bool, str]:
    """(allowed, reason): only a selected SME of an approved cohort can be withdrawn."""
    if candidate.status != Candidate.Status.SELECTED:
        return False, _("Only a selected SME can be withdrawn; this one is %(status)s.") % {
            "status": candidate.get_status_display().lower()
        }
    if candidate.cohort.status != Cohort.Status.APPROVED:
        return False, _("Withdrawals are made while the cohort is approved.")
    return True, ""


@transaction.atomic
def waitlist_promote(*, cohort: Cohort, actor, reason: str = "", expected_version: int | None = None) -> Candidate:
    """Select the next waitlisted SME into a freed place and tell it.

    The next one is the first by waitlist position that keeps every limit of the cohort (its maximum
    size and places, the supply-area maximums, the state and region caps; an area left below its
    minimum by a withdrawal is filled first); ``cohorts.selectors.waitlist`` says who that is and why
    the ones before it are passed over."""
    from ..selectors import waitlist

    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.APPROVED:
        raise ValidationError(_("The waitlist is used once the cohort is approved."))
    if expected_version is not None:
        save_versioned(cohort, expected_version=expected_version, fields=[])
    state = waitlist(cohort=cohort)
    if state.free_places <= 0:
        raise ValidationError(render(state.blocked))
    if state.next is None:
        raise ValidationError(render(state.blocked))
    candidate = Candidate.objects.select_for_update().select_related("supplier", "cohort").get(pk=state.next.pk)
    code = reason_code("promoted", rank=candidate.waitlist_rank)
    candidate.waitlist_rank = None
    _apply(
        candidate, to=Candidate.Status.SELECTED, code=code, note=(reason or "").strip(), actor=actor, now=timezone.now()
    )
    _touch_cohort(cohort)
    _notify_result(candidate)
    return candidate
