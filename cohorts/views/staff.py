"""Staff pages of cohort selection (``/staff/cohorts/``): thin, every write is a service call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import requires
from core.audit import history
from core.concurrency import StaleObjectError
from core.pagination import rows_in_order
from programs.selectors import scoped
from suppliers.models import Supplier

from .. import selectors, services
from ..forms import (
    BulkStageForm,
    CandidateFilterForm,
    CommitForm,
    ExtendReviewForm,
    OpenReviewForm,
    ReasonForm,
    ReentryForm,
    StageForm,
)
from ..models import Candidate, Cohort
from ..permissions import can_manage_cohorts
from ..services.reasons import render as render_reason
from ..services.reasons import render_all

staff_only = requires(can_manage_cohorts)


def _errors(request, exc: Exception) -> None:
    if isinstance(exc, StaleObjectError):
        messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


@staff_only
def cohort_list(request):
    return render(request, "cohorts/staff_cohort_list.html", {"cohorts": selectors.cohort_list(user=request.user)})


CANDIDATES_PER_PAGE = 100
BACK_KEYS = ("show", "status", "q", "page")  # what a candidate action's redirect may carry back


# The steps of the work on a cohort, in order; ``_current_step`` says which one is at hand.
STEPS = ("candidates", "selection", "review", "decide", "notify")
FEASIBLE = ("optimal", "feasible")


def _optimizer_running(cohort: Cohort, proposal: dict) -> bool:
    """An optimizer run was asked for after the stored proposal was computed (or none was stored yet)."""
    asked = (
        history(cohort)
        .filter(action="proposal_requested")
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:1]
    )
    if not asked:
        return False
    run_at = parse_datetime(proposal.get("run_at") or "") if proposal else None
    return run_at is None or asked[0] > run_at


def _current_step(cohort: Cohort, counts: dict, proposal: dict) -> str:
    status = cohort.status
    if status == Cohort.Status.DRAFT:
        return "selection" if counts["total"] and counts["eligible"] else "candidates"
    if status == Cohort.Status.PROPOSED:
        return "review" if proposal.get("status") in FEASIBLE else "selection"
    if status == Cohort.Status.ANCHOR_REVIEW:
        closed = cohort.review_deadline and cohort.review_deadline <= timezone.now()
        return "decide" if closed or counts["staged"] else "review"
    if status == Cohort.Status.APPROVED:
        return "notify"
    return ""


def _steps(current: str) -> list[dict]:
    index = STEPS.index(current) if current in STEPS else len(STEPS)
    return [
        {"key": key, "number": n + 1, "state": "done" if n < index else "current" if n == index else "later"}
        for n, key in enumerate(STEPS)
    ]


class _CountedPaginator(Paginator):
    """A paginator told how many rows its list holds when the page's counts already say it (no second count
    of the cohort's candidates); it counts them itself otherwise."""

    def __init__(self, object_list, per_page, *, known_count: int | None = None):
        super().__init__(object_list, per_page)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count if self.known_count is not None else super().count


# The filters whose number of candidates ``candidate_counts`` gives ("" is every candidate).
COUNTED_SHOWS = {"": "total", "proposal": "proposal", "eligible": "eligible", "staged": "staged"}


def _known_count(counts: dict, filters: dict) -> int | None:
    """How many candidates the filters leave, when ``counts`` says it (None: to be counted)."""
    if filters.get("status") or filters.get("q"):
        return None
    show = filters.get("show") or ""
    if show == "ineligible":
        return counts["total"] - counts["eligible"]
    return counts[COUNTED_SHOWS[show]] if show in COUNTED_SHOWS else None


