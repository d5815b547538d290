from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from core import registry

        from .privacy import erase_outcomes, export_outcomes

        registry.register_reminder("outcome_survey", _("Follow-up questionnaires not yet answered"))
        registry.register_staff_app(self.label)
        for model in ("OutcomeRound", "OutcomeResponse"):
            registry.register_audited_model(f"outcomes.{model}")
        for kept in ("OutcomeRound", "OutcomeResponse", "ImpactEstimate"):
            registry.register_kept_model(f"outcomes.{kept}")
        registry.register_personal_data(
            registry.PersonalData(key="outcomes", export=export_outcomes, erase=erase_outcomes)
        )
