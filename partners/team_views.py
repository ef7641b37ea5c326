"""Managing accounts without the Django admin: a partner's manager for its own partner,
coordinators for every partner (partners/permissions.py says who manages whom)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from partners import history, permissions, security, services
from partners.forms import InvitationForm, PartnerForm, RoleForm, SecurityLogFilterForm
from partners.models import Membership, SecurityEvent, User


@require_http_methods(["GET", "POST"])
def partner_list(request: HttpRequest) -> HttpResponse:
    """Coordinators: every partner, and a new one. A manager goes to its own partner."""
    permissions.ensure_can_manage_accounts(request.user)
    if not permissions.can_manage_partners(request.user):
        return redirect("partners:partner_users", pk=request.user.partner.pk)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**form.cleaned_data, by=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Le partenaire {partner} est créé.")
            return redirect("partners:partner_users", pk=partner.pk)
    partners = permissions.partners_managed_by(request.user).order_by("name")
    return render(request, "partners/partner_list.html", {"partners": partners, "form": form})


@require_http_methods(["GET", "POST"])
def partner_users(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's accounts: role, state, last login, second factor; the invitation form."""
    permissions.ensure_can_manage_accounts(request.user)
    partner = permissions.get_partner_or_404(request.user, pk)
    roles = permissions.roles_assignable(request.user, partner)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(partner=partner, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Invitation envoyée à {user.email}.")
            return redirect("partners:partner_users", pk=partner.pk)
    members = (
        Membership.objects.filter(partner=partner)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__totpdevice_set",
                queryset=TOTPDevice.objects.filter(confirmed=True),
                to_attr="confirmed_devices",
            )
        )
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    context = {
        "partner": partner,
        "members": members,
        "form": form,
        "can_list_partners": permissions.can_manage_partners(request.user),
    }
    return render(request, "partners/partner_users.html", context)


def _user_context(request: HttpRequest, user: User, role_form=None) -> dict:
    can_manage = permissions.can_manage(request.user, user)
    roles = permissions.roles_assignable(request.user, user.partner) if user.partner else []
    return {
        "account": user,
        "can_manage": can_manage,
        "role_form": role_form or RoleForm(initial={"role": user.role}, roles=roles),
        "has_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "locked_until": security.locked_until(user.get_username()),
        "history": history.of_user(user),
    }


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_accounts(request.user)
    user = permissions.get_user_or_404(request.user, pk)
    return render(request, "partners/user_detail.html", _user_context(request, user))


def _act(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    permissions.ensure_can_manage_accounts(request.user)
    user = permissions.get_user_or_404(request.user, pk)
    try:
        action(user=user, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success.format(user=user))
    return redirect("partners:user_detail", pk=user.pk)


@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.ensure_can_manage_accounts(request.user)
    user = permissions.get_user_or_404(request.user, pk)
    roles = permissions.roles_assignable(request.user, user.partner) if user.partner else []
    form = RoleForm(request.POST, roles=roles)
    if form.is_valid():
        try:
            services.user_role_set(user=user, role=form.cleaned_data["role"], by=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Le rôle de {user} est changé.")
            return redirect("partners:user_detail", pk=user.pk)
    return render(
        request,
        "partners/user_detail.html",
        _user_context(request, user, role_form=form),
        status=400,
    )


@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        services.user_deactivate,
        "Le compte de {user} est désactivé : ses sessions et ses jetons sont fermés.",
    )


@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.user_reactivate, "Le compte de {user} est réactivé.")


@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        services.second_factor_reset,
        "Le second facteur de {user} est réinitialisé : il en activera un nouveau à sa "
        "prochaine connexion.",
    )


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    def unlock(*, user, by):
        services.user_unlock(user=user, by=by, request=request)

    return _act(
        request, pk, unlock, "Le blocage de {user} est levé : il peut se connecter à nouveau."
    )


@require_POST
def user_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.user_invitation_resend, "Nouvelle invitation envoyée à {user}."
    )


@require_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    def send(*, user, by):
        services.password_reset_send(user=user, by=by, request=request)

    return _act(
        request, pk, send, "Un lien pour choisir un nouveau mot de passe est envoyé à {user}."
    )


def account_history(request: HttpRequest) -> HttpResponse:
    """Coordinators: the latest changes to partners, users and memberships."""
    permissions.ensure_can_manage_partners(request.user)
    return render(request, "partners/account_history.html", {"rows": history.recent()})


def security_log(request: HttpRequest) -> HttpResponse:
    """Coordinators: logins, failures, lockouts, second factor, passwords and tokens."""
    permissions.ensure_can_manage_partners(request.user)
    filters = SecurityLogFilterForm(request.GET or None)
    events = SecurityEvent.objects.select_related("user")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["username"]:
            events = events.filter(username__icontains=data["username"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    page = Paginator(events, settings.HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partners/security_log.html", {"page": page, "filters": filters})
