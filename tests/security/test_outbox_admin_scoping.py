"""The outbox and the queued tasks in the admin, by role: program staff read only the messages to the people of
their programs (an SME's contacts, invited companies, staff, anchor reviewers, providers, course participants),
never another program's, by the list, a change page, a guessed URL or an action; queued tasks are a superuser's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutboundMessage, QueuedTask
from core.notifications import visible_to
from suppliers.models import RegistrationInvitation
from support.models import Provider
from tests.conftest import get_ok
from tests.programs.factories import AnchorReviewerFactory, ProgramFactory, StateFactory, UserFactory, make_staff
from tests.suppliers.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _message(recipient: str, key: str, status=OutboundMessage.Status.SENT) -> OutboundMessage:
    return OutboundMessage.objects.create(
        template="registration_received", recipient=recipient, subject=f"Asunto {key}", body=f"Cuerpo {key}",
        dedupe_key=key, status=status,
    )  # fmt: skip


def _people(program, tag: str) -> dict[str, str]:
    """An address of each kind of person of ``program``."""
    contact = ContactFactory(supplier=SupplierFactory(program=program), email=f"pyme-{tag}@correo.mx")
    reviewer = AnchorReviewerFactory(anchor__program=program, user__username=f"ancla-{tag}")
    provider = Provider.objects.create(
        program=program, kind=Provider.Kind.CONSULTANT, name=f"Asesor {tag}", email=f"asesor-{tag}@correo.mx"
    )
    RegistrationInvitation.objects.create(
        program=program, rfc="AAA010101AA" + ("A" if tag == "a" else "B"), legal_name="Invitada",
        email=f"invitada-{tag}@correo.mx", state=StateFactory(),
    )  # fmt: skip
    staff = make_staff(UserFactory(username=f"personal-{tag}"), program)
    return {
        "contact": contact.email,
        "anchor": reviewer.user.email,
        "provider": provider.email,
        "invited": f"invitada-{tag}@correo.mx",
        "staff": staff.email,
    }


@pytest.fixture
def outbox():
    a, b = ProgramFactory(code="prog-a"), ProgramFactory(code="prog-b")
    people = {"a": _people(a, "a"), "b": _people(b, "b")}
    messages = {
        (program, kind): _message(email, f"{program}-{kind}", status=OutboundMessage.Status.FAILED)
        for program, kinds in people.items()
        for kind, email in kinds.items()
    }
    signup = _message("sin-programa@correo.mx", "signup")  # a sign-up's verification: no program yet
    staff_a = make_staff(UserFactory(username="staff-a", is_staff=True), a)
    return {"a": a, "b": b, "messages": messages, "signup": signup, "staff_a": staff_a}


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_staff_of_a_see_only_the_messages_to_the_people_of_a(outbox):
    messages = outbox["messages"]
    own = {m.pk for (program, _kind), m in messages.items() if program == "a"}
    assert _ids(visible_to(outbox["staff_a"])) == own
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert _ids(visible_to(superuser)) == {m.pk for m in messages.values()} | {outbox["signup"].pk}
    both = make_staff(make_staff(UserFactory(username="staff-ab"), outbox["a"]), outbox["b"])
    assert _ids(visible_to(both)) == {m.pk for m in messages.values()}
    assert not visible_to(UserFactory(username="sin-membresia", staff=False)).exists()
    nobody = make_staff(UserFactory(username="ex-staff"), outbox["a"])
    nobody.program_memberships.update(is_active=False)
    assert not visible_to(nobody).exists()


def test_the_admin_list_change_page_and_guessed_urls_keep_b_out(client, outbox):
    client.force_login(outbox["staff_a"])
    listed = get_ok(client, reverse("admin:core_outboundmessage_changelist")).content.decode()
    for (program, kind), message in outbox["messages"].items():
        change = reverse("admin:core_outboundmessage_change", args=[message.pk])
        history = reverse("admin:core_outboundmessage_history", args=[message.pk])
        if program == "a":
            assert message.recipient in listed, kind
            assert f"Cuerpo a-{kind}" in get_ok(client, change).content.decode()
            continue
        assert message.recipient not in listed, kind
        for url in (change, history):
            response = client.get(url, follow=True)
            assert f"Cuerpo b-{kind}" not in response.content.decode(), url
            assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("admin:index"), url
        assert client.get(reverse("admin:core_outboundmessage_delete", args=[message.pk])).status_code in (302, 403)
    assert outbox["signup"].recipient not in listed
    searched = get_ok(client, reverse("admin:core_outboundmessage_changelist") + "?q=pyme-b").content.decode()
    assert "pyme-b@correo.mx" not in searched


def test_the_retry_action_never_touches_another_programs_messages(client, outbox):
    client.force_login(outbox["staff_a"])
    ids = [m.pk for m in outbox["messages"].values()]
    response = client.post(
        reverse("admin:core_outboundmessage_changelist"),
        {"action": "retry_failed_messages", "_selected_action": ids},
    )
    assert response.status_code == 302
    statuses = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("dedupe_key", "status"))
    assert {key for key, status in statuses.items() if status == "pending"} == {
        f"a-{kind}" for (program, kind) in outbox["messages"] if program == "a"
    }


def test_queued_tasks_are_a_superusers_alone(client, outbox):
    task = QueuedTask.objects.create(task_id="t-1", name="suppliers.tasks.password_reset", args=[[1], "es-mx"])
    pages = [
        reverse("admin:core_queuedtask_changelist"),
        reverse("admin:core_queuedtask_change", args=[task.pk]),
        reverse("admin:core_queuedtask_history", args=[task.pk]),
    ]
    client.force_login(outbox["staff_a"])
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert "queuedtask" not in get_ok(client, reverse("admin:index")).content.decode()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_outbox_list_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, outbox):
    client.force_login(outbox["staff_a"])
    url = reverse("admin:core_outboundmessage_changelist")
    with CaptureQueriesContext(connection) as few:
        get_ok(client, url)
    contact = ContactFactory(supplier=SupplierFactory(program=outbox["a"]), email="otra@correo.mx")
    for n in range(30):
        _message(contact.email, f"mas-{n}")
        _message(f"ajeno-{n}@correo.mx", f"ajeno-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and page.count("otra@correo.mx") >= 30 and "ajeno-" not in page


def test_the_outbox_scope_asks_each_address_through_an_index(outbox):
    """A lookup per kind of person and message, each answered from an index on its email address: never a hash
    of every address of the program (100,000 SMEs' contacts) built for every page and count."""
    queryset = visible_to(outbox["staff_a"]).order_by("-created_at", "-id")[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scope = next(line for line in plan.splitlines() if "Filter:" in line and "SubPlan" in line)
    assert scope.count("SubPlan") >= 5 and "hashed" not in scope  # looked up per message, not hashed per query
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", ["suppliers_contact"])
        contact_indexes = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["registration_invitation_email"])
        invitation_indexes = " ".join(row[0] for row in cursor.fetchall())
    assert "(email)" in contact_indexes and "(email)" in invitation_indexes
