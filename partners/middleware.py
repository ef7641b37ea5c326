"""Session timeouts, the second factor, and the headers of private pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from partners import second_factor
from partners.models import SecurityEventKind
from partners.security import SESSION_HAS_DEVICE, SESSION_LOGIN_AT, SESSION_SEEN_AT, log_event

# The last request is written to the session at most once a minute.
SEEN_AT_PRECISION_SECONDS = 60


class SessionTimeoutMiddleware:
    """A session ends SESSION_COOKIE_AGE after its login whatever happens, and after
    SESSION_IDLE_TIMEOUT without a request. (Django alone would prolong the absolute limit
    at each write of the session.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            seen_at = request.session.get(SESSION_SEEN_AT, now)
            if (
                now - login_at > settings.SESSION_COOKIE_AGE
                or now - seen_at > settings.SESSION_IDLE_TIMEOUT
            ):
                user = request.user
                log_event(SecurityEventKind.SESSION_EXPIRED, request=request, user=user)
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
            else:
                if SESSION_LOGIN_AT not in request.session:
                    request.session[SESSION_LOGIN_AT] = now
                if now - seen_at >= SEEN_AT_PRECISION_SECONDS or (
                    SESSION_SEEN_AT not in request.session
                ):
                    request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


def second_factor_exempt(view):
    """The pages a signed-in user reaches before giving the second factor."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware:
    """A user who must give a second factor (or enrolled one) and has not yet in this session
    reaches only the second-factor pages: the others send it there, the API says 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(view_func, "second_factor_exempt", False):
            return None
        must = second_factor.required_for(user) or request.session.get(SESSION_HAS_DEVICE)
        if not must or user.is_verified():
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Donnez d'abord votre second facteur (page de connexion)."},
                status=403,
            )
        target = "second_factor_verify" if second_factor.has_device(user) else "second_factor_enrol"
        url = redirect(target).url
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


class PrivateResponseMiddleware:
    """Nearly every page carries personal data: nothing we answer is stored by a browser or a
    proxy (`Cache-Control: no-store`, static files aside, which never reach here), and the
    browser features we never use are switched off (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
