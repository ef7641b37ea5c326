import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.functional import cached_property


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


class Membership(models.Model):
    """One user belongs to one partner with one role."""

    user = models.OneToOneField(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "appartenance"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.partner})"


class ApiTokenQuerySet(models.QuerySet):
    def create_for(self, *, user: "User", name: str) -> tuple["ApiToken", str]:
        """A new personal token; the secret is returned once and only its hash is kept."""
        secret = "lt_" + secrets.token_urlsafe(32)
        token = self.create(
            user=user, name=name, key_hash=ApiToken.hash(secret), prefix=secret[:10]
        )
        return token, secret

    def active(self):
        return self.filter(revoked_at=None)


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
