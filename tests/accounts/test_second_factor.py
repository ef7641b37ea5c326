"""The second factor: who must give one, enrolment, verification, recovery codes."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from partners import second_factor, services
from partners.models import Role, SecurityEvent, SecurityEventKind
from tests.conftest import SecondFactorClient
from tests.factories import user_create


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def unverified():
    return SecondFactorClient()


def test_a_coordinator_without_a_device_is_sent_to_enrolment_before_anything(unverified, db):
    coordinator = user_create(Role.COORDINATOR)
    unverified.force_login(coordinator, second_factor=False)
    for url in (reverse("households:list"), reverse("profile"), "/admin/", "/budget/"):
        response = unverified.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("second_factor_enrol"))
    api = unverified.get("/api/households/")
    assert api.status_code == 403
    assert "second facteur" in api.json()["detail"]


def test_a_demo_coordinator_is_asked_for_the_code_of_the_published_demo_key(unverified, demo):
    coordinator = demo["coordinator.lt"]
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)
    assert second_factor.secret_for_typing(device).replace(" ", "") == (
        "LOGEMENTTOUJOURSDEMONSTRATION234"
    )
    unverified.force_login(coordinator, second_factor=False)
    response = unverified.get(reverse("households:list"))
    assert response.url == reverse("second_factor_verify") + "?next=%2Fmenages%2F"
    wrong = unverified.post(response.url, {"token": "000000"})
    assert "Code refusé" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    right = unverified.post(response.url, {"token": code(device)})
    assert right.url == reverse("households:list")
    assert unverified.get(right.url).status_code == 200
    assert unverified.get("/admin/").status_code == 200
    kinds = SecurityEvent.objects.filter(user=coordinator).values_list("kind", flat=True)
    assert SecurityEventKind.SECOND_FACTOR_FAILED in kinds


def test_enrolment_confirms_the_app_with_its_first_code_and_gives_recovery_codes(unverified, db):
    coordinator = user_create(Role.COORDINATOR)
    unverified.force_login(coordinator, second_factor=False)
    page = unverified.get(reverse("second_factor_enrol"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert (
        unverified.get(reverse("second_factor_enrol")).context["secret"] == (page.context["secret"])
    )
    refused = unverified.post(reverse("second_factor_enrol"), {"token": "123456"})
    assert "ne correspond pas" in refused.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    done = unverified.post(reverse("second_factor_enrol"), {"token": code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=coordinator).confirmed
    assert unverified.get(reverse("households:list")).status_code == 200

    # Next login: a recovery code, once.
    again = Client()
    again.force_login(coordinator)
    assert again.post(reverse("second_factor_verify"), {"token": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    third = Client()
    third.force_login(coordinator)
    response = third.post(reverse("second_factor_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert "Code refusé" in response.content.decode()


def test_an_enrolled_app_is_replaced_only_after_giving_its_code(unverified, demo):
    """Whoever knows the password alone cannot enrol an app of its own."""
    coordinator = demo["coordinator.lt"]
    unverified.force_login(coordinator, second_factor=False)
    response = unverified.get(reverse("second_factor_enrol"))
    assert response.url.startswith(reverse("second_factor_verify"))
    assert unverified.post(reverse("second_factor_enrol"), {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_everyone_gives_a_second_factor_when_the_setting_says_so(unverified, demo, settings):
    cesf = demo["cesf.actis"]
    unverified.force_login(cesf, second_factor=False)
    assert unverified.get(reverse("households:list")).status_code == 200
    settings.SECOND_FACTOR_REQUIRED_FOR_ALL = True
    response = unverified.get(reverse("households:list"))
    assert response.url.startswith(reverse("second_factor_enrol"))


def test_a_user_who_enrolled_of_its_own_accord_is_asked_for_it(unverified, demo):
    cesf = demo["cesf.opac38"]
    second_factor.demo_device(cesf)
    unverified.force_login(cesf, second_factor=False)
    response = unverified.get(reverse("households:list"))
    assert response.url.startswith(reverse("second_factor_verify"))


def test_the_service_refuses_a_wrong_first_code_and_another_users_device(db):
    user, other = user_create(Role.CESF), user_create(Role.CESF)
    device = second_factor.pending_device(user)
    with pytest.raises(DomainError, match="ne correspond pas"):
        services.second_factor_enrol(user=user, device=device, token="000000")
    with pytest.raises(DomainError, match="Recommencez"):
        services.second_factor_enrol(user=other, device=device, token=code(device))


def test_recovery_codes_are_renewed_from_the_profile(client, demo):
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    first = second_factor.recovery_codes_replace(coordinator)
    page = client.post(reverse("recovery_codes_renew"))
    renewed = page.context["codes"]
    assert not set(first) & set(renewed)
    assert second_factor.recovery_codes_left(coordinator) == len(renewed)
    assert "Il vous reste 10 codes de secours" in client.get(reverse("profile")).content.decode()
