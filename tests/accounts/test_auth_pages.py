"""Login, landing page, passwords, session timeouts and the headers of private pages."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.services import subject_access_request_create
from households.models import Household
from logement_toujours.demo.partners import demo_users
from partners.models import ApiToken, SecurityEvent, SecurityEventKind, User

LANDS_ON = {
    "coordinator.lt": "Mes ménages",
    "funder.fondation": "Statistiques",
    "funder.ddets": "Statistiques",
    "cesf.actis": "Mes ménages",
    "caseworker.ozanam": "Mes ménages",
    "manager.pluralis": "Mes ménages",
}


@pytest.mark.parametrize("username", [username for username, _, _ in demo_users()])
def test_each_role_lands_on_a_page_it_may_read(client, demo, username):
    client.force_login(demo[username])
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    title = response.content.decode().split("<h1>")[1].split("</h1>")[0]
    expected = LANDS_ON.get(username, "Mes ménages")
    assert title.startswith(expected)
    assert "Accès refusé" not in response.content.decode()


def test_the_login_error_speaks_of_the_identifiant(client, demo):
    response = client.post(reverse("login"), {"username": "cesf.actis", "password": "faux"})
    text = response.content.decode()
    assert "Identifiant ou mot de passe incorrect" in text
    assert "nom d’utilisateur" not in text and "nom d'utilisateur" not in text
    assert '<label for="id_username">Identifiant *</label>' in text


def test_a_login_with_an_empty_field_says_which_in_the_error_summary(client, db):
    response = client.post(reverse("login"), {"username": "cesf.actis", "password": ""})
    text = response.content.decode()
    summary = text[text.index("data-error-summary") :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_password">Mot de passe : Ce champ est obligatoire.</a>' in summary
    password = re.search(r'<input[^>]*name="password"[^>]*>', text).group(0)
    assert 'aria-describedby="id_password_error"' in password
    assert 'id="id_password_error"' in text


def test_the_funder_logs_in_and_lands_on_its_figures(demo):
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": "funder.fondation", "password": settings.DEMO_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("stats:page", args=[timezone.localdate().year])
    assert response.status_code == 200
    assert "Contribution de Fondation de France" in response.content.decode()


def test_a_forgotten_password_is_reset_by_e_mail_and_revokes_the_tokens(client, demo):
    cesf = demo["cesf.opac38"]
    ApiToken.objects.create_for(user=cesf, name="ancien")
    response = client.post(reverse("password_reset"), {"email": "CESF.opac38@demo.invalid"})
    assert response.url == reverse("password_reset_done")
    assert client.post(reverse("password_reset"), {"email": "personne@demo.invalid"}).url == (
        reverse("password_reset_done")
    )
    assert len(mail.outbox) == 1
    link = re.search(r"http\S+", mail.outbox[0].body).group(0).removeprefix(settings.SITE_URL)
    form_url = client.get(link).url  # Django hides the token from the page's address
    password = "Des vacances à Chamrousse en 2027"
    done = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert done.url == reverse("password_reset_complete")
    cesf.refresh_from_db()
    assert cesf.check_password(password)
    assert not ApiToken.objects.active().filter(user=cesf).exists()
    kinds = set(SecurityEvent.objects.filter(user=cesf).values_list("kind", flat=True))
    assert {SecurityEventKind.PASSWORD_RESET_SENT, SecurityEventKind.PASSWORD_CHANGED} <= kinds


def test_a_password_is_changed_from_the_profile_with_the_current_one(client, demo):
    caseworker = demo["caseworker.oiseaubleu"]
    ApiToken.objects.create_for(user=caseworker, name="ancien")
    client.force_login(caseworker)
    assert reverse("password_change") in client.get(reverse("profile")).content.decode()
    password = "Le nouveau mot de passe d'Oiseau Bleu"
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": password, "new_password2": password},
    )
    assert "Votre mot de passe actuel est incorrect." in wrong.content.decode()
    short = client.post(
        reverse("password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Court 2026",
            "new_password2": "Court 2026",
        },
    )
    assert "au minimum 12 caractères" in short.content.decode()
    done = client.post(
        reverse("password_change"),
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert done.url == reverse("profile")
    assert client.get(reverse("households:list")).status_code == 200  # still signed in
    assert not ApiToken.objects.active().filter(user=caseworker).exists()


def test_a_session_ends_after_the_idle_timeout_and_after_the_absolute_one(client, demo):
    cesf = demo["cesf.pluralis"]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(cesf)
        for _ in range(5):  # active all along, a request every 25 minutes
            clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 300))
            assert client.get(reverse("households:list")).status_code == 200
        clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1))
        response = client.get(reverse("households:list"))
        assert response.url.startswith(reverse("login"))

        client.force_login(cesf)
        elapsed = 0
        while elapsed <= settings.SESSION_COOKIE_AGE:
            clock.shift(timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60))
            elapsed += settings.SESSION_IDLE_TIMEOUT - 60
            response = client.get(reverse("households:list"))
        assert response.url.startswith(reverse("login"))
    assert (
        SecurityEvent.objects.filter(user=cesf, kind=SecurityEventKind.SESSION_EXPIRED).count() == 2
    )


def test_private_pages_are_never_stored_and_carry_the_security_headers(client, demo):
    cesf = demo["cesf.actis"]
    household = Household.objects.get(name="Martin")
    client.force_login(cesf)
    coordinator = Client()
    from tests.conftest import SecondFactorClient

    coordinator = SecondFactorClient()
    coordinator.force_login(demo["coordinator.lt"])
    _, secret = ApiToken.objects.create_for(user=cesf, name="outil")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    access_request = subject_access_request_create(
        household=household,
        by=demo["coordinator.lt"],
        requester="M. Martin",
        basis="household",
        received_on=timezone.localdate(),
    )
    responses = {
        "page": client.get(reverse("households:detail", args=[household.pk])),
        "list": client.get(reverse("households:list")),
        "pdf": client.get(reverse("households:summary_pdf", args=[household.pk])),
        "json": coordinator.get(
            reverse("households:subject_access", args=[household.pk, access_request.pk])
        ),
        "api": api.get(f"/api/households/{household.pk}/"),
        "login": Client().get(reverse("login")),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        assert "camera=()" in response["Permissions-Policy"], name
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, name
        assert "frame-ancestors 'none'" in policy, name


def test_no_page_has_an_inline_script(client, demo):
    client.force_login(demo["cesf.actis"])
    household = Household.objects.get(name="Martin")
    for url in (
        reverse("login"),
        reverse("households:list"),
        reverse("households:detail", args=[household.pk]),
        reverse("profile"),
        reverse("second_factor_enrol"),
        "/api/docs/",
    ):
        html = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert not re.search(r"\son[a-z]+=", html), url


def test_the_api_schema_and_docs_need_a_login(client, demo):
    assert APIClient().get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs.url.startswith(reverse("login"))
    _, secret = ApiToken.objects.create_for(user=demo["caseworker.ulisse"], name="doc")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/schema/").status_code == 200
    client.force_login(demo["caseworker.ulisse"])
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/docs/?script=").status_code == 200


def test_a_login_leaves_no_history_row_but_a_security_event(client, demo):
    cesf = demo["cesf.actis"]
    rows = User.history.filter(id=cesf.pk).count()
    response = Client().post(
        reverse("login"), {"username": "cesf.actis", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert User.history.filter(id=cesf.pk).count() == rows
    event = SecurityEvent.objects.filter(user=cesf, kind=SecurityEventKind.LOGIN).get()
    assert event.ip_address == "127.0.0.1"
    cesf.refresh_from_db()
    assert cesf.last_login >= event.at - timedelta(seconds=1)
