"""Partners, memberships and accounts: every change to them goes through here, with `by=`
the user acting (None for the command line and the demo), and lands in the history of the
partner, the user or the membership (who, when, what)."""

import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import events
from core.errors import DomainError
from partners import permissions, second_factor, security, tokens
from partners.events import PartnerActivityChanged
from partners.models import (
    ROLES_BY_PARTNER_KIND,
    ApiToken,
    CalendarFeed,
    Membership,
    Partner,
    Role,
    SecurityEventKind,
    User,
)


def _save_with_history(instance, *, by: User | None, reason: str = "", **save) -> None:
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save(**save)


def _history_note(instance, *, by: User | None, reason: str) -> None:
    """A history row that changes no field: an event on the object (a second factor
    reset, an invitation sent again)."""
    manager = type(instance).history
    manager.bulk_history_create(
        [instance], update=True, default_user=by, default_change_reason=reason
    )


@transaction.atomic
def partner_create(
    *, name: str, short_name: str, kind: str, active: bool = True, by: User | None = None
) -> Partner:
    """Create a partner with its own Django group, which object permissions are granted to.
    Coordinators (and the command line) create partners."""
    if by is not None and not permissions.can_manage_partners(by):
        raise DomainError("Seule la coordination crée des partenaires.")
    if Partner.objects.filter(name__iexact=name).exists():
        raise DomainError("Un partenaire porte déjà ce nom.", field="name")
    if (
        Partner.objects.filter(short_name=short_name).exists()
        or Group.objects.filter(name=f"partenaire:{short_name}").exists()
    ):
        raise DomainError("Ce nom court est déjà pris.", field="short_name")
    group = Group.objects.create(name=f"partenaire:{short_name}")
    partner = Partner(name=name, short_name=short_name, kind=kind, active=active, group=group)
    _save_with_history(partner, by=by, reason="Partenaire créé")
    return partner


PARTNER_FIELDS = {"name", "short_name", "kind", "active"}


@transaction.atomic
def partner_update(*, partner: Partner, by: User | None, data: dict) -> Partner:
    """Change a partner's name, kind, or whether it takes part in the programme. A partner
    that leaves (`active` False) loses its access to every household at once, and gets back
    what the rule of involvement gives when it comes back (PartnerActivityChanged)."""
    if by is not None and not permissions.can_manage_partners(by):
        raise DomainError("Seule la coordination modifie les partenaires.")
    unknown = set(data) - PARTNER_FIELDS
    if unknown:
        raise DomainError(f"Champ non modifiable : {', '.join(sorted(unknown))}.")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    was_active = partner.active
    for field, value in data.items():
        setattr(partner, field, value)
    reason = ""
    if partner.active != was_active:
        reason = "Retour dans le dispositif" if partner.active else "Sortie du dispositif"
    _save_with_history(partner, by=by, reason=reason)
    if partner.active != was_active:
        events.publish(PartnerActivityChanged(partner=partner, by=by))
    return partner


def _check_role(*, partner: Partner, role: str, by: User | None) -> None:
    if role not in ROLES_BY_PARTNER_KIND[partner.kind]:
        raise DomainError(
            f"Le rôle « {Role(role).label} » n'existe pas chez un partenaire de type "
            f"« {partner.get_kind_display()} ».",
            field="role",
        )
    if by is not None and role not in permissions.roles_assignable(by, partner):
        raise DomainError(
            "Seul un super-utilisateur, créé en ligne de commande, donne le rôle de coordination.",
            field="role",
        )


def _membership_write(*, user: User, partner: Partner, role: str, by: User | None) -> Membership:
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    if membership.pk and (membership.partner_id, membership.role) == (partner.pk, role):
        return membership
    membership.partner, membership.role = partner, role
    _save_with_history(membership, by=by)
    user.groups.set([partner.group])
    # The admin is for coordinators (and superusers) only.
    staff = user.is_superuser or role == Role.COORDINATOR
    if user.is_staff != staff:
        user.is_staff = staff
        _save_with_history(user, by=by, update_fields=["is_staff"])
    user.__dict__.pop("membership", None)
    return membership


