"""Settings for the test suite."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{os.getpid()}"
LANGUAGE_CODE = "es-mx"

# Tasks run in-process in tests, except where an integration test hands them
# to a real worker (tests/conftest.py: ``celery_worker``).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("SDP_CELERY_EAGER", "1") == "1"

# The API throttles are exercised by their own tests (which lower the rates);
# elsewhere they must not interfere with the suite or the schemathesis run.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"}}  # noqa: F405

# Django's live test server wraps the site in a media handler that needs a
# MEDIA_URL (base.py has none: documents are only served through permission-checked views).
# A path nobody links to keeps the live server working.
MEDIA_URL = "/__test-media-not-linked__/"
