from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "sourcing"
    verbose_name = _("Sourcing")

    def ready(self) -> None:
        from core import registry

        from . import signals
        from .privacy import erase_sourcing, export_sourcing

        signals.connect()
        registry.register_staff_app(self.label)
        registry.register_reminder(
            "sourcing_new_opportunities", _("New sourcing opportunities that fit my company (daily)")
        )
        registry.register_reminder("sourcing_deadline", _("Sourcing opportunities whose deadline is in 3 days"))
        for model in ("Opportunity", "Invitation"):
            registry.register_audited_model(f"sourcing.{model}")
        for kept in ("Opportunity", "Invitation", "Response", "AttachmentDownload"):
            registry.register_kept_model(f"sourcing.{kept}")
        registry.register_personal_data(
            registry.PersonalData(key="sourcing", export=export_sourcing, erase=erase_sourcing)
        )
