"""Who may take which workflow step (docs/DESIGN.md sections 2 and 5).

The household is always fetched first through households.permissions (404 for outsiders,
logged); these rules then say what a user who sees it may do. Pages and the API call the
same `ensure_can_…` functions, each raising its own French message; services still enforce
the domain rules (dates, renewals, both approvals).

- Orient: a CESF for a tenant of its own landlord (actions 1–3); an association caseworker
  for an applicant (action 4). Both need their partner's change permission on the household.
- Log a follow-up: a CESF or caseworker of a partner working on the household.
- Track an action (procedure, lease, transfer, schemes): a CESF of its landlord or a
  caseworker of its association; rent reductions are the landlord's (its CESF).
- Manage a measure (objectives, renewal request): a caseworker of its association;
  closing it also to coordinators.
- Record the household's eviction procedure (whatever its action, or none): a CESF or
  caseworker of a partner working on the household; everyone who sees the household reads it.
- The register of an association's dwellings (action 4): read by that association's people
  and the coordination, kept by the association's caseworkers and manager; no one else sees
  it (404).
- Every step above needs the partner to be involved in the household (its change
  permission): a partner reading during the grace period after its involvement ended
  (households.involvement) only reads.
"""

from django.db.models import Q
from django.http import Http404, HttpRequest

from actions.models import Action, Dwelling, OutreachRequest, SupportMeasure
from actions.services import orientation_kinds
from core.errors import refuse_unless
from households.models import Household
from households.permissions import (
    HouseholdAction,
    can,
    can_open_caseload,
    get_through_household_or_404,
    visible_households_filter,
)
from partners.models import User


def visible_measures(user: User):
    """The support measures of the households `user` may see (the households' one rule)."""
    refuse_unless(can_open_caseload(user), "Votre rôle ne donne pas accès aux mesures nominatives.")
    return visible_households_filter(SupportMeasure.objects.all(), user, "action__household")


def can_orient(user: User, household: Household) -> bool:
    """Who may propose what is one rule (actions.services.orientation_kinds); orienting also
    needs the partner's change permission on the household."""
    return bool(orientation_kinds(user, household)) and can(user, HouseholdAction.EDIT, household)


def ensure_can_orient(user: User, household: Household) -> None:
    refuse_unless(
        can_orient(user, household),
        "Une CESF oriente un locataire de son bailleur ; une association oriente un demandeur.",
    )


def can_log_follow_up(user: User, household: Household) -> bool:
    return user.is_social_worker and can(user, HouseholdAction.EDIT, household)


def ensure_can_log_follow_up(user: User, household: Household) -> None:
    refuse_unless(
        can_log_follow_up(user, household),
        "Les suivis sont notés par les travailleurs sociaux qui accompagnent le ménage.",
    )


def can_plan_appointment(user: User, household: Household) -> bool:
    """Appointments with the household are planned, changed and cancelled by the social
    workers who accompany it and by the coordination; held, they become a follow-up (the
    social workers: can_log_follow_up)."""
    return (user.is_social_worker or user.is_coordinator) and can(
        user, HouseholdAction.EDIT, household
    )


def ensure_can_plan_appointment(user: User, household: Household) -> None:
    refuse_unless(
        can_plan_appointment(user, household),
        "Les rendez-vous sont prévus par les travailleurs sociaux qui accompagnent le ménage "
        "et par la coordination.",
    )


def _involved(user: User, household: Household) -> bool:
    """The partner is still involved (change permission), not reading during the grace
    period after its involvement ended (households.involvement)."""
    return can(user, HouseholdAction.EDIT, household)


def can_track(user: User, action: Action) -> bool:
    side = (user.is_cesf and user.partner.pk == action.landlord_id) or (
        user.is_caseworker and user.partner.pk == action.association_id
    )
    return side and _involved(user, action.household)


def ensure_can_track(user: User, action: Action) -> None:
    refuse_unless(
        can_track(user, action),
        "Le suivi de l'action revient au bailleur et à l'association concernés.",
    )


def can_reduce_rent(user: User, action: Action) -> bool:
    return (
        user.is_cesf and user.partner.pk == action.landlord_id and _involved(user, action.household)
    )


def ensure_can_reduce_rent(user: User, action: Action) -> None:
    refuse_unless(can_reduce_rent(user, action), "La minoration relève du bailleur.")


def can_manage_measure(user: User, measure: SupportMeasure) -> bool:
    return (
        user.is_caseworker
        and user.partner.pk == measure.action.association_id
        and _involved(user, measure.action.household)
    )


def ensure_can_set_objectives(user: User, measure: SupportMeasure) -> None:
    refuse_unless(can_manage_measure(user, measure), "Les objectifs relèvent du référent.")


def ensure_can_request_renewal(user: User, measure: SupportMeasure) -> None:
    refuse_unless(
        can_manage_measure(user, measure),
        "Le renouvellement est demandé par l'association qui porte la mesure.",
    )


def can_close_measure(user: User, measure: SupportMeasure) -> bool:
    return user.is_coordinator or can_manage_measure(user, measure)


