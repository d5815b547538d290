"""An SME account's programs: joining another program taking registrations, and switching between its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programs.models import Program

from .. import selectors, services
from ..forms import JoinProgramForm
from .common import apply_errors


def _own_participation(request):
    """The participation the SME account works on (404 for any other account)."""
    supplier = selectors.supplier_for_user(request.user)
    if supplier is None:
        raise Http404
    return supplier


@login_required
def programs(request):
    """The account's programs, and the programs taking registrations its company can join."""
    supplier = _own_participation(request)
    return render(
        request,
        "suppliers/account/programs.html",
        {
            "supplier": supplier,
            "participations": selectors.participations_for_user(request.user),
            "to_join": services.programs_to_join(supplier),
            "crumbs": [(reverse("suppliers:account"), _("My account"))],
        },
    )


@login_required
def program_join(request, program_id: int):
    """Join one program: the company is copied, the account becomes its contact, the notice is accepted."""
    supplier = _own_participation(request)
    program = get_object_or_404(Program, pk=program_id)
    if program not in services.programs_to_join(supplier):
        messages.warning(request, _("Your company cannot join this program: it already takes part or it is closed."))
        return redirect("suppliers:programs")
    notice = services.privacy_notice_current(program=program)
    form = JoinProgramForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("version") != notice.version:
            messages.warning(request, _("The privacy notice changed while you were reading it. Please read it again."))
        else:
            try:
                joined = services.participation_join(
                    actor=request.user,
                    supplier=supplier,
                    program=program,
                    notice=notice,
                    voluntary=form.cleaned_data["accept_voluntary"],
                    supply_areas=form.cleaned_data["supply_areas"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                request.session[selectors.PARTICIPATION_SESSION_KEY] = joined.pk
                messages.success(
                    request,
                    _("Your company joined %(program)s. Program staff will verify the registration.")
                    % {"program": program},
                )
                return redirect("suppliers:account")
    return render(
        request,
        "suppliers/account/join.html",
        {
            "supplier": supplier,
            "program": program,
            "notice": notice,
            "form": form,
            "crumbs": [
                (reverse("suppliers:account"), _("My account")),
                (reverse("suppliers:programs"), _("My programs")),
            ],
        },
    )


@login_required
@require_http_methods(["POST"])
def participation_switch(request):
    """Work on another participation of the account's company (kept in the session)."""
    try:
        wanted = int(request.POST.get("participation", ""))
    except ValueError:
        raise Http404 from None
    own = {row.pk: row for row in selectors.participations_for_user(request.user)}
    if wanted not in own:
        raise Http404  # another company's participation answers as if it did not exist
    request.session[selectors.PARTICIPATION_SESSION_KEY] = wanted
    messages.success(request, _("You are now working on %(program)s.") % {"program": own[wanted].program})
    return redirect("suppliers:account")
