"""Who sees the money (one place): coordinators and funder viewers see the whole programme;
a partner manager sees its own partner's lines; nobody else. Entries are typed by
coordinators."""

from django.core.exceptions import PermissionDenied

from partners.models import Partner, Role, User

WHOLE_PROGRAMME = {Role.COORDINATOR, Role.FUNDER_VIEWER}


def budget_scope(user: User) -> Partner | None:
    """None for the whole programme, or the only partner whose lines the user may see."""
    if user.role in WHOLE_PROGRAMME:
        return None
    if (
        user.role == Role.MANAGER
        and user.partner
        and user.partner.kind
        in (
            "landlord",
            "association",
        )
    ):
        return user.partner
    raise PermissionDenied(
        "Le budget est réservé à la coordination, aux financeurs et aux "
        "responsables des partenaires."
    )


def can_enter(user: User) -> bool:
    return user.role == Role.COORDINATOR
