"""Personal API tokens: the password to create one, an expiry, revocation, the rate limit."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import DomainError
from partners import services
from partners.models import ApiToken, Role
from tests.factories import user_create


def api_with(secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


def create_token(client, **data):
    return client.post(reverse("profile"), {"name": "Logiciel", "expires_in_days": "90", **data})


def test_a_token_is_created_only_with_the_password(logged_in, cesf):
    refused = create_token(logged_in, password="non")
    assert "Mot de passe incorrect." in refused.content.decode()
    assert not ApiToken.objects.filter(user=cesf).exists()


def test_a_token_expires_by_default_and_when_chosen(logged_in, cesf):
    page = logged_in.get(reverse("profile"))
    assert page.context["form"]["expires_in_days"].value() == settings.API_TOKEN_DEFAULT_DAYS
    created = create_token(logged_in, password=settings.DEMO_PASSWORD)
    token = ApiToken.objects.get(user=cesf)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in created.content.decode()


def test_a_token_never_lives_beyond_the_maximum_from_the_profile(logged_in, cesf):
    too_long = create_token(logged_in, expires_in_days="9999", password=settings.DEMO_PASSWORD)
    assert too_long.context["form"].errors["expires_in_days"]
    assert not ApiToken.objects.filter(user=cesf).exists()


def test_an_expired_token_is_refused(cesf):
    token, secret = services.api_token_create(
        user=cesf, name="court", password=settings.DEMO_PASSWORD, expires_in_days=1
    )
    assert api_with(secret).get("/api/households/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = api_with(secret).get("/api/households/")
        assert not ApiToken.objects.active().filter(pk=token.pk).exists()
    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton expiré : créez-en un autre."


def test_a_token_without_expiry_can_be_chosen_but_not_beyond_the_maximum(cesf):
    token, _ = services.api_token_create(
        user=cesf,
        name="sans fin",
        password=settings.DEMO_PASSWORD,
        expires_in_days=None,
    )
    assert token.expires_at is None
    with pytest.raises(DomainError, match="Entre 1 et"):
        services.api_token_create(
            user=cesf,
            name="trop",
            password=settings.DEMO_PASSWORD,
            expires_in_days=settings.API_TOKEN_MAX_DAYS + 1,
        )


def test_the_profile_shows_the_last_use_of_each_token(client, db):
    caseworker = user_create(Role.CASEWORKER)
    _, secret = ApiToken.objects.create_for(user=caseworker, name="Tableau de bord")
    client.force_login(caseworker)
    assert "jamais" in client.get(reverse("profile")).content.decode()
    api_with(secret).get("/api/households/")
    used = ApiToken.objects.get(user=caseworker).last_used_at
    page = client.get(reverse("profile")).content.decode()
    assert timezone.localtime(used).strftime("%d/%m/%Y %H:%M") in page


def test_the_api_is_rate_limited_per_token(cesf, settings):
    settings.API_RATE_LIMIT = "3/minute"
    _, first = ApiToken.objects.create_for(user=cesf, name="un")
    _, second = ApiToken.objects.create_for(user=cesf, name="deux")
    statuses = [api_with(first).get("/api/partners/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api_with(second).get("/api/partners/").status_code == 200
