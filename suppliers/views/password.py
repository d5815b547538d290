"""Password reset requests: rate-limited, and sent through the outbox in the recipient's language."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.utils import translation

from .. import ratelimit, services


class PasswordResetView(auth_views.PasswordResetView):
    """Django's form and pages; the request is counted and handed to ``services.password_reset_request``
    (the same work for known and unknown addresses) instead of mailing from the request."""

    def post(self, request, *args, **kwargs):
        if not ratelimit.password_reset_allowed(request, request.POST.get("email", "")):
            return ratelimit.too_many_requests(request, password_reset=True)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        services.password_reset_request(email=form.cleaned_data["email"], language=translation.get_language())
        return HttpResponseRedirect(self.get_success_url())
