from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program")

    def ready(self) -> None:
        from core import registry

        from .selectors import anchor_of_user

        registry.anchor_lookup.provide(anchor_of_user)
        registry.register_staff_app(self.label)
