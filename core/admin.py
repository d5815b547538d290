"""The admin of core's models, and what every app's admin builds on.

The admin never goes around the rules the services enforce (``tests/test_admin_rules.py`` walks every
registered model as program staff):

- ``GuardedAdmin``: a delete is refused, with the reason on Django's delete page (the same page for
  the "delete selected" action), when the admin's ``delete_refusal`` says so, or when it would remove a
  kept record (``core.registry.register_kept_model``: suppliers, diagnostics and answers, cohorts and
  their candidates, reviews and limits ...) directly or by cascade. An admin whose deletes call a
  service (``delete_service = True``) leaves the decision to that service.
- A delete the admin refuses (``delete_refusal``) is refused before collecting what it would remove, and one
  that would remove kept records before listing them, so a refused delete's page reads no record's name.
- The delete page never lists more than ``GuardedAdmin.DELETE_PAGE_LIMIT`` records: when the records to
  delete have more rows pointing at them than that (a cohort's 94,000 candidates, the certifications of a
  standard), the delete is refused with their counts, read by one ``COUNT`` per relation, instead of
  collecting every row to list it.
- Change lists count at most ``CappedPaginator.cap`` rows (``templates/admin/pagination.html`` says "more
  than" past them) and never the whole table besides the filtered list.
- The options of a foreign key's select are kept to the staff member's programs and read once per page
  (``ChoicesReadOnce``), not once per row of a ``list_editable`` column or an inline; ``GuardedInline`` does the
  same for inlines and reads each row with what it shows (``select_related``).
- The change lists of the largest tables (the audit trail, the outbox, answers, diagnostics, candidates) are
  ordered as an index reads them, filter dates by fixed periods (``DateFieldListFilter``) instead of a date
  hierarchy that reads every distinct date, and filter a field without choices by the values it can hold
  (``fixed_values_filter``) instead of reading every distinct value of the table.
- ``ReadOnlyAdmin``: records written only by services are shown, never added or edited here; their
  admin actions call the services.
- The audit trail is append-only for everyone but a superuser; outbox rows and queued tasks are
  read-only but for their actions; program staff see only the messages to the people of their programs,
  and no queued task; API tokens are issued by ``core.tokens`` only and their keys are
  never shown (nor logged: a token's ``str`` is its prefix).
"""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import router
from django.db.models import Q
from django.template import engines
from django.utils.choices import BaseChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit, registry, roles, tokens
from .models import ApiToken, AuditEvent, OutboundMessage, QueuedTask
from .pagination import CappedPaginator, OutboxPaginator


class ChoicesReadOnce(BaseChoiceIterator):
    """The options of a model select, read the first time a form renders them and shared by every copy of the
    field: Django copies a form's fields for each form and reads a select's options again for each (each row
    of a ``list_editable`` column, each form of an inline)."""

    def __init__(self, field):
        self.field = field
        self.rows: list | None = None

    def __iter__(self):
        if self.rows is None:
            self.rows = list(self.field.iterator(self.field))
        return iter(self.rows)

    def __len__(self) -> int:
        return len(list(iter(self)))


def scoped_choices(field, request):
    """A foreign key's form field kept to the programs of ``request.user``, its options read once."""
    if field is not None and hasattr(field, "queryset"):
        field.queryset = registry.program_scope.function(field.queryset, request.user)
        if hasattr(field, "iterator"):  # a select (an autocomplete or raw id widget reads only its value)
            field.choices = ChoicesReadOnce(field)
    return field


class _FieldWithChoices:
    """A model field as a list filter reads it, offering ``flatchoices``."""

    def __init__(self, field, flatchoices: list[tuple[Any, str]]):
        self._field = field
        self.flatchoices = flatchoices

    def __getattr__(self, name):
        return getattr(self._field, name)


def fixed_values_filter(values: Callable[[], Iterable[tuple[Any, str]]]) -> type[admin.ChoicesFieldListFilter]:
    """A list filter offering ``values()`` as (value, label) pairs, for a field without choices: Django's own
    filter of such a field reads every distinct value of the table (``SELECT DISTINCT`` over millions of rows)
    on every view of the list."""

    class FixedValuesFilter(admin.ChoicesFieldListFilter):
        def __init__(self, field, request, params, model, model_admin, field_path):
            super().__init__(field, request, params, model, model_admin, field_path)
            self.field = _FieldWithChoices(field, list(values()))

    return FixedValuesFilter


def _action_values() -> list[tuple[str, str]]:
    from .audit_text import ACTIONS

    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda pair: pair[1])


