"""Anchor company portal (``/anclas/``): proposed candidates in the areas the anchor demands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import roles

from .. import selectors, services
from ..forms import ReviewForm
from ..models import Candidate, Cohort
from ..permissions import can_view_candidate


def _anchor_or_403(request):
    anchor = roles.anchor_of(request.user)
    if anchor is None:
        raise PermissionDenied(_("Only anchor reviewers can use the anchor portal."))
    return anchor


@login_required
def anchor_home(request):
    anchor = _anchor_or_403(request)
    cohorts = selectors.anchor_cohorts(anchor=anchor)
    return render(request, "cohorts/anchor_home.html", {"anchor": anchor, "cohorts": cohorts})


REVIEWABLE_STATUSES = (Candidate.Status.PROPOSED, Candidate.Status.ENDORSED, Candidate.Status.OBJECTED)


def _review_row(candidate, summary, bound=None, saved: bool = False) -> dict:
    """What one candidate's card shows: the SME, its maturity in the anchor's areas, the saved review and the form
    (a bound form with errors, or one starting from the saved review; nothing chosen when there is none)."""
    review = candidate.own_reviews[0] if candidate.own_reviews else None
    form = bound or ReviewForm(
        initial={"verdict": review.verdict, "reason": review.reason} if review else None, prefix=f"c{candidate.pk}"
    )
    return {
        "candidate": candidate,
        "summary": summary,
        "review": review,
        "form": form,
        "just_saved": saved,
        "can_review": candidate.status in REVIEWABLE_STATUSES,
    }


def _progress(rows, cohort) -> dict:
    reviewed = sum(1 for row in rows if row["review"])
    return {"reviewed": reviewed, "pending": len(rows) - reviewed, "total": len(rows), "cohort": cohort}


def _render_cohort(request, anchor, cohort, bound: dict | None = None, status: int = 200):
    areas = list(anchor.supply_areas.all())
    candidates = list(selectors.anchor_candidates(anchor=anchor, cohort=cohort))
    summaries = selectors.maturity_summaries(candidates, area_ids=[a.pk for a in areas])
    rows = [_review_row(c, summaries.get(c.pk), (bound or {}).get(c.pk)) for c in candidates]
    return render(
        request,
        "cohorts/anchor_cohort.html",
        {
            "anchor": anchor,
            "cohort": cohort,
            "areas": areas,
            "rows": rows,
            "progress": _progress(rows, cohort),
            "review_open": _review_open(cohort),
        },
        status=status,
    )


def _review_open(cohort) -> bool:
    return cohort.status == Cohort.Status.ANCHOR_REVIEW and not (
        cohort.review_deadline and cohort.review_deadline < timezone.now()
    )


def _render_card(request, anchor, candidate, bound=None, saved: bool = False):
    """The candidate's card alone (an in-page save), with the updated progress summary out of band."""
    areas = list(anchor.supply_areas.all())
    candidates = list(selectors.anchor_candidates(anchor=anchor, cohort=candidate.cohort))
    mine = next((c for c in candidates if c.pk == candidate.pk), None)
    if mine is None:
        raise Http404
    summary = selectors.maturity_summaries([mine], area_ids=[a.pk for a in areas]).get(mine.pk)
    row = _review_row(mine, summary, bound, saved)
    rows = [{"review": c.own_reviews[0] if c.own_reviews else None} for c in candidates]
    response = render(
        request,
        "cohorts/_anchor_candidate_saved.html",
        {
            "row": row,
            "cohort": candidate.cohort,
            "progress": _progress(rows, candidate.cohort),
            "review_open": _review_open(candidate.cohort),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _visible_cohort(anchor, pk):
    cohort = selectors.anchor_cohorts(anchor=anchor).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


@login_required
def anchor_cohort(request, pk: int):
    anchor = _anchor_or_403(request)
    return _render_cohort(request, anchor, _visible_cohort(anchor, pk))


@login_required
@require_POST
def anchor_review(request, pk: int):
    """Save one review. With htmx the candidate's card is swapped in place; without, back to the card (PRG)."""
    anchor = _anchor_or_403(request)
    candidate = get_object_or_404(Candidate.objects.select_related("cohort", "supplier"), pk=pk)
    allowed, _reason = can_view_candidate(request.user, candidate)
    if not allowed:
        raise Http404
    in_place = request.headers.get("HX-Request") == "true"
    form = ReviewForm(request.POST, prefix=f"c{candidate.pk}")
    if form.is_valid():
        try:
            services.anchor_review_submit(
                candidate=candidate,
                actor=request.user,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if in_place:
                return _render_card(request, anchor, candidate, saved=True)
            messages.success(request, _("Your review of %(name)s was saved.") % {"name": candidate.supplier})
            url = reverse("cohorts:anchor_cohort", args=[candidate.cohort_id])
            return redirect(f"{url}#cand-{candidate.pk}")
    if in_place:
        # htmx swaps only 2xx answers: the card comes back with the errors and what was typed.
        return _render_card(request, anchor, candidate, bound=form)
    return _render_cohort(request, anchor, candidate.cohort, bound={candidate.pk: form}, status=400)
