"""core.registry: the apps give core (and the apps below them) what those cannot import."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import registry


def test_a_hook_without_a_provider_says_so():
    hook = registry.Hook("the colour of a user")
    with pytest.raises(ImproperlyConfigured, match="No installed app provides the colour of a user"):
        hook.function("someone")


def test_a_hook_takes_one_provider():
    hook = registry.Hook("the colour of a user")

    def first(user):
        return "blue"

    def second(user):
        return "red"

    hook.provide(first)
    hook.provide(first)  # an app's ready() may run twice (tests), the same function again is fine
    with pytest.raises(ImproperlyConfigured, match="already provided"):
        hook.provide(second)
    assert hook.function("someone") == "blue"


def test_the_installed_apps_provide_every_hook():
    from cohorts.privacy import export_decisions
    from programs.selectors import anchor_of_user
    from suppliers.selectors import supplier_for_user
    from support.selectors import provider_for_user

    assert registry.anchor_lookup.function is anchor_of_user
    assert registry.supplier_lookup.function is supplier_for_user
    assert registry.provider_lookup.function is provider_for_user
    assert [(s.key, s.export) for s in registry.personal_data()][1] == ("decisions", export_decisions)
    assert [s.key for s in registry.personal_data()] == [
        "diagnostics",
        "decisions",
        "support",
        "sourcing",
        "outcomes",
    ]  # layout order
    assert [s.template for s in registry.account_sections()] == [
        "assessments/_account_results.html",
        "cohorts/_account_decisions.html",
        "support/_account_plan.html",
        "support/_account_financing.html",
    ]
    assert registry.staff_apps() == (
        "programs",
        "suppliers",
        "assessments",
        "cohorts",
        "support",
        "sourcing",
        "outcomes",
        "reports",
    )


def test_a_personal_data_key_is_registered_once():
    section = registry.personal_data()[0]
    registry.register_personal_data(section)  # the same registration again changes nothing
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register_personal_data(registry.PersonalData(key=section.key, export=lambda supplier: []))
    assert registry.personal_data()[0] is section
