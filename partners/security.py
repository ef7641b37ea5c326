"""Login failures, lockouts and the security log.

django-axes counts failed logins (login page, admin, API tokens) per identifiant and, apart,
per address; once either reaches LOGIN_FAILURE_LIMIT, every try is refused for
LOGIN_LOCKOUT_MINUTES by the first authentication backend, before any password is hashed.
Each success, failure, lockout and account event goes to `SecurityEvent`, which coordinators
read (« Journal de sécurité »)."""

import ipaddress

from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.contrib.auth.models import update_last_login
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from partners.models import SecurityEvent, SecurityEventKind, User

# Session keys: when the login happened, the last request, and whether the user has a second
# factor to give (partners/middleware.py).
SESSION_LOGIN_AT = "partners_login_at"
SESSION_SEEN_AT = "partners_seen_at"
SESSION_HAS_DEVICE = "partners_has_device"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Trop d'échecs de connexion : cet identifiant ou cette adresse est bloqué pendant "
        f"{minutes} minutes. Réessayez plus tard, ou demandez un lien pour choisir un "
        "nouveau mot de passe."
    )


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: TRUSTED_PROXY_COUNT hops from the end of X-Forwarded-For
    when proxies stand before us (what the client itself wrote there is not trusted),
    REMOTE_ADDR otherwise."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        item.strip()
        for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if item.strip()
    ]
    if hops and len(forwarded) >= hops:
        candidate = forwarded[-hops]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """Per identifiant and, apart, per address; per address only when no identifiant was
    given (a bad API token), so that anonymous failures are not counted together."""
    from axes.helpers import get_client_username

    if isinstance(request_or_attempt, HttpRequest):
        username = get_client_username(request_or_attempt, credentials)
    else:
        username = getattr(request_or_attempt, "username", None)
    return ["username", "ip_address"] if username else ["ip_address"]


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """A locked-out try: the login page again with the French message (429), or a JSON
    refusal for the API."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    from partners.forms import LoginForm

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(
        request, "registration/login.html", {"form": form, "lockout": message}, status=429
    )


def is_locked_out(request: HttpRequest, username: str | None = None) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    if not settings.AXES_ENABLED:
        return False
    return AxesProxyHandler.is_locked(request, {"username": username})


def unlock(username: str) -> int:
    """Forget the failures of an identifiant (a new password was chosen by e-mail link, or
    its manager lifted the lock)."""
    from axes.utils import reset

    return reset(username=username)


def locked_until(username: str):
    """When the lock on an identifiant ends, or None when it is not locked: the failures
    counted within the cool-off time reach LOGIN_FAILURE_LIMIT (whatever the address)."""
    from axes.models import AccessAttempt

    if not settings.AXES_ENABLED:
        return None
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    failures = sum(attempt.failures_since_start for attempt in attempts)
    if failures < settings.AXES_FAILURE_LIMIT:
        return None
    return max(attempt.attempt_time for attempt in attempts) + settings.AXES_COOLOFF_TIME


def log_event(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    if user is not None and not username:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=client_ip(request) if request is not None else None,
        path=request.path[:200] if request is not None else "",
        detail=detail[:200],
    )


# --- signal receivers -------------------------------------------------------------------


def _logged_in(sender, request, user, **kwargs):
    # The last login is written without saving the user, so that it leaves no history row.
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(last_login=now)
    user.last_login = now
    if request is None:
        return
    from partners import second_factor

    request.session[SESSION_LOGIN_AT] = now.timestamp()
    request.session[SESSION_SEEN_AT] = now.timestamp()
    request.session[SESSION_HAS_DEVICE] = second_factor.has_device(user)
    log_event(SecurityEventKind.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    if request is not None and user is not None and user.is_authenticated:
        log_event(SecurityEventKind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    if getattr(request, "axes_locked_out", False) and (
        getattr(request, "axes_failures_since_start", None) is None
    ):
        # Refused while locked, before any hashing: not counted, not logged one by one
        # (the lockout itself is), so that a flood cannot fill the log.
        return
    username = credentials.get("username") or ""
    if credentials.get("api_token"):
        log_event(
            SecurityEventKind.TOKEN_REFUSED,
            request=request,
            detail=f"jeton {credentials['api_token']}…",
        )
        return
    log_event(
        SecurityEventKind.LOGIN_FAILED,
        request=request,
        user=User.objects.filter(username=username).first() if username else None,
        username=username,
    )


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    log_event(
        SecurityEventKind.LOCKED_OUT,
        request=request,
        user=User.objects.filter(username=username).first() if username else None,
        username=username or "",
        detail=f"après {request.axes_failures_since_start} échecs",
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out

    auth_signals.user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="partners_logged_in")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="partners_logged_out")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="partners_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="partners_locked_out")
