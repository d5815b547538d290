from csp.decorators import csp_replace
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.views import SchemaView, after_login
from reports.views import staff_home
from suppliers.urls import privacy_patterns
from suppliers.views.password import PasswordResetView
from suppliers.views.registration import SDPLoginView

urlpatterns = [
    # First: the API's paths are the most requested, and Django tries the patterns in order.
    path("api/v1/", include("config.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Django's account pages (django.contrib.auth.urls), but the password reset request is SDP's:
    # rate-limited and sent through the outbox.
    path("accounts/start/", after_login, name="after-login"),
    # An SME goes back to where its registration was left (suppliers.views.registration.resume_url).
    path("accounts/login/", SDPLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI comes from our static files (drf-spectacular-sidecar) and has one inline <style>;
    # its init script is a file (split view), so the page needs no script exception.
    # (a nonce in style-src would make browsers ignore 'unsafe-inline', so this page replaces the directive)
    path(
        "api/docs/",
        csp_replace({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("", include("core.urls")),
    path("privacy/", include(privacy_patterns)),
    # The logos of the programs' partners (public, like their names on every page).
    path("", include("programs.urls")),
    path("staff/", staff_home, name="staff-home"),
    path("staff/reports/", include("reports.urls")),
    # Registration, the SME's account, the privacy notice and the staff registration pages.
    path("", include("suppliers.urls")),
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    # Diagnostics: staff pages (/staff/diagnostics/) and the SME's results.
    path("", include("assessments.urls")),
    # Cohort selection: anchor portal (/anclas/) and staff pages (/staff/cohorts/).
    path("", include("cohorts.urls")),
    # Support after selection: staff (/staff/support/), providers (/asesores/) and the SME's plan.
    path("", include("support.urls")),
    # Sourcing: anchors' opportunities and colleagues (/anclas/), the SME's invitations, staff moderation.
    path("", include("sourcing.urls")),
    # Outcomes: follow-up rounds (staff), the SME questionnaire, indicators and the impact report.
    path("", include("outcomes.urls")),
]