def _state_values() -> list[tuple[str, str]]:
    """The states of the audited records (their ``status`` choices), each code once."""
    states: dict[str, str] = {}
    for label in registry.audited_models():
        fields = {field.name: field for field in apps.get_model(label)._meta.fields}
        for code, name in fields["status"].flatchoices if "status" in fields else ():
            states.setdefault(code, str(name))
    return sorted(states.items(), key=lambda pair: pair[1])


def _email_templates() -> list[tuple[str, str]]:
    """The outbox's message templates (``templates/emails/<name>.txt``)."""
    names = {
        path.name.removesuffix(".subject.txt")
        for engine in engines.all()
        for folder in engine.template_dirs
        for path in Path(folder, "emails").glob("*.subject.txt")
    }
    return [(name, name) for name in sorted(names)]


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _kept_labels() -> frozenset[str]:
    return frozenset(apps.get_model(label)._meta.label_lower for label in registry.kept_models())


class GuardedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose deletes respect the services' rules (see the module)."""

    delete_service = False  # True when ``delete_model`` / ``delete_queryset`` call a service
    DELETE_PAGE_LIMIT = 1_000
    # Lists of millions of rows (the audit trail, answers, candidates): count at most CappedPaginator.cap rows
    # and say "more than" past them, and never count the whole table besides the filtered list.
    paginator = CappedPaginator
    show_full_result_count = False
    # Rendering a row costs more than reading it (links, formatted dates and numbers, icons): 50 a page, as the
    # staff lists and the API, keeps a change list of any table well within the page budget.
    list_per_page = 50

    def too_many_dependents(self, objs) -> list[str]:
        """The names of the relations with more than ``DELETE_PAGE_LIMIT`` rows pointing at ``objs``, counted
        without reading them (the admin's delete page would list them all)."""
        pks = [obj.pk for obj in objs]
        found = []
        for relation in self.model._meta.related_objects:
            if relation.many_to_many or not pks:
                continue  # a deletion removes only the links
            related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
            count = related[: self.DELETE_PAGE_LIMIT + 1].count()
            if count > self.DELETE_PAGE_LIMIT:
                opts = relation.related_model._meta
                found.append(str(capfirst(opts.verbose_name_plural)))
        return found

    def get_queryset(self, request):
        """Only the rows of the programs the staff member belongs to (every row for a superuser)."""
        return registry.program_scope.function(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scoped_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = registry.program_scope.function(field.queryset, request.user)
        return field

    def delete_refusal(self, request, obj) -> str | None:
        """Why ``obj`` may not be deleted here (shown to the user), or None."""
        return None

    def kept_in_deletion(self, objs) -> list[str]:
        """The kept records that deleting ``objs`` would remove (they included), as readable lines."""
        if not objs:
            return []
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        kept = _kept_labels()
        found = []
        for model, instances in collector.model_objs.items():
            opts = model._meta  # type: ignore[attr-defined]  # keyed by model classes (django-stubs says str)
            if opts.label_lower in kept and instances:
                found.append(f"{capfirst(opts.verbose_name_plural)}: {len(instances)}")
        return found

    def get_deleted_objects(self, objs, request):
        refused = [f"{obj}: {refusal}" for obj in objs if (refusal := self.delete_refusal(request, obj))]
        if refused:  # nothing is deleted, so nothing is collected to list
            return [], {}, set(), refused
        many = self.too_many_dependents(list(objs))
        if many:
            too_many = gettext(
                "Too many records depend on this to delete it here, where each would be listed (more than %(limit)s):"
            ) % {"limit": f"{self.DELETE_PAGE_LIMIT:,}"}
            return [], {}, set(), [too_many + " " + "; ".join(many)]
        if not self.delete_service:
            # Checked before Django lists what would be deleted (reading each record's name, often one query
            # a record): a refused delete lists nothing.
            kept = self.kept_in_deletion(list(objs))
            if kept:
                reason = gettext("Their history and decisions are kept, so the admin does not delete them:")
                return [], {}, set(), [reason + " " + "; ".join(kept)]
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        if protected:
            perms_needed = set()  # the page then shows the reasons, not missing permissions
        return to_delete, model_count, perms_needed, protected


class ReadOnlyAdmin(GuardedAdmin):
    """Shown, never added, edited or deleted here: the services write these records."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GuardedInline:
    """An inline whose rows are read with ``select_related`` (the related records each row names), and whose
    selects offer only the staff member's programs' rows, read once for all its forms. Mixed in before
    ``admin.TabularInline`` or ``admin.StackedInline``."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        rows = super().get_queryset(request)  # type: ignore[misc]
        return rows.select_related(*self.select_related) if self.select_related else rows

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return scoped_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request)  # type: ignore[misc]


