from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Maturity diagnostics")

    def ready(self) -> None:
        from core import registry

        from .privacy import erase_diagnostic_notes, export_diagnostics
        from .selectors import published_diagnostics

        registry.register_staff_app(self.label)
        registry.register_audited_model("assessments.Diagnostic")
        for kept in ("Diagnostic", "Answer", "DimensionScore", "AreaAlignment"):
            registry.register_kept_model(f"assessments.{kept}")
        registry.register_personal_data(
            registry.PersonalData(key="diagnostics", export=export_diagnostics, erase=erase_diagnostic_notes)
        )
        registry.register_account_section(
            registry.AccountSection(
                template="assessments/_account_results.html",
                context=lambda supplier: {"diagnostics": published_diagnostics(supplier)},
            )
        )