@staff_only
def cohort_detail(request, pk: int):
    cohort = get_object_or_404(scoped(Cohort.objects.select_related("program"), request.user), pk=pk)
    filters = CandidateFilterForm(request.GET)
    candidates = selectors.candidate_list(cohort=cohort)
    filtered = False
    applied: dict = {}
    if filters.is_valid():
        applied = filters.cleaned_data
        candidates = selectors.filter_candidates(candidates, **applied)
        filtered = any(applied.values())
    counts = selectors.candidate_counts(cohort=cohort)
    # The page's ids first (read from the candidate_staff_page_order index, however deep the page), then
    # their rows with what they show: page 900 of 94,000 candidates without joining the 89,900 before it.
    page = _CountedPaginator(
        candidates.values_list("pk", flat=True), CANDIDATES_PER_PAGE, known_count=_known_count(counts, applied)
    ).get_page(request.GET.get("page"))
    page.object_list = rows_in_order(candidates, page.object_list)
    stageable = cohort.status in (Cohort.Status.PROPOSED, Cohort.Status.ANCHOR_REVIEW)
    earlier = selectors.candidate_history(page.object_list)
    allowed_back = set(cohort.reentries.values_list("supplier_id", flat=True))
    for c in page:
        c.earlier = earlier.get(c.supplier_id, [])
        c.reentry_allowed = c.supplier_id in allowed_back
        c.selected_earlier = any(r.get("code") == "selected_earlier" for r in c.ineligibility_reasons or [])
        c.reason_texts = render_all(c.ineligibility_reasons)
        c.proposal_reason_text = render_reason(c.proposal_reason) if c.proposal_reason else ""
        c.undecided = c.status in selectors.UNDECIDED_CANDIDATE_STATUSES
    query = QueryDict(mutable=True)
    query.update({key: request.GET[key] for key in BACK_KEYS if request.GET.get(key) and key != "page"})
    back = query.copy()
    back["page"] = str(page.number)
    proposal = cohort.proposal or {}
    current = _current_step(cohort, counts, proposal)
    undecided = counts["undecided"] if stageable else 0
    context = {
        "cohort": cohort,
        "page": page,
        "candidates": page.object_list,
        "filters": filters,
        "filtered": filtered,
        "query": query.urlencode(),
        "back": back.urlencode(),
        "counts": counts,
        "undecided": undecided,
        "proposal": proposal,
        "proposal_ok": proposal.get("status") in FEASIBLE,
        "proposal_run_at": parse_datetime(proposal.get("run_at") or "") if proposal else None,
        "running": _optimizer_running(cohort, proposal),
        "explanation": render_all(proposal.get("explanation")),
        "steps": _steps(current),
        "current": current,
        "can_build": cohort.status in (Cohort.Status.DRAFT, Cohort.Status.PROPOSED),
        "can_propose": cohort.status in (Cohort.Status.DRAFT, Cohort.Status.PROPOSED, Cohort.Status.ANCHOR_REVIEW)
        and counts["eligible"] > 0,
        "can_open_review": cohort.status == Cohort.Status.PROPOSED and proposal.get("status") in FEASIBLE,
        "can_stage": stageable,
        "can_commit": cohort.status == Cohort.Status.ANCHOR_REVIEW and counts["staged"] > 0 and not undecided,
        "can_promote": cohort.status == Cohort.Status.APPROVED and counts["status_waitlisted"] > 0,
        "greedy_explanation": render_all((proposal.get("greedy") or {}).get("explanation")),
        "size_note": render_reason(proposal.get("size_note")) if proposal.get("size_note") else "",
        "open_review_form": OpenReviewForm(initial={"version": cohort.version}),
        "extend_review_form": ExtendReviewForm(initial={"version": cohort.version}),
        "waitlist": selectors.waitlist(cohort=cohort) if cohort.status == Cohort.Status.APPROVED else None,
        "commit_form": CommitForm(initial={"version": cohort.version}),
        "bulk_form": BulkStageForm(),
        # Each undecided row's decision form is written by the row template with this form's labels and
        # choices (a bound form per row, rendered through the form templates, was a template per field,
        # option and input).
        "stage_form": StageForm(),
        "history": history(cohort).order_by("-created_at")[:20],
        "staged": counts["staged"],
    }
    return render(request, "cohorts/staff_cohort_detail.html", context)


def _back_to_cohort(request, cohort_id: int, candidate_id: int | None = None):
    """The staff cohort page with the filters and page the form was posted from (``back``), at the candidate."""
    posted = QueryDict(request.POST.get("back", ""))
    query = QueryDict(mutable=True)
    query.update({key: posted[key] for key in BACK_KEYS if posted.get(key)})
    url = reverse("cohorts:staff_cohort", args=[cohort_id])
    return redirect(
        f"{url}{'?' + query.urlencode() if query else ''}{f'#candidate-{candidate_id}' if candidate_id else ''}"
    )


