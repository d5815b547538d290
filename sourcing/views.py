"""Pages of sourcing: the anchor's colleagues."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import requires
from programs.models import AnchorReviewer

from . import services
from .forms import ColleagueForm
from .permissions import anchor_link, is_anchor_administrator


def errors_into(form, error: ValidationError) -> None:
    """A service's field errors shown on the form's fields (others at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@requires(is_anchor_administrator)
@require_http_methods(["GET", "POST"])
def anchor_colleagues(request):
    """The anchor's users; its administrator invites a colleague."""
    anchor = anchor_link(request.user).anchor
    form = ColleagueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.anchor_colleague_invite(anchor=anchor, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
                return redirect("sourcing:anchor_colleagues")
        status = 400
    colleagues = (
        AnchorReviewer.objects.filter(anchor=anchor).select_related("user").order_by("-is_administrator", "user__email")
    )
    return render(
        request,
        "sourcing/anchor_colleagues.html",
        {"anchor": anchor, "form": form, "colleagues": colleagues},
        status=status,
    )
