"""Anchor company portal (``/anclas/``): proposed candidates in the areas the anchor demands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import roles

from .. import selectors, services
from ..forms import ReviewForm
from ..models import Candidate
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


def _render_cohort(request, anchor, cohort, bound: dict | None = None, status: int = 200):
    areas = list(anchor.supply_areas.all())
    candidates = list(selectors.anchor_candidates(anchor=anchor, cohort=cohort))
    summaries = selectors.maturity_summaries(candidates, area_ids=[a.pk for a in areas])
    rows = []
    for c in candidates:
        review = c.own_reviews[0] if c.own_reviews else None
        form = (bound or {}).get(c.pk) or ReviewForm(
            initial={"verdict": review.verdict, "reason": review.reason} if review else None, prefix=f"c{c.pk}"
        )
        rows.append(
            {
                "candidate": c,
                "summary": summaries.get(c.pk),
                "review": review,
                "form": form,
                "can_review": c.status in REVIEWABLE_STATUSES,
            }
        )
    return render(
        request,
        "cohorts/anchor_cohort.html",
        {"anchor": anchor, "cohort": cohort, "areas": areas, "rows": rows},
        status=status,
    )


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
    anchor = _anchor_or_403(request)
    candidate = get_object_or_404(Candidate.objects.select_related("cohort", "supplier"), pk=pk)
    allowed, _reason = can_view_candidate(request.user, candidate)
    if not allowed:
        raise Http404
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
            messages.success(request, _("Your review of %(name)s was saved.") % {"name": candidate.supplier})
            return redirect("cohorts:anchor_cohort", pk=candidate.cohort_id)
    return _render_cohort(request, anchor, candidate.cohort, bound={candidate.pk: form}, status=400)