def ensure_can_close_measure(user: User, measure: SupportMeasure) -> None:
    refuse_unless(
        can_close_measure(user, measure),
        "La clôture revient au référent de la mesure ou à la coordination.",
    )


def get_action_or_404(request: HttpRequest, pk: int) -> Action:
    queryset = Action.objects.select_related("household", "landlord", "association", "orientation")
    return get_through_household_or_404(request, queryset, pk, "household")


def get_measure_or_404(request: HttpRequest, pk: int) -> SupportMeasure:
    queryset = SupportMeasure.objects.select_related(
        "action__household", "action__landlord", "action__association", "referent"
    )
    return get_through_household_or_404(request, queryset, pk, "action__household")


def can_track_procedure(user: User, household: Household) -> bool:
    return user.is_social_worker and can(user, HouseholdAction.EDIT, household)


def ensure_can_track_procedure(user: User, household: Household) -> None:
    refuse_unless(
        can_track_procedure(user, household),
        "La procédure d'expulsion est suivie par les travailleurs sociaux qui accompagnent le "
        "ménage.",
    )


def can_read_dwellings(user: User) -> bool:
    return user.is_coordinator or (user.partner is not None and user.partner.is_association)


def visible_dwellings(user: User):
    """The dwellings registers `user` may read: its association's, or all for coordinators."""
    refuse_unless(
        can_read_dwellings(user),
        "Le registre des logements est réservé aux associations et à la coordination.",
    )
    dwellings = Dwelling.objects.select_related("association", "landlord")
    return dwellings if user.is_coordinator else dwellings.filter(association=user.partner)


def can_manage_dwellings(user: User) -> bool:
    return (
        user.partner is not None
        and user.partner.is_association
        and (user.is_caseworker or user.is_manager)
    )


def ensure_can_manage_dwellings(user: User) -> None:
    refuse_unless(
        can_manage_dwellings(user),
        "Le registre est tenu par les travailleurs sociaux et la direction de l'association.",
    )


def get_dwelling_or_404(user: User, pk: int) -> Dwelling:
    dwelling = visible_dwellings(user).filter(pk=pk).first()
    if dwelling is None:
        raise Http404("Logement introuvable")
    return dwelling


# --- Outreach requests (« demandes d'aller-vers ») -------------------------------------------
# Asked by the household's current landlord (its CESF or manager, while involved); answered
# by the association asked (its caseworkers and manager), which reads only the request until
# it accepts: then the rule of involvement opens the file to it. Seen by both partners and
# the coordination; by no one else (404).


def can_see_outreach(user: User) -> bool:
    """Landlords' and associations' people, and the coordination."""
    partner = user.partner
    return user.is_coordinator or (
        partner is not None and (partner.is_landlord or partner.is_association)
    )


def visible_outreach_requests(user: User):
    refuse_unless(
        can_see_outreach(user), "Votre rôle ne donne pas accès aux demandes d'aller-vers."
    )
    requests = OutreachRequest.objects.select_related("household", "landlord", "association")
    if user.is_coordinator:
        return requests
    partner = user.partner
    return requests.filter(Q(landlord=partner) | Q(association=partner))


def get_outreach_or_404(user: User, pk: int) -> OutreachRequest:
    found = visible_outreach_requests(user).filter(pk=pk).first()
    if found is None:
        raise Http404("Demande introuvable")
    return found


def can_request_outreach(user: User, household: Household) -> bool:
    return (
        (user.is_cesf or user.is_manager)
        and user.partner is not None
        and household.landlord_id == user.partner.pk
        and can(user, HouseholdAction.EDIT, household)
    )


def ensure_can_request_outreach(user: User, household: Household) -> None:
    refuse_unless(
        can_request_outreach(user, household),
        "Le bailleur du ménage (sa CESF ou son responsable) demande un aller-vers.",
    )


def can_answer_outreach(user: User, request: OutreachRequest) -> bool:
    return (
        (user.is_caseworker or user.is_manager)
        and user.partner is not None
        and user.partner.pk == request.association_id
    )


def ensure_can_answer_outreach(user: User, request: OutreachRequest) -> None:
    refuse_unless(
        can_answer_outreach(user, request),
        "L'association sollicitée (ses travailleurs sociaux ou son responsable) répond.",
    )


def can_close_outreach(user: User, request: OutreachRequest) -> bool:
    return (
        (user.is_social_worker or user.is_manager)
        and user.partner is not None
        and user.partner.pk in (request.association_id, request.landlord_id)
    )


def ensure_can_close_outreach(user: User, request: OutreachRequest) -> None:
    refuse_unless(
        can_close_outreach(user, request),
        "L'association sollicitée ou le bailleur demandeur termine l'aller-vers.",
    )


def can_withdraw_outreach(user: User, request: OutreachRequest) -> bool:
    """The landlord that asked (its CESF or its manager, the roles that ask)."""
    return (
        (user.is_cesf or user.is_manager)
        and user.partner is not None
        and user.partner.pk == request.landlord_id
    )


def ensure_can_withdraw_outreach(user: User, request: OutreachRequest) -> None:
    refuse_unless(
        can_withdraw_outreach(user, request),
        "Le bailleur qui a fait la demande (sa CESF ou son responsable) la retire.",
    )
