from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin

        from . import lockout, queued, roles  # noqa: F401 - lockout and queued connect their signals

        if admin.site._registry:  # admin autodiscovery (an earlier app) has run
            from .admin import attach_audit_inlines, attach_privacy_actions

            attach_audit_inlines()
            attach_privacy_actions()
        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="core.ensure_role_groups")
