"""The anchor review round: open it, anchors endorse or object, reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, roles
from core.concurrency import save_versioned
from core.models import OutboundMessage
from core.notifications import notify
from programs.models import AnchorCompany, AnchorReviewer

from ..models import AnchorReview, Candidate, Cohort
from ..permissions import can_review_candidate

REMINDER_DAYS = getattr(settings, "SDP_REVIEW_REMINDER_DAYS", 3)


def _reviewers_with_work(cohort: Cohort, among: set[int] | None = None) -> dict[int, tuple[AnchorReviewer, int]]:
    """Active reviewers whose anchor demands an area of a proposed candidate, with the count of pending ones
    (counted among the candidates ``among`` when given)."""
    rows = Candidate.objects.filter(cohort=cohort, in_proposal=True).prefetch_related("supplier__supply_areas")
    if among is not None:
        rows = rows.filter(pk__in=among)
    proposed = list(rows)
    reviewed = set(AnchorReview.objects.filter(candidate__cohort=cohort).values_list("anchor_id", "candidate_id"))
    anchors = AnchorCompany.objects.filter(program_id=cohort.program_id, is_active=True).prefetch_related(
        "supply_areas", "reviewers__user"
    )
    out = {}
    for anchor in anchors:
        areas = {a.pk for a in anchor.supply_areas.all()}
        pending = sum(
            1
            for c in proposed
            if (anchor.pk, c.pk) not in reviewed and areas & {a.pk for a in c.supplier.supply_areas.all()}
        )
        for reviewer in anchor.reviewers.all():
            if reviewer.is_active and reviewer.user.is_active and reviewer.user.email:
                out[reviewer.pk] = (reviewer, pending)
    return out


@transaction.atomic
def cohort_open_review(*, cohort: Cohort, deadline: datetime, actor, expected_version: int | None = None) -> Cohort:
    """Send the proposal to the anchors: status ``anchor_review``, deadline, "review requested" to each reviewer."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if (cohort.proposal or {}).get("status") not in ("optimal", "feasible"):
        raise ValidationError(_("Run the optimizer to a feasible proposal before opening the anchor review."))
    if deadline <= timezone.now():
        raise ValidationError({"review_deadline": _("The deadline must be in the future.")})
    cohort.review_deadline = deadline
    save_versioned(cohort, expected_version=expected_version, fields=["review_deadline"])
    audit.transition(
        cohort,
        to=Cohort.Status.ANCHOR_REVIEW,
        allowed=Cohort.TRANSITIONS,
        actor=actor,
        reason=_("Anchor review open until %(deadline)s.") % {"deadline": deadline.isoformat()},
    )
    for reviewer, pending in _reviewers_with_work(cohort).values():
        if pending:
            notify(
                template="anchor_review_requested",
                recipient=reviewer.user.email,
                language=None,
                context=_review_message(cohort, reviewer, pending, deadline),
            )
    return cohort


def _review_message(cohort: Cohort, reviewer, pending: int, deadline: datetime) -> dict:
    """What an anchor reviewer's email about the review of ``cohort`` says (opened or extended)."""
    return {
        "cohort": cohort.name,
        "anchor": reviewer.anchor.name,
        "pending": pending,
        "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        "path": f"/anclas/cohortes/{cohort.pk}/",
    }


