from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self) -> None:
        from core import registry

        from .privacy import export_decisions
        from .selectors import cohort_decisions

        registry.register_staff_app(self.label)
        registry.register_audited_model("cohorts.Candidate")
        registry.register_audited_model("cohorts.Cohort")
        for kept in ("Cohort", "CohortAreaLimit", "CohortGeoCap", "Candidate", "AnchorReview"):
            registry.register_kept_model(f"cohorts.{kept}")
        registry.register_personal_data(registry.PersonalData(key="decisions", export=export_decisions))
        registry.register_account_section(
            registry.AccountSection(
                template="cohorts/_account_decisions.html",
                context=lambda supplier: {"decisions": cohort_decisions(supplier)},
            )
        )
