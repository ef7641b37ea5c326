"""Failed logins lock the identifiant and the address; a locked try is refused before any
password is hashed; everything is in the security log coordinators read."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import ApiToken, Role, SecurityEvent, SecurityEventKind
from partners.security import client_ip
from tests.factories import PartnerFactory, user_create

LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def landlord(db):
    """A landlord's CESF and manager, as they log in (the suite's passwords are the demo's)."""
    partner = PartnerFactory(name="Bailleur Alpes", short_name="alpes")
    return {
        "cesf": user_create(Role.CESF, partner=partner, username="cesf.alpes"),
        "manager": user_create(Role.MANAGER, partner=partner, username="manager.alpes"),
    }


@pytest.fixture
def hashing():
    """Counts every password hashed or checked (the suite hashes with MD5)."""
    calls = []
    verify, encode = MD5PasswordHasher.verify, MD5PasswordHasher.encode

    def counted_verify(self, *args):
        calls.append("verify")
        return verify(self, *args)

    def counted_encode(self, *args, **kwargs):
        calls.append("encode")
        return encode(self, *args, **kwargs)

    with (
        mock.patch.object(MD5PasswordHasher, "verify", counted_verify),
        mock.patch.object(MD5PasswordHasher, "encode", counted_encode),
    ):
        yield calls


def test_an_identifiant_is_locked_after_the_limit_and_a_locked_try_hashes_nothing(
    client, landlord, hashing
):
    for index in range(LIMIT - 1):
        response = attempt(client, "cesf.alpes", "mauvais", address=f"10.0.0.{index + 1}")
        assert response.status_code == 200
        assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    locking = attempt(client, "cesf.alpes", "mauvais", address="10.0.1.1")
    assert locking.status_code == 429
    assert "échecs de connexion" in locking.content.decode()
    hashed_before = len(hashing)
    assert hashed_before >= LIMIT  # each failure checked a password

    refused = attempt(client, "cesf.alpes", settings.DEMO_PASSWORD, address="10.0.2.2")
    assert refused.status_code == 429
    assert "bloqué pendant 15 minutes" in refused.content.decode()
    assert len(hashing) == hashed_before  # refused before hashing
    assert "_auth_user_id" not in client.session
    # Another identifiant from another address is not concerned.
    other = attempt(client, "manager.alpes", settings.DEMO_PASSWORD, address="10.0.3.3")
    assert other.status_code == 302

    events = SecurityEvent.objects.filter(username="cesf.alpes")
    assert events.filter(kind=SecurityEventKind.LOGIN_FAILED).count() == LIMIT
    assert events.filter(kind=SecurityEventKind.LOCKED_OUT).count() == 1
    assert events.get(kind=SecurityEventKind.LOCKED_OUT).detail == f"après {LIMIT} échecs"

    later = timezone.now() + timedelta(minutes=settings.AXES_COOLOFF_TIME.seconds // 60 + 1)
    with time_machine.travel(later):
        assert attempt(client, "cesf.alpes", settings.DEMO_PASSWORD).status_code == 302


def test_an_address_is_locked_after_the_limit_whatever_the_identifiant(client, landlord, hashing):
    for index in range(LIMIT):
        attempt(client, f"inconnu{index}", "mauvais", address="192.0.2.7")
    refused = attempt(client, "manager.alpes", settings.DEMO_PASSWORD, address="192.0.2.7")
    assert refused.status_code == 429
    hashed = len(hashing)
    attempt(client, "manager.alpes", settings.DEMO_PASSWORD, address="192.0.2.7")
    assert len(hashing) == hashed
    assert attempt(client, "manager.alpes", settings.DEMO_PASSWORD).status_code == 302


def test_a_new_password_by_e_mail_lifts_the_lock(client, landlord):
    from partners import services

    for _ in range(LIMIT):
        attempt(client, "manager.alpes", "mauvais", address="198.51.100.1")
    assert attempt(client, "manager.alpes", "mauvais", address="198.51.100.2").status_code == 429
    services.user_password_set(user=landlord["manager"], password="Une toute nouvelle phrase")
    response = attempt(client, "manager.alpes", "Une toute nouvelle phrase", address="198.51.100.3")
    assert response.status_code == 302


def test_bad_api_tokens_lock_the_address_before_any_lookup(landlord, django_assert_max_num_queries):
    _, secret = ApiToken.objects.create_for(user=landlord["cesf"], name="logiciel")
    api = APIClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(LIMIT - 1):
        response = api.get("/api/households/", HTTP_AUTHORIZATION="Token lt_devine")
        assert response.status_code == 401
    assert api.get("/api/households/", HTTP_AUTHORIZATION="Token lt_encore").status_code == 429
    with django_assert_max_num_queries(2):
        locked = api.get("/api/households/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Trop d'échecs de connexion")
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.10")
    ok = elsewhere.get("/api/households/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert ok.status_code == 200
    refused = SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_REFUSED)
    assert refused.count() == LIMIT
    assert refused.first().detail == "jeton lt_encore…"


def test_the_admin_logs_in_through_the_application_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/partners/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=%2Fadmin%2Fpartners%2F"


def test_the_current_password_typed_on_the_profile_counts_as_a_failure(client, landlord):
    client.force_login(landlord["cesf"])
    for _ in range(LIMIT - 1):
        response = client.post(
            reverse("profile"), {"name": "Outil", "expires_in_days": "30", "password": "faux"}
        )
        assert "Mot de passe incorrect." in response.content.decode()
    assert not ApiToken.objects.filter(user=landlord["cesf"]).exists()
    assert SecurityEvent.objects.filter(
        username="cesf.alpes", kind=SecurityEventKind.LOGIN_FAILED
    ).count() == (LIMIT - 1)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("coordinator.lt", 200),
        ("manager.actis", 403),
        ("cesf.actis", 403),
        ("funder.fondation", 403),
    ],
)
def test_only_coordinators_read_the_security_log(client, demo, username, status):
    attempt(client, "cesf.actis", "mauvais")
    client.force_login(demo[username])
    response = client.get(reverse("partners:security_log"), {"kind": "login_failed"})
    assert response.status_code == status
    if status == 200:
        rows = response.content.decode().split("<tbody>")[1]
        assert "Échec de connexion" in rows and "cesf.actis" in rows
        assert "Connexion</td>" not in rows


