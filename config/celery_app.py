"""Celery application.

Without ``CELERY_BROKER_URL`` the settings make every task run in-process
(``task_always_eager``), so the app works on a laptop with nothing installed;
with a Redis URL tasks go to the broker and a worker runs them::

    celery -A config worker -B -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("sdp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
