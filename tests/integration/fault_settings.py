"""Settings of the Celery worker that the fault tests start and kill.

Test settings, plus: mail written one file per message to ``SDP_TEST_MAIL_DIR``
(so the test process can count deliveries across processes), and a short Redis
visibility timeout so a task held by a killed worker comes back in seconds.
"""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.core.mail_backends.OneFilePerMessageBackend"
EMAIL_FILE_PATH = os.environ.get("SDP_TEST_MAIL_DIR", "/tmp/sdp-test-mail")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
