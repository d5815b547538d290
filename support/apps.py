from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from core import registry

        from .financing.selectors import account_financing_context
        from .privacy import erase_support, export_support
        from .selectors import account_plan_context, provider_for_user

        registry.provider_lookup.provide(provider_for_user)
        registry.register_program_people(registry.ProgramPeople("support.Provider", "email", "user"))
        registry.register_program_people(registry.ProgramPeople("support.Participant", "email"))
        registry.register_reminder("plan_item_due", _("Development plan items due in 7 days"))
        registry.register_reminder("plan_item_overdue", _("Development plan items past their due date"))
        registry.register_reminder("visit_unlogged", _("Visits not yet logged a week after they were scheduled"))
        registry.register_reminder("session_tomorrow", _("Training sessions the next day"))
        registry.register_reminder("financing_stuck", _("Financing cases 30 days in the same step"))
        registry.register_staff_app(self.label)
        for model in ("DevelopmentPlan", "PlanItem", "Visit", "FinancingCase"):
            registry.register_audited_model(f"support.{model}")
        kept_models = ("DevelopmentPlan", "PlanVersion", "PlanItem", "Visit", "Attendance")
        for kept in (*kept_models, "FinancingCase", "FinancingStep", "Disbursement", "FinancingDocument"):
            registry.register_kept_model(f"support.{kept}")
        registry.register_account_section(
            registry.AccountSection(template="support/_account_plan.html", context=account_plan_context)
        )
        registry.register_account_section(
            registry.AccountSection(template="support/_account_financing.html", context=account_financing_context)
        )
        registry.register_personal_data(
            registry.PersonalData(key="support", export=export_support, erase=erase_support)
        )