@transaction.atomic
def cohort_extend_review_deadline(
    *, cohort: Cohort, deadline: datetime, actor, reason: str = "", expected_version: int | None = None
) -> Cohort:
    """Move the deadline of an open anchor review later (also after it passed, reopening the review);
    audited, and every reviewer with candidates to review is told the new deadline."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.status != Cohort.Status.ANCHOR_REVIEW:
        raise ValidationError(_("The deadline can be extended only while the anchor review is open."))
    if deadline <= timezone.now():
        raise ValidationError({"review_deadline": _("The deadline must be in the future.")})
    before = cohort.review_deadline
    if before is not None and deadline <= before:
        raise ValidationError({"review_deadline": _("The new deadline must be later than the current one.")})
    cohort.review_deadline = deadline
    save_versioned(cohort, expected_version=expected_version, fields=["review_deadline"])
    audit.record(
        cohort,
        action="review_deadline_extended",
        actor=actor,
        reason=(reason or "").strip(),
        changes={"review_deadline": {"before": before.isoformat() if before else None, "after": deadline.isoformat()}},
    )
    for reviewer, pending in _reviewers_with_work(cohort).values():
        notify(
            template="anchor_review_extended",
            recipient=reviewer.user.email,
            language=None,
            context=_review_message(cohort, reviewer, pending, deadline),
            dedupe_key=f"anchor_review_extended:{cohort.pk}:{reviewer.pk}:{deadline.isoformat()}",
        )
    return cohort


def notify_review_additions(*, cohort: Cohort, added: set[int], run_at: str) -> int:
    """After a re-run during the anchor review put the candidates ``added`` into the proposal, tell each
    reviewer whose company demands an area of one of them, once per run; returns the emails queued."""
    if cohort.status != Cohort.Status.ANCHOR_REVIEW or not added or cohort.review_deadline is None:
        return 0
    sent = 0
    for reviewer, pending in _reviewers_with_work(cohort, among=added).values():
        if pending:
            notify(
                template="anchor_review_updated",
                recipient=reviewer.user.email,
                language=None,
                context=_review_message(cohort, reviewer, pending, cohort.review_deadline),
                dedupe_key=f"anchor_review_updated:{cohort.pk}:{reviewer.pk}:{run_at}",
            )
            sent += 1
    return sent


def _aggregate_status(candidate: Candidate) -> str | None:
    verdicts = set(candidate.reviews.values_list("verdict", flat=True))
    if AnchorReview.Verdict.OBJECT in verdicts:
        return Candidate.Status.OBJECTED
    if AnchorReview.Verdict.ENDORSE in verdicts:
        return Candidate.Status.ENDORSED
    return None


@transaction.atomic
def anchor_review_submit(*, candidate: Candidate, actor, verdict: str, reason: str = "") -> AnchorReview:
    """An anchor reviewer endorses, objects (reason required) or declares a conflict of interest.

    One review per anchor and candidate, which may be changed until the
    deadline. The candidate becomes ``objected`` if any anchor objects,
    otherwise ``endorsed`` if any endorses.
    """
    allowed, why = can_review_candidate(actor, candidate)
    if not allowed:
        raise PermissionDenied(why)
    anchor = roles.anchor_of(actor)
    reason = (reason or "").strip()
    if verdict not in AnchorReview.Verdict.values:
        raise ValidationError({"verdict": _("Choose endorse, object or conflict of interest.")})
    if verdict != AnchorReview.Verdict.ENDORSE and not reason:
        raise ValidationError({"reason": _("Give a reason for an objection or a conflict of interest.")})
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    review = AnchorReview.objects.filter(candidate=candidate, anchor=anchor).first() or AnchorReview(
        candidate=candidate, anchor=anchor
    )
    before = review.verdict if review.pk else ""
    review.reviewer, review.verdict, review.reason = actor, verdict, reason
    review.full_clean()
    review.save()
    audit.record(
        review,
        action="anchor_review",
        actor=actor,
        from_state=before,
        to_state=verdict,
        reason=reason,
        changes={"candidate": candidate.pk, "anchor": anchor.pk},
    )
    target = _aggregate_status(candidate)
    new_objection = verdict == AnchorReview.Verdict.OBJECT and before != AnchorReview.Verdict.OBJECT
    if new_objection and candidate.staged_status:
        # A decision staged before the objection is stale: staff must decide again knowing it.
        candidate.staged_status, candidate.staged_reason = "", ""
        save_versioned(candidate, expected_version=None, fields=["staged_status", "staged_reason"])
        audit.record(candidate, action="decision_unstaged", actor=actor, reason=reason)
    if target and target != candidate.status and target in Candidate.TRANSITIONS.get(candidate.status, set()):
        candidate.version += 1  # the row is locked: bump the optimistic-locking version with the change
        audit.transition(
            candidate,
            to=target,
            allowed=Candidate.TRANSITIONS,
            actor=actor,
            reason=reason or _("Endorsed by %(anchor)s.") % {"anchor": anchor.name},
            extra_fields=("version",),
        )
    if new_objection:  # a commit prepared before the objection is refused as stale
        save_versioned(Cohort(pk=candidate.cohort_id), expected_version=None, fields=[])
    return review


def remind_pending_reviews(*, now: datetime | None = None) -> int:
    """Remind reviewers with pending candidates when a deadline is within ``REMINDER_DAYS``; at most once a day."""
    now = now or timezone.now()
    cohorts = Cohort.objects.filter(
        status=Cohort.Status.ANCHOR_REVIEW,
        review_deadline__gt=now,
        review_deadline__lte=now + timedelta(days=REMINDER_DAYS),
    )
    sent = 0
    for cohort in cohorts:
        with transaction.atomic():
            for reviewer, pending in _reviewers_with_work(cohort).values():
                if not pending:
                    continue
                already = OutboundMessage.objects.filter(
                    template="anchor_review_reminder",
                    recipient=reviewer.user.email,
                    created_at__gte=now - timedelta(hours=20),
                    context__cohort_id=cohort.pk,
                ).exists()
                if already:
                    continue
                notify(
                    template="anchor_review_reminder",
                    recipient=reviewer.user.email,
                    language=None,
                    context={
                        "cohort": cohort.name,
                        "cohort_id": cohort.pk,
                        "anchor": reviewer.anchor.name,
                        "pending": pending,
                        "deadline": timezone.localtime(cohort.review_deadline).strftime("%Y-%m-%d %H:%M"),
                        "path": f"/anclas/cohortes/{cohort.pk}/",
                    },
                )
                sent += 1
    return sent
