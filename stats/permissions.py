"""Who reads the programme's figures (one place, for the pages, the exports and the API).

- The coordination reads every figure exactly, writes the year's report text, has the
  report generated, and exports the pseudonymised lists of households and measures.
- A partner's manager reads the programme's figures and, beside them, its own partner's
  (the measures, orientations and co-decisions it is a party to), under statistical secrecy.
- A funder viewer lands on the statistics: the programme's figures under statistical secrecy
  and its own contribution (committed, paid, what it financed). It never sees a household's
  reference: no list, no ledger line (funding.permissions), no export of cases.
- CESF and caseworkers follow households, not statistics."""

from core.errors import refuse_unless
from partners.models import Partner, PartnerKind, Role, User

READERS = {Role.COORDINATOR, Role.MANAGER, Role.FUNDER_VIEWER}


def can_see_statistics(user: User) -> bool:
    return user.role in READERS


def ensure_can_see_statistics(user: User) -> None:
    refuse_unless(
        can_see_statistics(user),
        "Les statistiques sont réservées à la coordination, aux responsables des partenaires "
        "et aux financeurs.",
    )


def own_partner(user: User) -> Partner | None:
    """The partner whose own figures a manager reads beside the programme's."""
    if user.is_manager and user.partner.kind in (PartnerKind.LANDLORD, PartnerKind.ASSOCIATION):
        return user.partner
    return None


def funder_of(user: User) -> Partner | None:
    """The funder whose contribution the user reads (a funder's viewer or manager)."""
    partner = user.partner
    if user.role in (Role.FUNDER_VIEWER, Role.MANAGER) and partner.kind == PartnerKind.FUNDER:
        return partner
    return None


def can_write_report(user: User) -> bool:
    return user.is_coordinator


def ensure_can_write_report(user: User) -> None:
    refuse_unless(can_write_report(user), "Le bilan annuel est rédigé par la coordination.")


def can_export_cases(user: User) -> bool:
    """The pseudonymised lists of households and measures (one row per case)."""
    return user.is_coordinator


def ensure_can_export_cases(user: User) -> None:
    refuse_unless(
        can_export_cases(user),
        "Les listes de ménages et de mesures sont réservées à la coordination.",
    )
