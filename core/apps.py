from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from celery.signals import task_postrun
        from django.core.signals import request_finished

        from . import files, lockout, queued, roles  # noqa: F401 - lockout and queued connect their signals

        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="core.ensure_role_groups")
        # A file written by a transaction that rolled back goes when its request or queued task ends.
        request_finished.connect(files.discard_uncommitted, dispatch_uid="core.files.discard_uncommitted")
        task_postrun.connect(files.discard_uncommitted, dispatch_uid="core.files.discard_uncommitted")
