"""Who may take which workflow step (DESIGN.md sections 2 and 5).

The household is always fetched first through households.permissions (404 for outsiders,
logged); these rules then say what a user who sees it may do. Pages and the API call the
same functions; services still enforce the domain rules (dates, renewals, both approvals).

- Orient: a CESF for a tenant of its own landlord (actions 1–3); an association caseworker
  for an applicant (action 4). Both need their partner's change permission on the household.
- Answer a co-decision: the landlord side's CESF or manager, the association side's
  caseworker or manager; a coordinator records answers given in a committee, and arbitrates.
- Log a follow-up: a CESF or caseworker of a partner working on the household.
- Track an action (procedure, lease, transfer, schemes): a CESF of its landlord or a
  caseworker of its association; rent reductions are the landlord's (its CESF).
- Manage a measure (objectives, renewal request): a caseworker of its association;
  closing it also to coordinators.
- Committees: coordinators.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from actions.models import Action, SupportMeasure
from codecision.models import CoDecision
from households.models import AccessAction, Household
from households.permissions import (
    HouseholdAction,
    access_log_record,
    can,
    can_open_caseload,
    visible_households_filter,
)
from partners.models import Role, User

SOCIAL_WORKERS = {Role.CESF, Role.CASEWORKER}


def visible_measures(user: User):
    """The support measures of the households `user` may see (the households' one rule)."""
    if not can_open_caseload(user):
        raise PermissionDenied("Votre rôle ne donne pas accès aux mesures nominatives.")
    return visible_households_filter(SupportMeasure.objects.all(), user, "action__household")


def can_orient(user: User, household: Household) -> bool:
    if not can(user, HouseholdAction.EDIT, household) or user.role not in SOCIAL_WORKERS:
        return False
    if user.role == Role.CESF:
        return household.landlord_id == user.partner.pk
    return household.housing_status == "applicant"


def can_answer(user: User, codecision: CoDecision) -> bool:
    if not codecision.is_open:
        return False
    if user.role == Role.COORDINATOR:
        return True
    partner = user.partner
    if partner == codecision.landlord:
        return user.role in {Role.CESF, Role.MANAGER}
    if partner == codecision.association:
        return user.role in {Role.CASEWORKER, Role.MANAGER}
    return False


def can_arbitrate(user: User) -> bool:
    return user.role == Role.COORDINATOR


def can_log_follow_up(user: User, household: Household) -> bool:
    return user.role in SOCIAL_WORKERS and can(user, HouseholdAction.EDIT, household)


def can_track(user: User, action: Action) -> bool:
    return (user.role == Role.CESF and user.partner.pk == action.landlord_id) or (
        user.role == Role.CASEWORKER and user.partner.pk == action.association_id
    )


def can_reduce_rent(user: User, action: Action) -> bool:
    return user.role == Role.CESF and user.partner.pk == action.landlord_id


def can_manage_measure(user: User, measure: SupportMeasure) -> bool:
    return user.role == Role.CASEWORKER and user.partner.pk == measure.action.association_id


def can_close_measure(user: User, measure: SupportMeasure) -> bool:
    return user.role == Role.COORDINATOR or can_manage_measure(user, measure)


def can_manage_committees(user: User) -> bool:
    return user.role == Role.COORDINATOR


def require(allowed: bool, message: str = "Votre rôle ne permet pas cette action.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _get_through_household_or_404(request: HttpRequest, queryset, pk: int):
    """Fetch a workflow object only if its household is visible to the user. Its page shows
    the household's case: a read (GET) is written to the access log, as for the household."""
    path = _household_path(queryset.model)
    visible = Household.objects.visible_to(request.user)
    obj = queryset.filter(pk=pk, **{f"{path}__in": visible}).first()
    if obj is None:
        household_pk = queryset.filter(pk=pk).values_list(path, flat=True).first()
        access_log_record(
            user=request.user,
            household_pk=household_pk or 0,
            action=AccessAction.DENIED,
            path=request.path,
        )
        raise Http404("Introuvable")
    if request.method == "GET":
        access_log_record(
            user=request.user,
            household_pk=_household_id(obj),
            action=AccessAction.VIEW,
            path=request.path,
        )
    return obj


def _household_id(obj) -> int:
    return obj.household_id if isinstance(obj, Action) else obj.action.household_id


def _household_path(model) -> str:
    return {
        Action: "household",
        SupportMeasure: "action__household",
        CoDecision: "action__household",
    }[model]


def get_action_or_404(request: HttpRequest, pk: int) -> Action:
    queryset = Action.objects.select_related("household", "landlord", "association", "orientation")
    return _get_through_household_or_404(request, queryset, pk)


def get_measure_or_404(request: HttpRequest, pk: int) -> SupportMeasure:
    queryset = SupportMeasure.objects.select_related(
        "action__household", "action__landlord", "action__association", "referent"
    )
    return _get_through_household_or_404(request, queryset, pk)


def get_codecision_or_404(request: HttpRequest, pk: int) -> CoDecision:
    queryset = CoDecision.objects.select_related(
        "action__household", "landlord", "association", "measure", "session"
    )
    return _get_through_household_or_404(request, queryset, pk)
