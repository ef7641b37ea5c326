"""Partner managers manage their own partner's accounts, coordinators every partner's, from
the application's pages: invitations, roles, deactivation, second factor, history."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.errors import DomainError
from logement_toujours.demo.partners import demo_users
from partners import second_factor, services
from partners.models import ApiToken, Membership, Partner, Role, User
from tests.factories import user_create

USERS = [username for username, _, _ in demo_users()]
MANAGERS = {u for u in USERS if u.startswith("manager.")} | {"coordinator.lt"}
TARGETS = ["cesf.actis", "manager.actis", "caseworker.ozanam", "coordinator.lt", "funder.fondation"]
# Whose page each account manager opens (the others: 404), and whose account it may change.
SEES_ACCOUNT = {
    "coordinator.lt": set(TARGETS),
    "manager.actis": {"cesf.actis", "manager.actis"},
    "manager.ozanam": {"caseworker.ozanam"},
}
MANAGES = {
    "coordinator.lt": {"cesf.actis", "manager.actis", "caseworker.ozanam", "funder.fondation"},
    "manager.actis": {"cesf.actis"},
    "manager.ozanam": {"caseworker.ozanam"},
}


def reload(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("target", TARGETS)
def test_matrix_who_opens_and_who_deactivates_which_account(client, demo, username, target):
    client.force_login(demo[username])
    account = demo[target]
    page = client.get(reverse("partners:user_detail", args=[account.pk]))
    response = client.post(reverse("partners:user_deactivate", args=[account.pk]))
    if username not in MANAGERS:
        assert (page.status_code, response.status_code) == (403, 403)
    elif target not in SEES_ACCOUNT.get(username, set()):
        assert (page.status_code, response.status_code) == (404, 404)
    else:
        assert page.status_code == 200
        assert response.status_code == 302
    deactivated = not reload(account).is_active
    assert deactivated == (target in MANAGES.get(username, set()))


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("coordinator.lt", 302),
        ("manager.actis", 302),
        ("manager.opac38", 404),
        ("manager.ulisse", 404),
        ("cesf.actis", 403),
        ("funder.fondation", 403),
    ],
)
def test_matrix_who_invites_into_actis(client, demo, username, status):
    client.force_login(demo[username])
    actis = Partner.objects.get(short_name="actis")
    response = client.post(
        reverse("partners:partner_users", args=[actis.pk]),
        {
            "email": "nouvelle@actis.example",
            "first_name": "Zoé",
            "last_name": "Lefèvre",
            "role": "cesf",
        },
    )
    assert response.status_code == status
    assert User.objects.filter(username="nouvelle@actis.example").exists() == (status == 302)


def test_a_manager_lists_its_people_with_their_last_login(
    client, demo, django_assert_max_num_queries, django_assert_num_queries
):
    manager = demo["manager.actis"]
    client.force_login(manager)
    response = client.get(reverse("partners:partner_list"))
    actis = manager.partner
    assert response.url == reverse("partners:partner_users", args=[actis.pk])
    user_create(Role.CESF, partner=actis)
    with django_assert_max_num_queries(10) as first:
        page = client.get(response.url)
    for _ in range(5):
        user_create(Role.CESF, partner=actis)
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(response.url)
    text = page.content.decode()
    assert "cesf.actis" in text and "cesf.opac38" not in text
    assert timezone.localtime(reload(manager).last_login).strftime("%d/%m/%Y %H:%M") in text


def test_an_invitation_is_a_one_time_link_where_the_user_chooses_its_password(client, demo):
    manager = demo["manager.ozanam"]
    user = services.user_invite(
        partner=manager.partner,
        email="  Amélie.Roux@Ozanam.example ",
        first_name="Amélie",
        last_name="Roux 🌱",
        role=Role.CASEWORKER,
        by=manager,
    )
    assert user.username == "amélie.roux@ozanam.example"
    assert user.invitation_pending and not user.has_usable_password()
    assert (user.partner, user.role) == (manager.partner, Role.CASEWORKER)
    message = mail.outbox[-1]
    assert message.to == [user.email]
    assert "Relais Ozanam" in message.subject
    url = re.search(r"http\S+", message.body).group(0).removeprefix(settings.SITE_URL)
    assert client.get(url).status_code == 200
    too_short = client.post(url, {"new_password1": "court-2026", "new_password2": "court-2026"})
    assert "au minimum 12 caractères" in too_short.content.decode()
    password = "Ma phrase « secrète » du Relais 2026"
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    user = reload(user)
    assert user.check_password(password) and not user.invitation_pending
    client.logout()
    used = client.get(url)
    assert used.status_code == 400
    assert "n'est plus valable" in used.content.decode()


def test_an_invitation_expires_and_a_new_one_replaces_the_old(client, demo):
    manager = demo["manager.actis"]
    user = services.user_invite(
        partner=manager.partner,
        email="retard@actis.example",
        first_name="Paul",
        last_name="Retard",
        role=Role.CESF,
        by=manager,
    )
    first = re.search(r"http\S+", mail.outbox[-1].body).group(0).removeprefix(settings.SITE_URL)
    later = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS + 1)
    with time_machine.travel(later):
        assert client.get(first).status_code == 400
    services.user_invitation_resend(user=user, by=manager)
    second = re.search(r"http\S+", mail.outbox[-1].body).group(0).removeprefix(settings.SITE_URL)
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    services.user_deactivate(user=user, by=manager)
    assert client.get(second).status_code == 400


def test_an_address_already_used_or_a_coordinator_role_is_refused(demo):
    coordinator, manager = demo["coordinator.lt"], demo["manager.actis"]
    with pytest.raises(DomainError, match="existe déjà"):
        services.user_invite(
            partner=manager.partner,
            email="CESF.actis@demo.invalid",
            first_name="A",
            last_name="B",
            role=Role.CESF,
            by=manager,
        )
    with pytest.raises(DomainError, match="super-utilisateur"):
        services.user_invite(
            partner=coordinator.partner,
            email="second.coordinateur@lt.example",
            first_name="A",
            last_name="B",
            role=Role.COORDINATOR,
            by=coordinator,
        )
    with pytest.raises(DomainError, match="votre structure"):
        services.user_invite(
            partner=Partner.objects.get(short_name="opac38"),
            email="x@opac.example",
            first_name="A",
            last_name="B",
            role=Role.CESF,
            by=manager,
        )


def test_a_manager_changes_a_role_within_its_partner_only(client, demo):
    manager, cesf = demo["manager.actis"], demo["cesf.actis"]
    client.force_login(manager)
    response = client.post(reverse("partners:user_role", args=[cesf.pk]), {"role": "manager"})
    assert response.status_code == 302
    assert reload(cesf).role == Role.MANAGER
    refused = client.post(reverse("partners:user_role", args=[cesf.pk]), {"role": "caseworker"})
    assert refused.status_code == 400
    assert reload(cesf).role == Role.MANAGER
    own = client.post(reverse("partners:user_role", args=[manager.pk]), {"role": "cesf"})
    assert own.status_code == 400
    assert "votre propre compte" in own.content.decode()
    assert reload(manager).role == Role.MANAGER


def test_deactivation_ends_the_sessions_and_the_tokens(client, demo):
    from django.test import Client

    caseworker = demo["caseworker.ulisse"]
    session = Client()
    session.force_login(caseworker)
    assert session.get(reverse("households:list")).status_code == 200
    _, secret = ApiToken.objects.create_for(user=caseworker, name="logiciel")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/households/").status_code == 200

    client.force_login(demo["manager.ulisse"])
    client.post(reverse("partners:user_deactivate", args=[caseworker.pk]))

    response = session.get(reverse("households:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert api.get("/api/households/").status_code == 401
    assert not ApiToken.objects.filter(user=caseworker, revoked_at=None).exists()
    login = Client().post(
        reverse("login"), {"username": "caseworker.ulisse", "password": settings.DEMO_PASSWORD}
    )
    assert login.status_code == 200
    client.post(reverse("partners:user_reactivate", args=[caseworker.pk]))
    assert reload(caseworker).is_active


def test_a_manager_resets_a_second_factor_and_it_is_in_the_history(client, demo):
    from tests.conftest import SecondFactorClient

    manager = demo["manager.oiseaubleu"]
    caseworker = demo["caseworker.oiseaubleu"]
    second_factor.demo_device(caseworker)  # enrolled of its own accord
    own = SecondFactorClient()
    own.force_login(caseworker)
    assert TOTPDevice.objects.filter(user=caseworker).exists()
    StaticDevice.objects.create(user=caseworker, name="Codes de secours")
    client.force_login(manager)
    client.post(reverse("partners:user_second_factor_reset", args=[caseworker.pk]))
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert not StaticDevice.objects.filter(user=caseworker).exists()
    page = client.get(reverse("partners:user_detail", args=[caseworker.pk])).content.decode()
    assert "Second facteur réinitialisé" in page
    assert str(manager) in page
    # The session verified with the old device is not any more: it enrols again.
    response = own.get(reverse("households:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor_enrol"))


def test_every_account_change_is_in_the_history_with_who_and_what(client, demo):
    coordinator, manager = demo["coordinator.lt"], demo["manager.pluralis"]
    user = services.user_invite(
        partner=manager.partner,
        email="suivi@pluralis.example",
        first_name="Inès",
        last_name="Suivi",
        role=Role.CESF,
        by=manager,
    )
    services.user_role_set(user=user, role=Role.MANAGER, by=manager)
    services.user_deactivate(user=user, by=coordinator)
    partner = services.partner_create(
        name="Habitat du Grésivaudan", short_name="gresivaudan", kind="landlord", by=coordinator
    )
    client.force_login(coordinator)
    page = client.get(reverse("partners:account_history")).content.decode()
    assert "Invitation envoyée (Pluralis, CESF)" in page
    assert "rôle : CESF → Responsable partenaire" in page
    assert "actif : oui → non" in page
    assert "Compte désactivé" in page
    assert f"Partenaire {partner.name}" in page
    assert str(manager) in page and str(coordinator) in page
    for username in ("manager.pluralis", "cesf.pluralis", "funder.fondation"):
        client.force_login(demo[username])
        assert client.get(reverse("partners:account_history")).status_code == 403


def test_coordinators_create_partners_from_the_pages(client, demo):
    client.force_login(demo["manager.actis"])
    data = {"name": "Habitat du Grésivaudan", "short_name": "gresivaudan", "kind": "landlord"}
    assert client.post(reverse("partners:partner_list"), data).status_code == 302
    assert not Partner.objects.filter(short_name="gresivaudan").exists()
    client.force_login(demo["coordinator.lt"])
    response = client.post(reverse("partners:partner_list"), data)
    partner = Partner.objects.get(short_name="gresivaudan")
    assert response.url == reverse("partners:partner_users", args=[partner.pk])
    assert partner.group.name == "partenaire:gresivaudan"
    again = client.post(reverse("partners:partner_list"), {**data, "short_name": "autre"})
    assert "Un partenaire porte déjà ce nom." in again.content.decode()


def test_a_manager_sends_a_reset_link_and_never_sets_a_password(client, demo):
    manager, cesf = demo["manager.opac38"], demo["cesf.opac38"]
    client.force_login(manager)
    response = client.post(reverse("partners:user_password_reset", args=[cesf.pk]))
    assert response.status_code == 302
    assert mail.outbox[-1].to == [cesf.email]
    assert "/mot-de-passe/nouveau/" in mail.outbox[-1].body
    assert [str(m) for m in get_messages(response.wsgi_request)][-1].startswith("Un lien")
    assert reload(cesf).check_password(settings.DEMO_PASSWORD)


def test_membership_is_what_the_history_shows(demo):
    cesf = demo["cesf.pluralis"]
    before = Membership.history.filter(user_id=cesf.pk).count()
    services.membership_set(user=cesf, partner=cesf.partner, role=Role.CESF)
    assert Membership.history.filter(user_id=cesf.pk).count() == before


def test_an_account_s_e_mail_is_a_link_to_write_to_it(client, demo):
    caseworker = demo["caseworker.oiseaubleu"]
    client.force_login(demo["manager.oiseaubleu"])
    page = client.get(reverse("partners:user_detail", args=[caseworker.pk])).content.decode()
    assert f'<a href="mailto:{caseworker.email}">{caseworker.email}</a>' in page
