import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords


class PartnerKind(models.TextChoices):
    LANDLORD = "landlord", "Bailleur social"
    ASSOCIATION = "association", "Association"
    COORDINATION = "coordination", "Coordination du dispositif"
    FUNDER = "funder", "Financeur"


class Role(models.TextChoices):
    CESF = "cesf", "CESF"
    CASEWORKER = "caseworker", "Travailleur social"
    COORDINATOR = "coordinator", "Coordination"
    MANAGER = "manager", "Responsable partenaire"
    FUNDER_VIEWER = "funder_viewer", "Financeur (lecture)"


# Which roles make sense in which kind of partner: a CESF works for a landlord, a caseworker
# for an association, coordinators for the programme, funder viewers for a funder.
ROLES_BY_PARTNER_KIND = {
    PartnerKind.LANDLORD: {Role.CESF, Role.MANAGER},
    PartnerKind.ASSOCIATION: {Role.CASEWORKER, Role.MANAGER},
    PartnerKind.COORDINATION: {Role.COORDINATOR, Role.MANAGER},
    PartnerKind.FUNDER: {Role.FUNDER_VIEWER, Role.MANAGER},
}


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def landlords(self):
        return self.filter(kind=PartnerKind.LANDLORD)

    def associations(self):
        return self.filter(kind=PartnerKind.ASSOCIATION)


class Partner(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    short_name = models.SlugField("nom court", max_length=30, unique=True)
    kind = models.CharField("type", max_length=20, choices=PartnerKind.choices)
    active = models.BooleanField("actif", default=True)
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="partner",
        editable=False,
        verbose_name="groupe",
    )

    history = HistoricalRecords()
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partenaire"

    def __str__(self) -> str:
        return self.name

    @property
    def is_landlord(self) -> bool:
        return self.kind == PartnerKind.LANDLORD

    @property
    def is_association(self) -> bool:
        return self.kind == PartnerKind.ASSOCIATION


class User(AbstractUser):
    # Who changed an account and what: the password's hash and the time of the last login
    # are no account change (password changes go to the security log).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def membership(self) -> "Membership | None":
        try:
            return Membership.objects.select_related("partner__group").get(user=self)
        except Membership.DoesNotExist:
            return None

    @property
    def partner(self) -> Partner | None:
        return self.membership.partner if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_cesf(self) -> bool:
        return self.role == Role.CESF

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_funder_viewer(self) -> bool:
        return self.role == Role.FUNDER_VIEWER

    @property
    def is_social_worker(self) -> bool:
        """A CESF or a caseworker: the people who follow households day to day."""
        return self.role in (Role.CESF, Role.CASEWORKER)

    @property
    def invitation_pending(self) -> bool:
        """Invited, and has not chosen a password yet."""
        return not self.has_usable_password() and self.last_login is None


class Membership(models.Model):
    """One user belongs to one partner with one role."""

    user = models.OneToOneField(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "appartenance"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.partner})"


def with_memberships(users: Iterable[User]) -> list[User]:
    """`users` with their partner and role read in one query: a page that names several
    people with their organisation (a committee's participants) reads `user.partner` for
    each without one query per person."""
    users = list(users)
    memberships = Membership.objects.filter(user__in=[user.pk for user in users]).select_related(
        "partner__group"
    )
    found = {membership.user_id: membership for membership in memberships}
    for user in users:
        # What User.membership would read, kept where its cached_property keeps it.
        user.__dict__["membership"] = found.get(user.pk)
    return users


class ApiTokenQuerySet(models.QuerySet):
    def create_for(self, *, user: "User", name: str, expires_at=None) -> tuple["ApiToken", str]:
        """A new personal token; the secret is returned once and only its hash is kept."""
        secret = "lt_" + secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            name=name,
            key_hash=ApiToken.hash(secret),
            prefix=secret[:10],
            expires_at=expires_at,
        )
        return token, secret

    def active(self):
        """Neither revoked nor expired."""
        return self.filter(revoked_at=None).exclude(expires_at__lte=timezone.now())


class ApiToken(models.Model):
    """A personal API token: its user's rights, revocable from the profile page."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=80)
    key_hash = models.CharField("empreinte du jeton", max_length=64, unique=True, editable=False)
    prefix = models.CharField("début du jeton", max_length=12, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, editable=False)
    revoked_at = models.DateTimeField("révoqué le", null=True, editable=False)
    expires_at = models.DateTimeField("expire le", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at=None)

    def find(self, secret: str) -> "CalendarFeed | None":
        """The active feed whose secret this is, with its user (None for any other)."""
        return (
            self.active()
            .filter(key_hash=ApiToken.hash(secret), user__is_active=True)
            .select_related("user")
            .first()
        )


class CalendarFeed(models.Model):
    """A user's calendar feed (« Mes échéances » in Outlook, Thunderbird or a phone): a
    secret address, of which only the hash is kept; regenerated or revoked from the profile.
    At most one is active per user (partners.services.calendar_feed_create)."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key_hash = models.CharField("empreinte de l'adresse", max_length=64, unique=True)
    prefix = models.CharField("début de l'adresse", max_length=12, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière lecture", null=True, editable=False)
    revoked_at = models.DateTimeField("révoquée le", null=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "flux de calendrier"
        verbose_name_plural = "flux de calendrier"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Flux de calendrier ({self.prefix}…)"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Blocage après des échecs répétés"
    UNLOCKED = "unlocked", "Blocage levé par un responsable"
    LOGOUT = "logout", "Déconnexion"
    SESSION_EXPIRED = "session_expired", "Session expirée"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Code de second facteur refusé"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Second facteur activé"
    RECOVERY_CODE_USED = "recovery_code_used", "Code de secours utilisé"
    PASSWORD_CHANGED = "password_changed", "Mot de passe changé"
    PASSWORD_RESET_SENT = "password_reset_sent", "Lien de réinitialisation envoyé"
    TOKEN_CREATED = "token_created", "Jeton d'API créé"
    TOKEN_REVOKED = "token_revoked", "Jeton d'API révoqué"
    TOKEN_REFUSED = "token_refused", "Jeton d'API refusé"


class SecurityEvent(models.Model):
    """The security log coordinators read: logins, failures, lockouts, second factor,
    passwords and API tokens. Changes to accounts themselves are in their history."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    kind = models.CharField("événement", max_length=30, choices=SecurityEventKind.choices)
    username = models.CharField("identifiant saisi", max_length=150, blank=True)
    user = models.ForeignKey(
        User,
        verbose_name="utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    path = models.CharField("page", max_length=200, blank=True)
    detail = models.CharField("détail", max_length=200, blank=True)

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "journal de sécurité"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.username}"