@transaction.atomic
def membership_set(
    *, user: User, partner: Partner, role: str, by: User | None = None
) -> Membership:
    """Put a user in one partner with one role; the user joins the partner's group only.
    With `by`, the rules of partners/permissions.py apply: nobody moves their own account,
    a manager stays within its partner, only a superuser touches the coordinator role."""
    _check_role(partner=partner, role=role, by=by)
    if by is not None:
        _check_can_manage(by=by, user=user)
        if not permissions.partners_managed_by(by).filter(pk=partner.pk).exists():
            raise DomainError("Vous ne gérez que les comptes de votre structure.", field="partner")
    return _membership_write(user=user, partner=partner, role=role, by=by)


def _check_can_manage(*, by: User, user: User) -> None:
    if user.pk == by.pk and not by.is_superuser:
        raise DomainError("Vous ne pouvez pas modifier votre propre compte ici.")
    if not permissions.can_manage(by, user):
        raise DomainError(
            "Seul un super-utilisateur, créé en ligne de commande, modifie ce compte."
            if user.is_coordinator or user.is_staff or user.is_superuser
            else "Vous ne gérez pas ce compte."
        )


def _send(user: User, template: str, context: dict) -> None:
    subject, _, body = render_to_string(template, {"user": user, **context}).partition("\n")
    try:
        send_mail(subject.strip(), body.strip() + "\n", None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        raise DomainError(
            "Le courriel n'a pas pu partir. Réessayez dans quelques minutes."
        ) from error


@transaction.atomic
def user_invite(
    *, partner: Partner, email: str, first_name: str, last_name: str, role: str, by: User
) -> User:
    """Create an account that cannot log in yet, and e-mail its owner a one-time link,
    valid INVITATION_VALID_DAYS, where they choose their own password. The identifiant is
    the e-mail address."""
    if not permissions.partners_managed_by(by).filter(pk=partner.pk).exists():
        raise DomainError("Vous ne gérez que les comptes de votre structure.", field="partner")
    _check_role(partner=partner, role=role, by=by)
    email = User.objects.normalize_email(email.strip()).lower()
    if len(email) > User._meta.get_field("username").max_length:
        raise DomainError("Cette adresse est trop longue pour servir d'identifiant.", field="email")
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise DomainError("Un compte existe déjà avec cette adresse.", field="email")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    _save_with_history(user, by=by, reason=f"Invitation envoyée ({partner}, {Role(role).label})")
    _membership_write(user=user, partner=partner, role=role, by=by)
    _send_invitation(user=user, by=by, partner=partner)
    return user


def _send_invitation(*, user: User, by: User, partner: Partner) -> None:
    _send(
        user,
        "partners/emails/invitation.txt",
        {
            "by": by,
            "partner": partner,
            "url": tokens.invitation_url(user),
            "valid_until": timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        },
    )


@transaction.atomic
def user_invitation_resend(*, user: User, by: User) -> None:
    """A new invitation link; the previous one stops working."""
    _check_can_manage(by=by, user=user)
    if not user.invitation_pending:
        raise DomainError("Ce compte a déjà choisi son mot de passe.")
    user.set_unusable_password()
    user.skip_history_when_saving = True
    user.save(update_fields=["password"])
    del user.skip_history_when_saving
    _history_note(user, by=by, reason="Invitation envoyée à nouveau")
    _send_invitation(user=user, by=by, partner=user.partner)


@transaction.atomic
def user_role_set(*, user: User, role: str, by: User) -> Membership:
    """Change a user's role within its partner."""
    if user.partner is None:
        raise DomainError("Ce compte n'appartient à aucune structure.")
    return membership_set(user=user, partner=user.partner, role=role, by=by)


def _tokens_revoke(user: User) -> int:
    """The user's API tokens and calendar feed stop working (password changed, account
    deactivated)."""
    CalendarFeed.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> None:
    """The user can no longer log in: its open sessions end at their next request (an
    inactive user is never authenticated) and its API tokens are revoked."""
    _check_can_manage(by=by, user=user)
    if not user.is_active:
        return
    user.is_active = False
    _save_with_history(user, by=by, reason="Compte désactivé", update_fields=["is_active"])
    _tokens_revoke(user)


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> None:
    _check_can_manage(by=by, user=user)
    if user.is_active:
        return
    user.is_active = True
    _save_with_history(user, by=by, reason="Compte réactivé", update_fields=["is_active"])


@transaction.atomic
def user_unlock(*, user: User, by: User, request=None) -> None:
    """Lift the lock that repeated failed logins put on the user's identifiant, before its
    time is up (the user called its manager). The addresses stay locked: a lock on an
    address may come from someone else's tries."""
    _check_can_manage(by=by, user=user)
    if security.locked_until(user.get_username()) is None:
        raise DomainError("Ce compte n'est pas bloqué.")
    security.unlock(user.get_username())
    security.log_event(
        SecurityEventKind.UNLOCKED, request=request, user=user, detail=f"par {by.get_username()}"
    )
    _history_note(user, by=by, reason="Blocage après des échecs de connexion levé")


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """Forget the user's authenticator app and recovery codes (a lost phone): it enrols again
    at its next login, and a session verified with the old device is no longer."""
    _check_can_manage(by=by, user=user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _history_note(user, by=by, reason="Second facteur réinitialisé")


@transaction.atomic
def second_factor_enrol(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator being enrolled with its first code; returns the new
    single-use recovery codes, shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError("Recommencez l'activation.")
    if not device.verify_token(second_factor.normalise(token)):
        raise DomainError(
            "Ce code ne correspond pas : vérifiez l'heure du téléphone et tapez le code "
            "affiché maintenant.",
            field="token",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = second_factor.recovery_codes_replace(user)
    security.log_event(SecurityEventKind.SECOND_FACTOR_ENROLLED, user=user)
    return codes


@transaction.atomic
def user_password_set(*, user: User, password: str, request=None) -> None:
    """A new password, chosen by the user itself (change, reset link, invitation): its API
    tokens are revoked and the failures counted against its identifiant are forgotten."""
    user.set_password(password)
    user.skip_history_when_saving = True
    user.save(update_fields=["password"])
    del user.skip_history_when_saving
    _tokens_revoke(user)
    security.unlock(user.get_username())
    security.log_event(SecurityEventKind.PASSWORD_CHANGED, request=request, user=user)


def password_reset_send(*, user: User, by: User | None = None, request=None) -> None:
    """E-mail the user a one-time link to choose a new password (PASSWORD_RESET_TIMEOUT).
    Nobody sets another user's password."""
    if by is not None:
        _check_can_manage(by=by, user=user)
    if not user.is_active or not user.email:
        raise DomainError("Ce compte est désactivé ou n'a pas d'adresse électronique.")
    _send(
        user,
        "partners/emails/password_reset.txt",
        {
            "url": tokens.password_reset_url(user),
            "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )
    security.log_event(
        SecurityEventKind.PASSWORD_RESET_SENT,
        request=request,
        user=user,
        detail=f"demandé par {by.get_username()}" if by else "",
    )


def api_token_create(
    *, user: User, name: str, password: str, expires_in_days: int | None, request=None
) -> tuple[ApiToken, str]:
    """A personal API token, after the user typed its password again (counted like a login
    attempt). It expires after `expires_in_days` (None: never)."""
    if request is not None:
        valid = authenticate(request, username=user.get_username(), password=password) is not None
    else:
        valid = user.check_password(password)
    if not valid:
        raise DomainError("Mot de passe incorrect.", field="password")
    if expires_in_days is not None and not 1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(
            f"Entre 1 et {settings.API_TOKEN_MAX_DAYS} jours.", field="expires_in_days"
        )
    expires_at = (
        timezone.now() + timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    token, secret = ApiToken.objects.create_for(user=user, name=name, expires_at=expires_at)
    security.log_event(
        SecurityEventKind.TOKEN_CREATED, request=request, user=user, detail=f"{token}"
    )
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User, request=None) -> None:
    if token.user_id != by.pk:
        raise DomainError("Ce jeton n'est pas le vôtre.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security.log_event(
            SecurityEventKind.TOKEN_REVOKED, request=request, user=by, detail=f"{token}"
        )


# --- Calendar feed -------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user: User, request=None) -> tuple[CalendarFeed, str]:
    """A new secret address for the user's calendar feed; the one before stops working. The
    secret is returned once: only its hash is kept."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one active at a time
    calendar_feed_revoke(user=user, request=request)
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, key_hash=ApiToken.hash(secret), prefix=secret[:8])
    security.log_event(
        SecurityEventKind.TOKEN_CREATED, request=request, user=user, detail=f"{feed}"
    )
    return feed, secret


@transaction.atomic
def calendar_feed_revoke(*, user: User, request=None) -> bool:
    """The user's calendar feed stops working; False if there was none."""
    feeds = list(CalendarFeed.objects.active().filter(user=user))
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        security.log_event(
            SecurityEventKind.TOKEN_REVOKED, request=request, user=user, detail=f"{feed}"
        )
    return bool(feeds)
