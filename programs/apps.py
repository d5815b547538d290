from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program")

    def ready(self) -> None:
        from core import registry

        from .selectors import anchor_of_user, message_partners, scoped

        registry.anchor_lookup.provide(anchor_of_user)
        registry.program_scope.provide(scoped)
        registry.message_partners.provide(message_partners)
        registry.register_program_people(registry.ProgramPeople("programs.ProgramStaff", "user__email", "user"))
        registry.register_program_people(registry.ProgramPeople("programs.AnchorReviewer", "user__email", "user"))
        registry.register_staff_app(self.label)
        for action in ("add", "change", "delete"):
            registry.register_withheld_permission(f"{self.label}.{action}_programstaff")
