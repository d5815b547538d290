from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import lockout, queued, roles  # noqa: F401 - lockout and queued connect their signals

        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="core.ensure_role_groups")
