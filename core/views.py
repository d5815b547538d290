"""Staff pages of core: the audit trail."""
from django.contrib.auth.mixins import AccessMixin
from django.views.generic import ListView

from .filters import AuditEventFilter
from .models import AuditEvent
from .roles import is_program_staff


class ProgramStaffRequiredMixin(AccessMixin):
    """Anonymous users go to the login page; logged-in users who are not program staff get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_program_staff(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


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
