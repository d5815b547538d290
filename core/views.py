"""Staff pages of core: the audit trail."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from .access import RequiresMixin
from .filters import AuditEventFilter
from .models import AuditEvent
from .roles import ANCHOR_GROUP, group_names, is_program_staff


def _program_staff(user) -> tuple[bool, str]:
    return is_program_staff(user), str(_("Only program staff can see the audit trail."))


class ProgramStaffRequiredMixin(RequiresMixin):
    """Anonymous users go to the login page; logged-in users who are not program staff get 403."""

    access_check = staticmethod(_program_staff)


class AuditEventListView(ProgramStaffRequiredMixin, ListView):
    template_name = "core/audit_list.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        self.filterset = AuditEventFilter(
            self.request.GET or None,
            queryset=AuditEvent.objects.select_related("content_type", "actor").order_by("-created_at", "-id"),
            request=self.request,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


@login_required
def after_login(request):
    """Where a person lands after logging in: staff on their workspace, anchor reviewers on their candidates."""
    if is_program_staff(request.user):
        return redirect("staff-home")
    if ANCHOR_GROUP in group_names(request.user):
        return redirect("cohorts:anchor_home")
    return redirect("home")
