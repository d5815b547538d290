"""What the apps provide to the code below them, registered in each app's ``AppConfig.ready()``.

``core`` imports no app, and an app imports only the apps below it (docs/architecture.md). Where code
below needs something that apps above it own, the owner registers it here and the code below calls
through the registry:

- ``anchor_lookup`` / ``supplier_lookup`` / ``provider_lookup``: who a user is in the program
  (``core.roles``); one provider each (``programs``, ``suppliers``, ``support``).
- ``program_scope``: ``scope(queryset, user)`` keeps the rows of the programs a staff member belongs to
  (``programs``; every admin list and the audit trail go through it).
- ``personal_data``: what each app holds about a supplier, exported and erased for the ARCO rights by
  ``suppliers.privacy`` (``suppliers``, ``assessments``, ``cohorts``).
- ``account_sections``: the parts of the SME's account page that apps above ``suppliers`` show
  (diagnostic results, cohort decisions).
- ``staff_apps``: the apps whose model permissions the program staff group receives (``core.roles``), but
  those an app withholds (``register_withheld_permission``: who is staff of which program is a superuser's).
- ``reminders``: the kinds of reminder a person may turn off by email (``core.notifications.wants_email``,
  the notification preferences page).
- ``audited_models``: the models whose history staff trace on the audit page (``core.filters``); each
  app also adds ``core.admin.AuditEventInline`` to their admin.
- ``program_people``: where each app keeps the people bound to a program (SMEs' contacts, invited companies,
  staff, anchor reviewers, providers, course participants) with their email address: the outbox a staff
  member sees holds only the messages to the people of its programs (``core.notifications.visible_to``).
- ``message_partners``: the partners an email names, per recipient (``programs``; ``core.notifications``).

Providers register in ``INSTALLED_APPS`` order, so lists keep the order of the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    """One function that exactly one app provides."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._function: F | None = None

    def provide(self, function: F) -> None:
        if self._function is not None and self._function is not function:
            raise ImproperlyConfigured(f"{self.name} is already provided by {self._function.__module__}")
        self._function = function

    @property
    def function(self) -> F:
        if self._function is None:
            raise ImproperlyConfigured(f"No installed app provides {self.name}")
        return self._function


@dataclass(frozen=True)
class PersonalData:
    """The data one app holds about a supplier.

    ``export(supplier)`` returns JSON-ready data, only what the SME may already see; it is the ``key``
    section of the ARCO export. ``erase(supplier)`` (optional) removes the app's personal data and
    the values the history keeps of it, inside the erasure's transaction, and returns how many history
    entries it changed.
    """

    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class AccountSection:
    """A section of the SME's account page: ``template`` rendered with ``context(supplier)`` added."""

    template: str
    context: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class ProgramPeople:
    """People bound to a program: rows of ``model`` (``"app_label.ModelName"``, a model with a
    ``PROGRAM_PATH``), their email address at the lookup ``email`` and, when they have an account, the
    user at the lookup ``user``. ``email`` should be served by an index (the outbox admin asks per row)."""

    model: str
    email: str
    user: str | None = None


anchor_lookup: Hook[Callable[[Any], Any]] = Hook("the anchor company of a user")
supplier_lookup: Hook[Callable[[Any], Any]] = Hook("the supplier of a user")
provider_lookup: Hook[Callable[[Any], Any]] = Hook("the provider record of a user")
program_scope: Hook[Callable[[Any, Any], Any]] = Hook("the rows of a staff member's programs")
message_partners: Hook[Callable[..., Any]] = Hook("the partners an email names")
_program_people: list[ProgramPeople] = []
_personal_data: dict[str, PersonalData] = {}
_account_sections: dict[str, AccountSection] = {}
_staff_apps: list[str] = []
_withheld_permissions: list[str] = []
_kept_models: list[str] = []
_audited_models: list[str] = []
_reminders: dict[str, Any] = {}


def register_personal_data(section: PersonalData) -> None:
    existing = _personal_data.get(section.key)
    if existing is not None and existing != section:
        raise ImproperlyConfigured(f"Personal data section {section.key!r} is registered twice")
    _personal_data[section.key] = section


def personal_data() -> list[PersonalData]:
    return list(_personal_data.values())


def register_account_section(section: AccountSection) -> None:
    _account_sections.setdefault(section.template, section)


def account_sections() -> list[AccountSection]:
    return list(_account_sections.values())


def register_staff_app(app_label: str) -> None:
    if app_label not in _staff_apps:
        _staff_apps.append(app_label)


def staff_apps() -> tuple[str, ...]:
    return tuple(_staff_apps)


def register_withheld_permission(permission: str) -> None:
    """``permission`` (``"app_label.codename"``) is never given to the program staff group."""
    if permission not in _withheld_permissions:
        _withheld_permissions.append(permission)


def withheld_permissions() -> frozenset[str]:
    return frozenset(_withheld_permissions)


def register_audited_model(label: str) -> None:
    """``label`` is ``"app_label.ModelName"`` of a model of the registering app."""
    if label not in _audited_models:
        _audited_models.append(label)


def audited_models() -> tuple[str, ...]:
    return tuple(_audited_models)


def register_kept_model(label: str) -> None:
    """``label`` (``"app_label.ModelName"``) names records the admin never deletes, directly or by a
    cascade from another record: their history and decisions are kept (``core.admin.GuardedAdmin``)."""
    if label not in _kept_models:
        _kept_models.append(label)


def kept_models() -> tuple[str, ...]:
    return tuple(_kept_models)


def register_reminder(key: str, label: Any) -> None:
    """``key`` (a slug) names a kind of reminder; ``label`` says what it is, in the user's words (lazy)."""
    _reminders.setdefault(key, label)


def reminders() -> dict[str, Any]:
    return dict(_reminders)


def register_program_people(people: ProgramPeople) -> None:
    if people not in _program_people:
        _program_people.append(people)


def program_people() -> tuple[ProgramPeople, ...]:
    return tuple(_program_people)
