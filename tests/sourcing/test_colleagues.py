"""An anchor company's users: its administrator invites colleagues, who choose a password from the email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import roles
from core.models import AuditEvent, OutboundMessage
from programs.models import AnchorReviewer
from sourcing import services
from tests.programs.factories import AnchorCompanyFactory, AnchorReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("sourcing:anchor_colleagues")


@pytest.fixture
def admin_link():
    return AnchorReviewerFactory(is_administrator=True, user__first_name="Ana")


def test_administrator_invites_a_colleague_who_sets_a_password(client, admin_link):
    client.force_login(admin_link.user)
    response = client.post(URL, {"name": "Beto Ruiz", "email": "Beto@Ancla.MX", "language": "en"})
    assert response.status_code == 302
    link = AnchorReviewer.objects.get(user__email="beto@ancla.mx")
    assert link.anchor == admin_link.anchor and not link.is_administrator and link.language == "en"
    assert not link.user.has_usable_password()
    assert roles.ANCHOR_GROUP in roles.group_names(link.user)
    assert AuditEvent.objects.filter(action="anchor_colleague_invited", object_id=str(link.pk)).exists()
    message = OutboundMessage.objects.get(template="anchor_colleague_invited")
    assert message.recipient == "beto@ancla.mx" and message.language == "en"
    assert admin_link.anchor.name in message.body
    # The link in the email opens the page where the colleague chooses a password.
    path = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    done = client.post(
        set_url, {"new_password1": "Un-tornillo-bien-puesto-9", "new_password2": "Un-tornillo-bien-puesto-9"}
    )
    assert done.status_code == 302
    assert client.login(username="beto@ancla.mx", password="Un-tornillo-bien-puesto-9")
    assert roles.anchor_of(get_user_model().objects.get(email="beto@ancla.mx")) == admin_link.anchor


def test_the_page_lists_only_the_anchors_own_users(client, admin_link):
    colleague = AnchorReviewerFactory(anchor=admin_link.anchor, user__email="colega@ancla.mx")
    other = AnchorReviewerFactory(user__email="otra@competidor.mx")
    client.force_login(admin_link.user)
    page = client.get(URL).content.decode()
    assert colleague.user.email in page and admin_link.user.email in page
    assert other.user.email not in page


def test_an_existing_email_is_a_form_error_and_nothing_is_saved(client, admin_link):
    UserFactory(email="ya@existe.mx")
    client.force_login(admin_link.user)
    before = AnchorReviewer.objects.count()
    response = client.post(URL, {"name": "Ya Existe", "email": "YA@existe.mx", "language": "es-mx"})
    assert response.status_code == 400
    assert "already has an account" in response.content.decode() or "ya tiene una cuenta" in response.content.decode()
    assert AnchorReviewer.objects.count() == before
    assert not OutboundMessage.objects.filter(template="anchor_colleague_invited").exists()


@pytest.mark.parametrize("who", ["colleague", "sme", "provider", "anonymous"])
def test_only_the_administrator_may_open_the_page(client, who, admin_link, sme_contact, provider):
    users = {
        "colleague": AnchorReviewerFactory(anchor=admin_link.anchor).user,
        "sme": sme_contact.user,
        "provider": provider.user,
        "anonymous": None,
    }
    if users[who] is not None:
        client.force_login(users[who])
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert client.post(URL, {"name": "X", "email": "x@x.mx", "language": "es-mx"}).status_code in (302, 403)
    assert not AnchorReviewer.objects.filter(user__email="x@x.mx").exists()


def test_a_colleague_cannot_invite_through_the_service(admin_link):
    colleague = AnchorReviewerFactory(anchor=admin_link.anchor)
    with pytest.raises(ValidationError):
        services.anchor_colleague_invite(anchor=admin_link.anchor, actor=colleague.user, name="X", email="x@x.mx")


def test_an_administrator_cannot_invite_to_another_anchor(admin_link):
    with pytest.raises(ValidationError):
        services.anchor_colleague_invite(anchor=AnchorCompanyFactory(), actor=admin_link.user, name="X", email="x@x.mx")


def test_staff_invite_and_name_the_administrator(staff_user):
    anchor = AnchorCompanyFactory()
    link = services.anchor_colleague_invite(anchor=anchor, actor=staff_user, name="Primera", email="p@ancla.mx")
    second = services.anchor_colleague_invite(anchor=anchor, actor=staff_user, name="Segunda", email="s@ancla.mx")
    services.anchor_administrator_set(link=link, actor=staff_user)
    services.anchor_administrator_set(link=second, actor=staff_user)
    assert list(AnchorReviewer.objects.filter(anchor=anchor, is_administrator=True)) == [second]
    with pytest.raises(ValidationError):
        services.anchor_administrator_set(link=link, actor=second.user)


def test_the_administrator_withdraws_a_colleague_not_itself(admin_link):
    colleague = AnchorReviewerFactory(anchor=admin_link.anchor)
    services.anchor_colleague_deactivate(link=colleague, actor=admin_link.user)
    assert roles.anchor_of(get_user_model().objects.get(pk=colleague.user_id)) is None
    with pytest.raises(ValidationError):
        services.anchor_colleague_deactivate(link=admin_link, actor=admin_link.user)


def test_page_queries_do_not_grow_with_colleagues(client, admin_link, django_assert_max_num_queries):
    client.force_login(admin_link.user)
    for _ in range(15):
        AnchorReviewerFactory(anchor=admin_link.anchor)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
