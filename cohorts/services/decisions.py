"""Staff decisions: stage per candidate, commit all at once, withdraw, promote from the waitlist."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import audit
from core.bulk import copy_insert_rows, copy_update_rows
from core.concurrency import StaleObjectError, save_versioned
from core.models import AuditEvent
from core.notifications import Notice, notify, notify_many
from suppliers.models import Contact, Supplier

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
    optimizer, which bars them unless pinned). The rows are locked and written in one statement.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status not in STAGEABLE:
        raise ValidationError(_("Decisions can only be staged while the cohort is proposed or under anchor review."))
    undecided = (
        Candidate.objects.select_for_update()
        .filter(
            cohort=cohort,
            is_eligible=True,
            staged_status="",
            status__in=[Candidate.Status.PROPOSED, Candidate.Status.ENDORSED],
        )
        .order_by("-growth_index", "id")
        .values_list("pk", "version", "in_proposal", "excluded", "proposal_reason")
    )
    now = timezone.now()
    selected, waitlisted_full, not_selected = (
        reason_code("optimizer_selected"),
        reason_code("waitlisted_full"),
        reason_code("not_selected_limits"),
    )
    rows = []
    waitlisted = 0
    for pk, version, in_proposal, excluded, proposal_reason in undecided.iterator(chunk_size=10_000):
        # The reason is a code, told to each reader in their language.
        if in_proposal:
            status, code = Candidate.Status.SELECTED, selected
        elif waitlisted < waitlist_size and not excluded:
            status, code = Candidate.Status.WAITLISTED, waitlisted_full
            waitlisted += 1
        else:
            status, code = Candidate.Status.NOT_SELECTED, proposal_reason or not_selected
        rows.append((pk, str(status), "", code, version + 1, now))
    copy_update_rows(Candidate, ["staged_status", "staged_reason", "staged_reason_code", "version", "updated_at"], rows)
    _touch_cohort(cohort)
    audit.record(cohort, action="decisions_staged_from_proposal", actor=actor, changes={"staged": len(rows)})
    return len(rows)


def _result_notice(
    *,
    candidate_id: int,
    contact_email: str,
    contact_language: str,
    supplier_name: str,
    cohort_name: str,
    status: str,
    is_eligible: bool,
    ineligibility_reasons: list,
    code: dict,
    note: str,
    waitlist_rank: int | None,
    program_id: int,
    memo: dict | None = None,
) -> Notice:
    """The result message of one decision, in the contact's language, naming the partners of the cohort's
    program (``program_id``). ``memo``: a dict kept across the messages of one batch, so the texts of a
    language, result and reasons are translated once."""
    key = (contact_language, status, is_eligible, json.dumps([ineligibility_reasons, code], sort_keys=True))
    texts = memo.get(key) if memo is not None else None
    if texts is None:
        with translation.override(contact_language):
            texts = (
                str(Candidate.Status(status).label),
                render_all(ineligibility_reasons) if not is_eligible else [],
                render(code),
                staff_note_label(),
            )
        if memo is not None:
            memo[key] = texts
    status_label, reasons, reason_text, note_label = texts
    return Notice(
        template="selection_result",
        recipient=contact_email,
        language=contact_language,
        context={
            "supplier_name": supplier_name,
            "cohort": cohort_name,
            "status": status,
            "status_label": status_label,
            "reason": reason_text,
            "staff_note": note,
            "staff_note_label": note_label,
            "reasons": reasons,
            "waitlist_rank": waitlist_rank,
        },
        # One message per decision, however often a commit, withdrawal or promotion is retried.
        dedupe_key=f"selection_result:candidate:{candidate_id}:{status}",
        program=program_id,
    )


def _notify_result(candidate: Candidate) -> None:
    contact = next((c for c in candidate.supplier.contacts.all() if c.is_primary), None) or next(
        iter(candidate.supplier.contacts.all()), None
    )
    if contact is None:
        return
    notice = _result_notice(
        candidate_id=candidate.pk,
        contact_email=contact.email,
        contact_language=contact.language,
        supplier_name=str(candidate.supplier),
        cohort_name=candidate.cohort.name,
        status=candidate.status,
        is_eligible=candidate.is_eligible,
        ineligibility_reasons=candidate.ineligibility_reasons,
        code=candidate.decision_reason_code,
        note=candidate.decision_reason,
        waitlist_rank=candidate.waitlist_rank,
        program_id=candidate.cohort.program_id,
    )
    notify(**vars(notice))


def _result_contacts(supplier_ids) -> dict[int, tuple[str, str, str]]:
    """``{supplier id: (name, contact email, contact language)}``: each SME's primary contact (else its
    first), read in one query for a whole cohort."""
    contacts: dict[int, tuple[str, str, str]] = {}
    rows = (
        Contact.objects.filter(supplier_id__in=supplier_ids)
        .order_by("supplier_id", "-is_primary", "pk")
        .values_list("supplier_id", "supplier__trade_name", "supplier__legal_name", "email", "language")
    )
    for supplier_id, trade_name, legal_name, email, language in rows.iterator(chunk_size=10_000):
        contacts.setdefault(supplier_id, (trade_name or legal_name, email, language))
    return contacts


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

    Set-based, for cohorts of any size: the candidates are locked and read as plain values, their
    decisions written by one ``UPDATE ... FROM`` a copied table, the audit rows by ``COPY`` and the
    result messages by ``notify_many``.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.ANCHOR_REVIEW:
        raise ValidationError(_("Decisions are committed at the end of the anchor review."))
    save_versioned(cohort, expected_version=expected_version, fields=[])
    candidates = list(
        Candidate.objects.select_for_update()
        .filter(cohort=cohort)
        .exclude(status=Candidate.Status.WITHDRAWN)
        .order_by("-growth_index", "id")
        .values_list(
            "pk",
            "version",
            "status",
            "staged_status",
            "staged_reason",
            "staged_reason_code",
            "is_eligible",
            "excluded",
            "ineligibility_reasons",
            "waitlist_rank",
            "supplier_id",
            named=True,
        )
        .iterator(chunk_size=10_000)
    )
    if candidate_versions:
        for c in candidates:
            if c.pk in candidate_versions and candidate_versions[c.pk] != c.version:
                raise StaleObjectError(Candidate.objects.get(pk=c.pk), c.version)
    barred = [
        c for c in candidates if c.staged_status == Candidate.Status.SELECTED and (not c.is_eligible or c.excluded)
    ]
    if barred:
        raise ValidationError(
            _("These SMEs are ineligible or excluded and cannot be selected: %(names)s.")
            % {"names": ", ".join(_supplier_names(c.supplier_id for c in barred))}
        )
    undecided = [c for c in candidates if c.is_eligible and not c.staged_status]
    if undecided:
        raise ValidationError(
            _("%(n)d eligible candidates have no staged decision, e.g. %(name)s.")
            % {"n": len(undecided), "name": _supplier_names([undecided[0].supplier_id])[0]}
        )
    chosen = sum(1 for c in candidates if c.staged_status == Candidate.Status.SELECTED)
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    ineligible = reason_code("ineligible")
    decided = []  # (candidate, status, code, note, waitlist rank)
    rank = 0
    for c in candidates:
        to, code, note, waitlist_rank = c.staged_status, c.staged_reason_code, c.staged_reason, c.waitlist_rank
        if not c.is_eligible and not to:
            # The reasons themselves are told once, from ``ineligibility_reasons``.
            to, code = Candidate.Status.NOT_SELECTED, ineligible
        if to == Candidate.Status.WAITLISTED:
            rank += 1
            waitlist_rank = rank
        if to not in Candidate.TRANSITIONS.get(c.status, ()):
            raise ValidationError(
                {"status": _("Cannot change from “%(from)s” to “%(to)s”.") % {"from": c.status, "to": to}},
                code="invalid_transition",
            )
        decided.append((c, str(to), code, note, waitlist_rank))
    copy_update_rows(
        Candidate,
        [
            "status",
            "decision_reason",
            "decision_reason_code",
            "decided_by_id",
            "decided_at",
            "staged_status",
            "staged_reason",
            "staged_reason_code",
            "waitlist_rank",
            "version",
            "updated_at",
        ],
        [
            (c.pk, to, note, code, actor_id, now, "", "", {}, rank_, c.version + 1, now)
            for c, to, code, note, rank_ in decided
        ],
    )
    _audit_decisions(decided, actor_id=actor_id, now=now)
    _notify_results(cohort, decided)
    counts: dict[str, int] = dict.fromkeys(DECISIONS, 0)
    for _c, to, *_rest in decided:
        counts[to] += 1
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


def _supplier_names(supplier_ids) -> list[str]:
    return [str(s) for s in Supplier.objects.filter(pk__in=list(supplier_ids)).order_by("pk")]


def _audit_decisions(decided, *, actor_id, now) -> None:
    """One ``transition`` audit row per decision, as ``audit.transition`` writes it, by ``COPY``; each coded
    reason is rendered once."""
    content_type_id = ContentType.objects.get_for_model(Candidate).pk
    rendered: dict[str, str] = {}

    def reason(code: dict, note: str) -> str:
        if note:
            return note
        key = json.dumps(code, sort_keys=True)
        if key not in rendered:
            rendered[key] = render(code)
        return rendered[key]

    copy_insert_rows(
        AuditEvent,
        [
            "content_type_id",
            "object_id",
            "action",
            "from_state",
            "to_state",
            "changes",
            "reason",
            "actor_id",
            "created_at",
        ],
        [
            (content_type_id, str(c.pk), "transition", c.status, to, "{}", reason(code, note), actor_id, now)
            for c, to, code, note, _rank in decided
        ],
    )


def _notify_results(cohort: Cohort, decided) -> None:
    """Every decided SME's result message, written to the outbox at once."""
    contacts = _result_contacts([c.supplier_id for c, *_ in decided])
    notices: list[Notice] = []
    memo: dict[tuple, tuple] = {}
    for c, to, code, note, waitlist_rank in decided:
        if c.supplier_id not in contacts:
            continue
        name, email, language = contacts[c.supplier_id]
        notices.append(
            _result_notice(
                candidate_id=c.pk,
                contact_email=email,
                contact_language=language,
                supplier_name=name,
                cohort_name=cohort.name,
                status=to,
                is_eligible=c.is_eligible,
                ineligibility_reasons=c.ineligibility_reasons,
                code=code,
                note=note,
                waitlist_rank=waitlist_rank,
                program_id=cohort.program_id,
                memo=memo,
            )
        )
    notify_many(notices)


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
