"""Pages of core: the staff audit trail and each person's notification preferences."""

from typing import ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView
from drf_spectacular.views import SpectacularAPIView

from . import audit, registry
from .access import RequiresMixin, requires
from .filters import AuditEventFilter
from .models import AuditEvent, NotificationPreference
from .pagination import CappedPaginator
from .roles import ANCHOR_GROUP, PROVIDER_GROUP, group_names, is_program_staff


def _program_staff(user) -> tuple[bool, str]:
    return is_program_staff(user), str(_("Only program staff can see the audit trail."))


class ProgramStaffRequiredMixin(RequiresMixin):
    """Anonymous users go to the login page; logged-in users who are not program staff get 403."""

    access_check = staticmethod(_program_staff)


class AuditEventListView(ProgramStaffRequiredMixin, ListView):
    template_name = "core/audit_list.html"
    paginate_by = 50
    paginator_class = CappedPaginator
    context_object_name = "events"

    def get_queryset(self):
        self.filterset = AuditEventFilter(
            self.request.GET or None,
            queryset=audit.visible_to(
                self.request.user,
                AuditEvent.objects.select_related("content_type", "actor").order_by("-created_at", "-id"),
            ),
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
    """Where a person lands after logging in: staff on their workspace, anchor reviewers on
    their candidates, providers on their SMEs."""
    if is_program_staff(request.user):
        return redirect("staff-home")
    groups = group_names(request.user)
    if ANCHOR_GROUP in groups:
        return redirect("cohorts:anchor_home")
    if PROVIDER_GROUP in groups:
        return redirect("support:provider_home")
    return redirect("home")


def _signed_in(user) -> tuple[bool, str]:
    return bool(user.is_authenticated and user.is_active), ""


@requires(_signed_in)
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Each person chooses which reminders reach them by email (the kinds the apps register)."""
    kinds = registry.reminders()
    if request.method == "POST":
        chosen = set(request.POST.getlist("by_email"))
        for key in kinds:
            NotificationPreference.objects.update_or_create(
                user=request.user, reminder=key, defaults={"by_email": key in chosen}
            )
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("notification-preferences")
    off = set(
        NotificationPreference.objects.filter(user=request.user, by_email=False).values_list("reminder", flat=True)
    )
    rows = [{"key": key, "label": label, "on": key not in off} for key, label in kinds.items()]
    return render(request, "core/notification_preferences.html", {"rows": rows})


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated and rendered once per process, API version, language and format: it
    changes only with the code, and generating it walks every view and serializer (over a second), rendering
    it as YAML a few hundred milliseconds more."""

    _rendered: ClassVar[dict[tuple, tuple[str | bytes, str]]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer, media_type = self.perform_content_negotiation(request, force=True)
        key = (version, translation.get_language() or "", media_type)
        if key not in self._rendered:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            schema = generator.get_schema(request=request, public=self.serve_public)
            content_type = media_type if not renderer.charset else f"{media_type}; charset={renderer.charset}"
            self._rendered[key] = (renderer.render(schema, media_type, {"request": request}), content_type)
        content, content_type = self._rendered[key]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{self._get_filename(request, version)}"'
        return response
