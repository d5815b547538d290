from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program")

    def ready(self) -> None:
        from core import registry

        from .selectors import anchor_of_user, scoped

        registry.anchor_lookup.provide(anchor_of_user)
        registry.program_scope.provide(scoped)
        registry.register_staff_app(self.label)
        for action in ("add", "change", "delete"):
            registry.register_withheld_permission(f"{self.label}.{action}_programstaff")
