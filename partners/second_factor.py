"""The second factor: a TOTP authenticator app (enrolled with a QR code) and single-use
recovery codes, through django-otp.

Who must give one: coordinators, anyone who reaches the admin (staff, superusers), and
everyone when SECOND_FACTOR_REQUIRED_FOR_ALL is true. Anyone else who enrolled of their own
accord is asked for it too. Enrolment happens at the first login that needs it."""

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import User

TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def required_for(user: User) -> bool:
    return bool(
        settings.SECOND_FACTOR_REQUIRED_FOR_ALL
        or user.is_superuser
        or user.is_staff
        or user.is_coordinator
    )


def has_device(user: User) -> bool:
    """An authenticator app enrolled (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled: one unconfirmed device, kept while the user types
    its first code, so that reloading the page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#1e2a38", light="#ffffff", title="QR code à scanner"
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for apps where one types it."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def recovery_codes_replace(user: User) -> list[str]:
    """New single-use recovery codes; the previous ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user: User, token: str):
    """The device that accepts this code, or None: six digits are the app's code, anything
    else a recovery code (used up). Each device slows down after a wrong code (django-otp's
    throttling: 1, 2, 4… seconds)."""
    token = normalise(token)
    if not token:
        return None
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def demo_device(user: User) -> TOTPDevice:
    """The demo coordinators' authenticator, on the published DEMO_TOTP_SECRET."""
    from base64 import b32decode

    key = b32decode(settings.DEMO_TOTP_SECRET).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key)
    return device