@staff_only
@require_POST
def cohort_action(request, pk: int, action: str):
    cohort = get_object_or_404(scoped(Cohort.objects.all(), request.user), pk=pk)
    user = request.user
    try:
        if action == "build":
            summary = services.cohort_build_candidates(cohort=cohort, actor=user)
            messages.success(request, _("%(eligible)d eligible and %(ineligible)d ineligible SMEs.") % summary)
        elif action == "propose":
            services.cohort_request_proposal(cohort=cohort, actor=user)
            messages.success(request, _("The selection is being calculated; this page shows when it finishes."))
        elif action == "open_review":
            form = OpenReviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.cohort_open_review(
                cohort=cohort,
                deadline=form.cleaned_data["deadline"],
                actor=user,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The anchor review is open; reviewers were notified."))
        elif action == "extend_review":
            form = ExtendReviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.cohort_extend_review_deadline(
                cohort=cohort,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
                actor=user,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The review deadline was extended; reviewers were notified."))
        elif action in ("allow_reentry", "revoke_reentry"):
            form = ReentryForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            supplier = get_object_or_404(Supplier, pk=form.cleaned_data["supplier"], program_id=cohort.program_id)
            if action == "allow_reentry":
                services.cohort_allow_reentry(
                    cohort=cohort, supplier=supplier, actor=user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("%(name)s may be a candidate of this cohort.") % {"name": supplier})
            else:
                services.cohort_revoke_reentry(
                    cohort=cohort, supplier=supplier, actor=user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("%(name)s is again not eligible for this cohort.") % {"name": supplier})
        elif action == "stage_from_proposal":
            n = services.cohort_stage_from_proposal(cohort=cohort, actor=user)
            messages.success(request, _("%(n)d decisions staged from the proposal.") % {"n": n})
        elif action == "stage_many":
            form = BulkStageForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            n = services.cohort_stage_decisions(
                cohort=cohort,
                actor=user,
                versions=form.cleaned_data["candidates"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Decision prepared for %(n)d candidates.") % {"n": n})
        elif action == "commit":
            form = CommitForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Reload the page and try again."))
            counts = services.cohort_commit_decisions(
                cohort=cohort, actor=user, expected_version=form.cleaned_data["version"]
            )
            messages.success(
                request,
                _(
                    "Decisions committed: %(selected)d selected, %(waitlisted)d waitlisted, "
                    "%(not_selected)d not selected."
                )
                % counts,
            )
        elif action == "promote":
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                raise ValidationError([e for errs in reason_form.errors.values() for e in errs])
            promoted = services.waitlist_promote(
                cohort=cohort,
                actor=user,
                reason=reason_form.cleaned_data["reason"],
                expected_version=reason_form.cleaned_data.get("version"),
            )
            messages.success(request, _("%(name)s was promoted from the waitlist.") % {"name": promoted.supplier})
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, StaleObjectError) as exc:
        _errors(request, exc)
    return _back_to_cohort(request, cohort.pk)


@staff_only
@require_POST
def candidate_action(request, pk: int, action: str):
    candidate = get_object_or_404(scoped(Candidate.objects.select_related("cohort", "supplier"), request.user), pk=pk)
    user = request.user
    reason = ReasonForm(request.POST)
    reason_text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    version = reason.cleaned_data.get("version") if reason.is_valid() else None
    try:
        if action in ("pin", "unpin", "exclude", "include", "withdraw") and version is None:
            raise ValidationError(_("Reload the page and try again."))
        if action in ("pin", "unpin", "exclude", "include"):
            flags = {
                "pin": {"pinned": True},
                "unpin": {"pinned": False},
                "exclude": {"excluded": True},
                "include": {"excluded": False},
            }[action]
            services.candidate_set_pin(
                candidate=candidate, actor=user, reason=reason_text, expected_version=version, **flags
            )
            messages.success(request, _("Saved; re-run the optimizer to update the proposal."))
        elif action == "stage":
            form = StageForm(request.POST, prefix=f"s{candidate.pk}")
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.cohort_stage_decision(
                candidate=candidate,
                actor=user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        elif action == "withdraw":
            services.candidate_withdraw(candidate=candidate, actor=user, reason=reason_text, expected_version=version)
            messages.success(request, _("%(name)s was withdrawn.") % {"name": candidate.supplier})
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, StaleObjectError) as exc:
        _errors(request, exc)
    return _back_to_cohort(request, candidate.cohort_id, candidate.pk)
