from django.contrib.auth.models import Group
from django.db import transaction

from core.errors import DomainError
from partners.models import ROLES_BY_PARTNER_KIND, Membership, Partner, Role, User


@transaction.atomic
def partner_create(*, name: str, short_name: str, kind: str, active: bool = True) -> Partner:
    """Create a partner with its own Django group, which object permissions are granted to."""
    group = Group.objects.create(name=f"partenaire:{short_name}")
    return Partner.objects.create(
        name=name, short_name=short_name, kind=kind, active=active, group=group
    )


@transaction.atomic
def membership_set(*, user: User, partner: Partner, role: str) -> Membership:
    """Put a user in one partner with one role; the user joins the partner's group only."""
    if role not in ROLES_BY_PARTNER_KIND[partner.kind]:
        raise DomainError(
            f"Le rôle « {Role(role).label} » n'existe pas chez un partenaire de type "
            f"« {partner.get_kind_display()} ».",
            field="role",
        )
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"partner": partner, "role": role}
    )
    user.groups.set([partner.group])
    user.__dict__.pop("membership", None)
    return membership
