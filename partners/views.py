"""The user's own account: login and password pages (Django's views, in French), the
invitation link, the second factor, the profile and its API tokens."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from core.errors import DomainError
from partners import second_factor, services
from partners.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecondFactorForm,
    SetPasswordForm,
    TokenForm,
)
from partners.middleware import second_factor_exempt
from partners.models import ApiToken, CalendarFeed, SecurityEventKind, User
from partners.security import SESSION_HAS_DEVICE, log_event
from partners.tokens import invitation_token_generator

login_view = auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True)
logout_view = second_factor_exempt(auth_views.LogoutView.as_view())


class _RequestFormKwargs:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()


class PasswordResetConfirmView(_RequestFormKwargs, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


class PasswordChangeView(_RequestFormKwargs, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "Votre mot de passe est changé ; vos jetons d'API sont révoqués."
        )
        return response


password_change = PasswordChangeView.as_view()


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_not_required
@second_factor_exempt
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited user chooses its password, once, before the link expires."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not invitation_token_generator.check_token(user, token):
        return render(request, "partners/invitation_accept.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue, {user} : votre mot de passe est enregistré.")
        return redirect("home")
    return render(
        request,
        "partners/invitation_accept.html",
        {"form": form, "invited": user, "min_length": settings.PASSWORD_MIN_LENGTH},
    )


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the authenticator's code, or a recovery code."""
    user = request.user
    if not second_factor.has_device(user):
        return redirect(reverse("second_factor_enrol") + "?" + request.GET.urlencode())
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify(user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session[SESSION_HAS_DEVICE] = True
            if isinstance(device, StaticDevice):
                left = second_factor.recovery_codes_left(user)
                log_event(
                    SecurityEventKind.RECOVERY_CODE_USED,
                    request=request,
                    user=user,
                    detail=f"{left} restant(s)",
                )
                messages.warning(
                    request,
                    f"Code de secours utilisé : il vous en reste {left}. Sur votre profil, "
                    "générez-en de nouveaux ou remplacez votre application.",
                )
            return redirect(_safe_next(request))
        log_event(SecurityEventKind.SECOND_FACTOR_FAILED, request=request, user=user)
        form.add_error(
            "token",
            "Code refusé. Tapez le code affiché maintenant par votre application (après "
            "plusieurs erreurs, patientez quelques secondes), ou un code de secours.",
        )
    return render(
        request, "partners/second_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@second_factor_exempt
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, type its first code, keep the recovery
    codes. Replacing an enrolled app needs the session's second factor first."""
    user = request.user
    if second_factor.has_device(user) and not user.is_verified():
        return redirect(reverse("second_factor_verify") + "?" + request.GET.urlencode())
    device = second_factor.pending_device(user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_enrol(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            django_otp.login(request, device)
            request.session[SESSION_HAS_DEVICE] = True
            return render(
                request,
                "partners/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request), "enrolled": True},
            )
    context = {
        "form": form,
        "qr_code": second_factor.qr_code_svg(device),
        "secret": second_factor.secret_for_typing(device),
        "required": second_factor.required_for(user),
        "next": _safe_next(request),
    }
    return render(request, "partners/second_factor_enrol.html", context)


@require_POST
def recovery_codes_renew(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_device(request.user):
        return redirect("second_factor_enrol")
    codes = second_factor.recovery_codes_replace(request.user)
    return render(
        request,
        "partners/recovery_codes.html",
        {"codes": codes, "next": reverse("profile"), "enrolled": False},
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, feed_secret: str = "") -> HttpResponse:
    """The user's profile: its partner and role, password, second factor, calendar feed and
    API tokens."""
    form = TokenForm(request.POST if request.method == "POST" and not feed_secret else None)
    secret = None
    if request.method == "POST" and not feed_secret and form.is_valid():
        try:
            _, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                request=request,
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            form = TokenForm()
    user = request.user
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=user),
        "secret": secret,
        "has_device": second_factor.has_device(user),
        "second_factor_required": second_factor.required_for(user),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
        "calendar_feed": CalendarFeed.objects.active().filter(user=user).first(),
        "calendar_feed_url": (
            request.build_absolute_uri(reverse("calendar_feed", args=[feed_secret]))
            if feed_secret
            else ""
        ),
    }
    return render(request, "partners/profile.html", context)


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """A new secret address for the calendar feed (the previous one stops working), shown
    once on the profile."""
    _, secret = services.calendar_feed_create(user=request.user, request=request)
    messages.success(
        request,
        "Votre adresse d'agenda est créée : copiez-la maintenant, elle ne sera plus affichée.",
    )
    return profile(request, feed_secret=secret)


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user, request=request):
        messages.success(
            request, "L'adresse de votre agenda est révoquée : elle ne fonctionne plus."
        )
    return redirect("profile")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        services.api_token_revoke(token=token, by=request.user, request=request)
        messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("profile")