def test_the_client_address_is_read_behind_the_trusted_proxies_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.1.1.1"


def lock(client, username: str) -> None:
    for index in range(LIMIT):
        attempt(client, username, "mauvais", address=f"198.18.0.{index + 1}")
    assert attempt(client, username, settings.DEMO_PASSWORD, "198.18.1.1").status_code == 429


def test_a_manager_sees_the_lock_and_lifts_it_before_its_time(client, landlord):
    from django.test import Client

    lock(Client(), "cesf.alpes")
    client.force_login(landlord["manager"])
    page = client.get(reverse("partners:user_detail", args=[landlord["cesf"].pk]))
    assert "bloqué après des échecs de connexion" in page.content.decode()
    assert "Lever le blocage" in page.content.decode()

    response = client.post(reverse("partners:user_unlock", args=[landlord["cesf"].pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Le blocage de" in page and "est levé" in page
    assert "bloqué après des échecs de connexion" not in page
    assert "Blocage après des échecs de connexion levé" in page  # the account's history
    event = SecurityEvent.objects.get(kind=SecurityEventKind.UNLOCKED)
    assert (event.user, event.detail) == (landlord["cesf"], "par manager.alpes")
    # Its next try is not refused, from an address that was never locked.
    assert attempt(Client(), "cesf.alpes", settings.DEMO_PASSWORD, "198.18.2.1").status_code == 302


def test_an_account_that_is_not_locked_has_nothing_to_lift(client, landlord):
    client.force_login(landlord["manager"])
    page = client.get(reverse("partners:user_detail", args=[landlord["cesf"].pk]))
    assert "Lever le blocage" not in page.content.decode()
    response = client.post(reverse("partners:user_unlock", args=[landlord["cesf"].pk]), follow=True)
    assert "Ce compte n&#x27;est pas bloqué." in response.content.decode()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.UNLOCKED).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("coordinator.lt", 302),
        ("manager.ozanam", 302),
        ("manager.actis", 404),
        ("caseworker.oiseaubleu", 403),
        ("cesf.actis", 403),
        ("funder.fondation", 403),
    ],
)
def test_matrix_who_lifts_a_lock(client, demo, username, status):
    from django.test import Client

    from partners.security import locked_until

    lock(Client(), "caseworker.ozanam")
    client.force_login(demo[username])
    response = client.post(reverse("partners:user_unlock", args=[demo["caseworker.ozanam"].pk]))
    assert response.status_code == status
    assert (locked_until("caseworker.ozanam") is None) == (status == 302)