class ReadOnlyInline(GuardedInline):
    """An inline that shows records the services write: never added, edited or deleted here. Mixed in
    before ``admin.TabularInline`` or ``admin.StackedInline``."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail: append-only. Only a superuser may delete an event (staff hold no such
    permission, ``core.roles.STAFF_WITHHELD``)."""

    list_display = ("created_at", "content_type", "object_id", "action", "from_state", "to_state", "actor")
    list_filter = (
        "created_at",
        ("action", fixed_values_filter(_action_values)),
        "content_type",
        ("to_state", fixed_values_filter(_state_values)),
    )
    search_fields = ("object_id", "actor__username")
    search_help_text = _("A record's id or a user name, exactly.")
    list_select_related = ("content_type", "actor")
    ordering = ("-created_at", "-id")  # read from the index of created_at (an incremental sort of ties)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser)

    def get_queryset(self, request):
        return audit.visible_to(request.user, admin.ModelAdmin.get_queryset(self, request))

    def get_search_results(self, request, queryset, search_term):
        """A record's id or a user name, matched exactly (by indexes), never a scan of every event's text."""
        term = search_term.strip()
        if not term:
            return queryset, False
        match = Q(actor__username=term)
        if term.isdigit():
            match |= Q(object_id=term)
        return queryset.filter(match), False


class OutboxAdmin(ReadOnlyAdmin):
    """Read-only rows with actions of their own, allowed to whoever may change the model."""

    def has_requeue_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(OutboxAdmin):
    """The outbox: a superuser sees every message; program staff only the messages to the people of their
    programs (``core.notifications.visible_to``), in the list, a change page and an action alike."""

    list_display = ("created_at", "template", "recipient", "language", "status", "attempts", "sent_at")
    list_filter = (
        "status",
        "created_at",
        ("template", fixed_values_filter(_email_templates)),
        ("language", fixed_values_filter(_languages)),
    )
    search_fields = ("=recipient",)
    search_help_text = _("An email address, exactly.")
    ordering = ("-created_at", "-id")  # index outbox_newest_first
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    actions = ("retry_failed_messages",)
    # Staff's list looks up each message's recipient among the people of their programs: the count stops at
    # 1,000 messages ("more than"), and a filter or an address narrows it.
    paginator = OutboxPaginator

    def get_queryset(self, request):
        from .notifications import visible_to

        return visible_to(request.user, admin.ModelAdmin.get_queryset(self, request))

    @admin.action(description=_("Queue failed messages again"), permissions=["requeue"])
    def retry_failed_messages(self, request, queryset):
        from .notifications import retry_failed

        count = retry_failed(message_ids=list(queryset.values_list("pk", flat=True)), actor=request.user)
        self.message_user(request, _("%(count)d messages queued again.") % {"count": count})


@admin.register(QueuedTask)
class QueuedTaskAdmin(ReadOnlyAdmin):
    """Work waiting for a worker, or given up after ``core.queued.MAX_ATTEMPTS`` resends: shown only, and only
    to a superuser (a task's arguments belong to no one program)."""

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    list_display = ("created_at", "name", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status", "name")
    search_fields = ("name", "task_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in QueuedTask._meta.fields]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """API tokens: metadata only. Tokens are issued by ``POST /api/v1/tokens/`` (``core.tokens``, which
    checks who may issue whose token, audits it and shows the key once); the revoke action calls the
    same service."""

    list_display = ("user", "prefix", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")
    list_select_related = ("user",)
    fields = ("user", "prefix", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_revoke_permission(self, request):
        return roles.is_program_staff(request.user)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self.message_user(
                request,
                _(
                    "Tokens are issued through the API (POST /api/v1/tokens/), which checks who may receive one, "
                    "records it in the audit trail and shows the key once. Keys are never shown here."
                ),
                messages.INFO,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request, queryset):
        done = 0
        for token in queryset.select_related("user"):
            allowed, reason = tokens.may_revoke(user=token.user, actor=request.user)
            if not allowed:
                self.message_user(request, f"{token.user}: {reason}", messages.ERROR)
                continue
            done += tokens.token_revoke(user=token.user, actor=request.user)
        if done:
            self.message_user(request, _("%(count)d tokens revoked.") % {"count": done}, messages.SUCCESS)


admin.site.site_header = "SDP · INA–IFC"
admin.site.site_title = "SDP"
admin.site.index_title = "Programa de Desarrollo de Proveedores"


class AuditEventInline(GenericTabularInline):
    """Read-only history (who, when, before/after) on the change page of an audited object.

    Each app adds it to the admin of the models whose scores, decisions and states staff must trace.
    """

    model = AuditEvent
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "from_state", "to_state", "changes", "reason")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    verbose_name_plural = _("history (audit trail)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "content_type")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
