from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from core import registry

        from .selectors import supplier_for_user

        registry.supplier_lookup.provide(supplier_for_user)
        registry.register_program_people(registry.ProgramPeople("suppliers.Contact", "email", "user"))
        registry.register_program_people(registry.ProgramPeople("suppliers.RegistrationInvitation", "email"))
        registry.register_staff_app(self.label)
        registry.register_audited_model("suppliers.Supplier")
        registry.register_kept_model("suppliers.Supplier")
