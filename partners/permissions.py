"""Who manages which accounts.

- A superuser (created from the command line) manages every account, coordinators included,
  and is the only one who gives or takes the coordinator role.
- A coordinator manages the accounts of every partner and creates partners, except its own
  account and those of coordinators and superusers.
- A partner manager manages the accounts of its own partner, except its own.
- Nobody else manages accounts.

Managing an account means inviting, changing its role within its partner, deactivating and
reactivating it, sending it a password reset link and resetting its second factor. Pages fetch
through the helpers below, so another partner's account is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from core.errors import refuse_unless
from partners.models import ROLES_BY_PARTNER_KIND, Partner, Role, User


def can_manage_partners(user: User) -> bool:
    """Every partner, the accounts' history and the security log: the coordination (and
    superusers)."""
    return user.is_superuser or user.is_coordinator


def ensure_can_manage_partners(user: User) -> None:
    refuse_unless(
        can_manage_partners(user),
        "Les partenaires, l'historique des comptes et le journal de sécurité sont réservés à "
        "la coordination.",
    )


def is_account_manager(user: User) -> bool:
    return can_manage_partners(user) or user.is_manager


def ensure_can_manage_accounts(user: User) -> None:
    refuse_unless(
        is_account_manager(user), "Seuls les responsables et la coordination gèrent les comptes."
    )


def partners_managed_by(user: User) -> QuerySet[Partner]:
    if can_manage_partners(user):
        return Partner.objects.all()
    if user.is_manager:
        return Partner.objects.filter(pk=user.partner.pk)
    return Partner.objects.none()


def users_visible_to(user: User) -> QuerySet[User]:
    """The accounts whose page this user may open (the partners it manages)."""
    if can_manage_partners(user):
        return User.objects.all()
    if user.is_manager:
        return User.objects.filter(groups=user.partner.group)
    return User.objects.none()


def can_manage(by: User, user: User) -> bool:
    """Whether `by` may change `user`'s account (see the module's docstring)."""
    if by.is_superuser:
        return True
    if user.pk == by.pk or user.is_superuser or user.is_staff:
        return False
    if user.is_coordinator:
        return False
    if by.is_coordinator:
        return True
    return by.is_manager and user.partner is not None and user.partner == by.partner


def roles_assignable(by: User, partner: Partner) -> list[Role]:
    """The roles `by` may give within `partner`, in the order of Role."""
    roles = ROLES_BY_PARTNER_KIND[partner.kind]
    return [
        role for role in Role if role in roles and (role != Role.COORDINATOR or by.is_superuser)
    ]


def get_partner_or_404(by: User, pk: int) -> Partner:
    try:
        return partners_managed_by(by).get(pk=pk)
    except Partner.DoesNotExist:
        raise Http404("Partenaire introuvable.") from None


def get_user_or_404(by: User, pk: int) -> User:
    try:
        return users_visible_to(by).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("Utilisateur introuvable.") from None
