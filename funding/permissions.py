"""Who sees the money (one place): coordinators and funder viewers see the whole programme;
a partner manager sees its own partner's lines; nobody else. Funders read the ledger as
totals (per month, kind and partner), never line by line. Entries are typed by
coordinators."""

from core.errors import AccessRefused, refuse_unless
from partners.models import Partner, PartnerKind, Role, User

WHOLE_PROGRAMME = {Role.COORDINATOR, Role.FUNDER_VIEWER}
# Partners whose managers see their own lines.
OWN_LINES_KINDS = {PartnerKind.LANDLORD, PartnerKind.ASSOCIATION}


def can_see_budget(user: User) -> bool:
    return user.role in WHOLE_PROGRAMME or (
        user.is_manager and user.partner is not None and user.partner.kind in OWN_LINES_KINDS
    )


def budget_scope(user: User) -> Partner | None:
    """None for the whole programme, or the only partner whose lines the user may see;
    AccessRefused for anybody else."""
    if user.role in WHOLE_PROGRAMME:
        return None
    if can_see_budget(user):
        return user.partner
    raise AccessRefused(
        "Le budget est réservé à la coordination, aux financeurs et aux "
        "responsables des partenaires."
    )


def can_see_ledger_lines(user: User) -> bool:
    """The ledger line by line (a line names a household's reference and its monthly
    amount): the coordination and partner managers for their own lines. Funders read
    per-partner, per-month totals instead (funding.services.ledger_totals)."""
    return can_see_budget(user) and not user.is_funder_viewer


def ensure_can_see_ledger_lines(user: User) -> None:
    budget_scope(user)
    refuse_unless(
        can_see_ledger_lines(user),
        "Les financeurs lisent le registre en totaux par mois et par partenaire, "
        "jamais ligne à ligne.",
    )


def can_enter(user: User) -> bool:
    return user.is_coordinator


def ensure_can_enter(user: User) -> None:
    refuse_unless(can_enter(user), "Les écritures sont saisies par la coordination.")
