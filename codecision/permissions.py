"""Who may answer, arbitrate and run committees (docs/DESIGN.md sections 2 and 5).

Co-decisions are reached through their household (households.permissions: 404 for outsiders,
logged); these rules then say what a user who sees one may do. Pages and the API call the
same `ensure_can_…` functions, each raising its own French message; the rules themselves
(both approvals, a signed committee is final) are in codecision.services.

- Answer: the landlord side's CESF or manager, the association side's caseworker or
  manager, while the co-decision is open; a coordinator records answers given in a committee.
- Arbitrate a disagreement, run committees: coordinators.
- Read a committee's minutes: coordinators and the partners represented in it.
"""

from django.http import HttpRequest

from codecision.models import CoDecision, CommitteeSession
from core.errors import refuse_unless
from households.models import Household
from households.permissions import ensure_can_open_caseload, get_through_household_or_404
from partners.models import Role, User


def visible_codecisions(user: User):
    """The co-decisions of the households `user` may see."""
    ensure_can_open_caseload(user)
    return CoDecision.objects.filter(household__in=Household.objects.visible_to(user).values("pk"))


def can_record_committee_answers(user: User) -> bool:
    """The coordination records the answers the parties give in a committee, for either
    side: it therefore follows every open co-decision (« Décisions en attente »)."""
    return user.is_coordinator


def can_answer(user: User, codecision: CoDecision) -> bool:
    if not codecision.is_open:
        return False
    if can_record_committee_answers(user):
        return True
    partner = user.partner
    if partner == codecision.landlord:
        return user.role in {Role.CESF, Role.MANAGER}
    if partner == codecision.association:
        return user.role in {Role.CASEWORKER, Role.MANAGER}
    return False


def ensure_can_answer(user: User, codecision: CoDecision) -> None:
    refuse_unless(
        can_answer(user, codecision),
        "Votre structure n'a pas à répondre à cette co-décision, ou elle est close.",
    )


def can_arbitrate(user: User) -> bool:
    return user.is_coordinator


def ensure_can_arbitrate(user: User) -> None:
    refuse_unless(can_arbitrate(user), "L'arbitrage revient à la coordination du dispositif.")


def can_manage_committees(user: User) -> bool:
    return user.is_coordinator


def ensure_can_manage_committees(user: User) -> None:
    refuse_unless(can_manage_committees(user), "Les comités sont réservés à la coordination.")


def can_read_minutes(user: User, session: CommitteeSession) -> bool:
    """The coordination, and the users of the partners the committee lists as represented,
    read its minutes (each reader sees the rows of the households it may see)."""
    if user.is_coordinator:
        return True
    partner = user.partner
    return partner is not None and session.represented_partners().filter(pk=partner.pk).exists()


def ensure_can_read_minutes(user: User, session: CommitteeSession) -> None:
    refuse_unless(
        can_read_minutes(user, session),
        "Le compte rendu d'un comité se lit par la coordination et les partenaires qui y "
        "étaient représentés.",
    )


def get_codecision_or_404(request: HttpRequest, pk: int) -> CoDecision:
    queryset = CoDecision.objects.select_related(
        "household", "landlord", "association", "session", "proposed_by", "proposed_by_partner"
    )
    return get_through_household_or_404(request, queryset, pk, "household")
