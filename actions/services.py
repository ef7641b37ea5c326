"""Workflow steps of the four actions: orientation, start, tracking, measures, follow-ups.

Every step runs in one transaction, takes the acting user as `by=`, records its history
(who, when and why) and raises a DomainError with a French message when a rule says no.
Status fields change only here.

An action starts, and a measure is renewed, by a co-decision (codecision.services): the
workflow opens it and links it to the action (CoDecisionLink), then acts when the
co-decision publishes its decision (codecision_decided, subscribed in actions.wiring). The
money follows the measures through actions.events (funding subscribes).
"""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions.deadlines import grace_period_limits, payment_order_default_delay
from actions.events import (
    FollowUpLogged,
    LeaseReviewed,
    MeasureClosed,
    MeasureOpened,
    MeasureRenewed,
    OutreachAnswered,
    OutreachRequested,
    OutreachWithdrawn,
    RentReductionCreated,
)
from actions.models import (
    ASSOCIATION_ACTION_KINDS,
    FOLLOW_UP_KIND_OF_APPOINTMENT,
    LANDLORD_ACTION_KINDS,
    OPEN_OUTREACH,
    OUTCOMES_BY_KIND,
    SLIDING_LEASE_KINDS,
    Action,
    ActionKind,
    ActionStatus,
    Appointment,
    AppointmentStatus,
    ArrearsReading,
    CoDecisionLink,
    Dwelling,
    EvictionProcedure,
    FollowUp,
    JudgementOutcome,
    LeaseEnd,
    LeaseReview,
    MeasureObjective,
    MeasureStatus,
    ObjectiveStatus,
    Orientation,
    Outcome,
    OutreachRequest,
    OutreachStatus,
    ProcedureEnd,
    RentReduction,
    SlidingLease,
    SupportMeasure,
)
from codecision.events import CoDecisionDecided
from codecision.models import Answer, CoDecision, CoDecisionStatus, Purpose
from codecision.services import codecision_cancel, codecision_open, is_referent_candidate
from core import events
from core.dates import ensure_plausible
from core.errors import DomainError
from core.history import save_with_history
from core.locking import locked
from core.states import transition
from core.text import check_bounds
from households.involvement import involvement_sync
from households.models import (
    Diagnostic,
    Household,
    HouseholdGroupObjectPermission,
    HousingStatus,
    LandlordChangeKind,
    ProcedureStage,
)
from households.services import household_landlord_change
from partners.models import Membership, Partner, Role, User

SECOND_RENEWAL_MESSAGE = (
    "Cette mesure a déjà été renouvelée une fois : un second renouvellement n'est pas possible. "
    "Clôturez-la avec son issue à son terme."
)


def orientation_kinds(user: User, household: Household) -> list[str]:
    """Who may propose which action (docs/DOMAIN_RULES.md): a CESF proposes action 1, 2 or 3
    for a tenant of its own landlord; an association caseworker proposes action 4 for an
    applicant; nobody else proposes. The orientation form's choices, the permission to orient
    (actions.permissions.can_orient) and orientation_create all read this one rule."""
    if user.is_cesf and household.landlord_id == user.partner.pk:
        kinds = LANDLORD_ACTION_KINDS
    elif user.is_caseworker and household.housing_status == HousingStatus.APPLICANT:
        kinds = ASSOCIATION_ACTION_KINDS
    else:
        kinds = set()
    return [kind for kind in ActionKind if kind in kinds]


NEEDS_DIAGNOSTIC = (
    "Rédigez d'abord un diagnostic : une pré-orientation vers les actions 1 à 3 s'appuie sur "
    "un diagnostic du ménage."
)


def orientation_needs_diagnostic(kind: str) -> bool:
    """A landlord's action (1, 2, 3) rests on a diagnostic; action 4 does not."""
    return kind in LANDLORD_ACTION_KINDS


def orientation_refusal(user: User, household: Household) -> str | None:
    """Why `user`, who may orient this household (orientation_kinds), cannot do it yet: each
    action it may propose needs a diagnostic and the household has none. The household page
    shows « Orienter » disabled with this reason; orientation_create refuses with it."""
    kinds = orientation_kinds(user, household)
    needs = bool(kinds) and all(orientation_needs_diagnostic(kind) for kind in kinds)
    return NEEDS_DIAGNOSTIC if needs and not household.diagnostics.exists() else None


@transaction.atomic
def orientation_create(
    *,
    household: Household,
    by: User,
    kind: str,
    association: Partner,
    reason: str,
    landlord: Partner | None = None,
    diagnostic: Diagnostic | None = None,
) -> Orientation:
    """Pre-orient a household to one action and open its co-decision.

    A CESF proposes action 1, 2 or 3 for a tenant of its landlord, from a diagnostic; an
    association caseworker proposes action 4 for an applicant, naming the landlord that
    provides the dwelling. The named association (and landlord) get access to the household.
    """
    if kind not in orientation_kinds(by, household):
        raise DomainError(_orientation_refusal(by, household, kind), field="kind")
    if by.is_cesf:
        landlord = by.partner
    if landlord is None or not landlord.is_landlord:
        raise DomainError("Indiquez le bailleur qui fournit le logement.", field="landlord")
    if not landlord.active:
        raise DomainError("Ce bailleur ne participe plus au dispositif.", field="landlord")
    if not association.is_association or not association.active:
        raise DomainError("Choisissez une association du dispositif.", field="association")
    if diagnostic is not None and diagnostic.household_id != household.pk:
        raise DomainError("Ce diagnostic concerne un autre ménage.", field="diagnostic")
    if diagnostic is None and orientation_needs_diagnostic(kind):
        raise DomainError(NEEDS_DIAGNOSTIC, field="diagnostic")
    if Action.objects.open().filter(household=household, kind=kind).exists():
        raise DomainError(
            "Ce ménage a déjà une action de ce type en cours ou en co-décision.", field="kind"
        )
    orientation = Orientation(
        household=household,
        kind=kind,
        association=association,
        landlord=landlord,
        diagnostic=diagnostic,
        reason=reason,
        proposed_by=by,
        proposed_by_partner=by.partner,
    )
    save_with_history(orientation, by=by)
    action = Action(
        orientation=orientation,
        household=household,
        kind=kind,
        landlord=landlord,
        association=association,
    )
    transition(action, ActionStatus.IN_CODECISION, by=by, reason="Pré-orientation")
    codecision = codecision_open(
        household=household,
        kind=kind,
        landlord=landlord,
        association=association,
        by=by,
        reason=reason,
        diagnostic=diagnostic,
    )
    CoDecisionLink.objects.create(codecision=codecision, action=action)
    involvement_sync(household=household, by=by)
    return orientation


def _orientation_refusal(user: User, household: Household, kind: str) -> str:
    """Why `user` may not propose `kind` for `household` (orientation_kinds said no)."""
    if user.is_cesf:
        if kind not in LANDLORD_ACTION_KINDS:
            return "Un·e CESF propose l'action 1, 2 ou 3."
        return "Seul le bailleur du logement propose une action pour son locataire."
    if user.is_caseworker:
        if kind not in ASSOCIATION_ACTION_KINDS:
            return (
                "Une association oriente un demandeur vers l'action 4 ; les actions 1 à 3 "
                "sont proposées par la CESF du bailleur."
            )
        return "L'action 4 concerne un ménage demandeur."
    return "Votre rôle ne permet pas de proposer une action."


def action_start(*, action: Action, referent: User, starts_on: date, by: User) -> SupportMeasure:
    """Start an action whose co-decision both sides approved: the measure opens.

    Called only when its start co-decision is approved (codecision_decided)."""
    approved = action.codecisions.filter(
        purpose=Purpose.START,
        status=CoDecisionStatus.APPROVED,
        landlord_answer=Answer.APPROVE,
        association_answer=Answer.APPROVE,
    )
    if not approved.exists():
        raise DomainError(
            "Une action ne démarre qu'après une co-décision approuvée des deux côtés."
        )
    _copy_situation_at_start(action)
    transition(
        action,
        ActionStatus.IN_PROGRESS,
        by=by,
        reason="Co-décision approuvée : démarrage de la mesure",
    )
    _procedure_from_diagnostic(action, by=by)
    if action.kind in SLIDING_LEASE_KINDS:
        SlidingLease.objects.get_or_create(action=action)
    if action.kind == ActionKind.SOLVENCY and action.arrears_at_start is not None:
        ArrearsReading.objects.create(
            action=action, read_on=starts_on, amount=action.arrears_at_start, created_by=by
        )
    return measure_open(action=action, referent=referent, starts_on=starts_on, by=by)


def _copy_situation_at_start(action: Action) -> None:
    diagnostic = action.orientation.diagnostic
    if diagnostic is None:
        return
    if action.kind == ActionKind.ENERGY:
        action.energy_costs_at_start = diagnostic.energy_costs
        action.energy_effort_rate_at_start = diagnostic.energy_effort_rate
        action.energy_label = diagnostic.energy_label
    if action.kind == ActionKind.SOLVENCY:
        action.arrears_at_start = diagnostic.rent_arrears
        action.fsl_status = diagnostic.fsl_status
        action.overindebtedness_status = diagnostic.overindebtedness_status


# The diagnostic's procedure stage → the procedure's date of that stage.
STAGE_FIELDS = {
    ProcedureStage.CCAPEX: "ccapex_referred_on",
    ProcedureStage.PAYMENT_ORDER: "payment_order_on",
    ProcedureStage.SUMMONS: "summons_on",
    ProcedureStage.JUDGEMENT: "judgement_on",
    ProcedureStage.ORDER_TO_LEAVE: "order_to_leave_on",
    ProcedureStage.POLICE_ASSISTANCE: "police_assistance_requested_on",
}


def _procedure_from_diagnostic(action: Action, *, by: User) -> None:
    """The household's procedure, whatever the action, from the diagnostic the action rests
    on: action 3 always has one (it starts at the summons); others when the diagnostic
    records a stage of the procedure."""
    diagnostic = action.orientation.diagnostic
    stage_field = STAGE_FIELDS.get(diagnostic.procedure_stage) if diagnostic else None
    hearing_on = diagnostic.hearing_on if diagnostic else None
    if action.kind != ActionKind.SLIDING_LEASE_EVICTION and not (stage_field or hearing_on):
        return
    procedure = _procedure_get_or_create(household=action.household, by=by)
    changed = False
    if stage_field and diagnostic.procedure_stage_on and not getattr(procedure, stage_field):
        setattr(procedure, stage_field, diagnostic.procedure_stage_on)
        changed = True
    if hearing_on and not procedure.hearing_on:
        procedure.hearing_on = hearing_on
        changed = True
    if changed:
        _default_payment_order_delay(procedure)
        procedure.version += 1
        save_with_history(procedure, by=by, reason="Repris du diagnostic")


def ensure_budget_year_open(day: date, *, field: str) -> None:
    """Nothing is booked in a year whose accounts the coordination closed
    (settings BUDGET_CLOSED_YEARS)."""
    if day.year in settings.BUDGET_CLOSED_YEARS:
        raise DomainError(
            f"Les comptes de {day.year} sont clos : rien ne s'y inscrit plus. Choisissez une "
            "date dans une année ouverte.",
            field=field,
        )


def measure_check_start(*, codecision: CoDecision, starts_on: date, on: date) -> None:
    """A measure starts no earlier than its co-decision's opening, no later than
    MEASURE_START_MAX_DELAY_DAYS after both sides approved (`on`), in an open budget year."""
    ensure_plausible(starts_on, field="starts_on")
    opened_on = timezone.localdate(codecision.opened_at)
    if starts_on < opened_on:
        raise DomainError(
            "La mesure ne peut pas commencer avant l'ouverture de sa co-décision, le "
            f"{opened_on:%d/%m/%Y}.",
            field="starts_on",
        )
    latest = on + timedelta(days=settings.MEASURE_START_MAX_DELAY_DAYS)
    if starts_on > latest:
        raise DomainError(
            f"La mesure commence au plus tard {settings.MEASURE_START_MAX_DELAY_DAYS} jours "
            f"après l'accord des deux parties, soit le {latest:%d/%m/%Y}.",
            field="starts_on",
        )
    ensure_budget_year_open(starts_on, field="starts_on")


def measure_open(*, action: Action, referent: User, starts_on: date, by: User) -> SupportMeasure:
    if not is_referent_candidate(referent, action.association):
        raise DomainError(
            "Le référent est un travailleur social en activité de l'association de l'action.",
            field="referent",
        )
    measure = SupportMeasure(
        action=action,
        referent=referent,
        starts_on=starts_on,
        ends_on=SupportMeasure.end_for(starts_on, 0),
    )
    transition(measure, MeasureStatus.ACTIVE, by=by, reason="Ouverture de la mesure")
    events.publish(MeasureOpened(measure=measure, by=by))
    return measure


def measure_check_renewable(measure: SupportMeasure, on: date) -> None:
    """A measure is renewed once, by a co-decision taken before it ends."""
    if measure.status != MeasureStatus.ACTIVE:
        raise DomainError("Cette mesure est clôturée : elle ne peut plus être renouvelée.")
    if measure.renewal_count >= settings.MEASURE_MAX_RENEWALS:
        raise DomainError(SECOND_RENEWAL_MESSAGE)
    if on > measure.ends_on:
        raise DomainError(
            f"La mesure s'est terminée le {measure.ends_on:%d/%m/%Y} : son renouvellement "
            "devait être décidé avant sa fin."
        )


def measure_renew(*, measure: SupportMeasure, by: User, on: date) -> SupportMeasure:
    """Extend the measure by 6 months; called when its renewal co-decision is approved."""
    measure = locked(SupportMeasure, measure.pk)
    measure_check_renewable(measure, on)
    measure.renewal_count += 1
    measure.ends_on = SupportMeasure.end_for(measure.starts_on, measure.renewal_count)
    measure.version += 1
    save_with_history(measure, by=by, reason="Renouvellement co-décidé")
    events.publish(MeasureRenewed(measure=measure, by=by))
    return measure


@transaction.atomic
def renewal_request(*, measure: SupportMeasure, by: User, comment: str = "") -> CoDecision:
    """Ask for the single renewal of a measure: opens a renewal co-decision, asked by `by`
    for the reason `comment`."""
    if not comment.strip():
        raise DomainError(
            "Motivez la demande de renouvellement : les deux parties en décident sur ce motif.",
            field="comment",
        )
    measure = locked(SupportMeasure, measure.pk)
    measure_check_renewable(measure, timezone.localdate())
    if measure.renewal_codecisions.open().exists():
        raise DomainError("Un renouvellement de cette mesure est déjà en co-décision.")
    action = measure.action
    codecision = codecision_open(
        household=action.household,
        kind=action.kind,
        landlord=action.landlord,
        association=action.association,
        by=by,
        purpose=Purpose.RENEWAL,
        reason=comment,
        diagnostic=action.orientation.diagnostic,
    )
    CoDecisionLink.objects.create(codecision=codecision, action=action, measure=measure)
    return codecision


def codecision_decided(event: CoDecisionDecided) -> None:
    """A co-decision on an action is decided (subscribed in actions.wiring): approved, the
    action starts (its measure opens) or its measure is renewed; refused, a proposed action
    is rejected. Runs in the co-decision's transaction."""
    link = (
        CoDecisionLink.objects.select_related("action", "measure")
        .filter(codecision=event.codecision)
        .first()
    )
    if link is None:
        return
    codecision, by = event.codecision, event.by
    if codecision.status == CoDecisionStatus.APPROVED:
        if codecision.purpose == Purpose.START:
            starts_on = event.starts_on or timezone.localdate()
            measure_check_start(codecision=codecision, starts_on=starts_on, on=event.decided_on)
            action_start(action=link.action, referent=event.referent, starts_on=starts_on, by=by)
        else:
            measure_renew(measure=link.measure, by=by, on=event.decided_on)
    elif codecision.status == CoDecisionStatus.REJECTED and codecision.purpose == Purpose.START:
        transition(link.action, ActionStatus.REJECTED, by=by, reason="Co-décision refusée")


@transaction.atomic
def measure_close(
    *,
    measure: SupportMeasure,
    by: User,
    outcome: str,
    outcome_detail: str = "",
    closed_on: date | None = None,
    expected_version: int | None = None,
) -> SupportMeasure:
    """Close a measure with its outcome; its action closes too. Nothing is deleted. With
    `expected_version`, refused if someone changed the measure since it was read."""
    measure = locked(SupportMeasure, measure.pk, expected_version)
    if measure.status == MeasureStatus.CLOSED:
        raise DomainError("Cette mesure est déjà clôturée.")
    closed_on = closed_on or timezone.localdate()
    if closed_on < measure.starts_on:
        raise DomainError("La clôture ne peut précéder le début de la mesure.", field="closed_on")
    if closed_on > timezone.localdate():
        raise DomainError("La date de clôture ne peut pas être dans le futur.", field="closed_on")
    if outcome == Outcome.OTHER and not outcome_detail.strip():
        raise DomainError("Précisez l'issue « autre ».", field="outcome_detail")
    measure_check_outcome(measure.action, outcome)
    measure.outcome, measure.outcome_detail, measure.closed_on = outcome, outcome_detail, closed_on
    measure.version += 1
    transition(measure, MeasureStatus.CLOSED, by=by, reason=f"Clôture : {Outcome(outcome).label}")
    for renewal in measure.renewal_codecisions.open().select_for_update(of=("self",)):
        codecision_cancel(codecision=renewal, by=by, reason="Mesure clôturée avant la décision")
    _action_close_when_done(measure.action, by=by, reason=f"Clôture : {Outcome(outcome).label}")
    events.publish(MeasureClosed(measure=measure, by=by, closed_on=closed_on))
    involvement_sync(household=measure.action.household, by=by)
    return measure


def measure_closure_warnings(measure: SupportMeasure, closed_on: date) -> list[str]:
    """What the referent is told before confirming a closure (it does not prevent it):
    objectives still « À engager », an end before the planned one."""
    warnings = []
    todo = [o.text for o in measure.objectives.all() if o.status == ObjectiveStatus.TODO]
    if todo:
        warnings.append(
            f"{len(todo)} objectif{'s' if len(todo) > 1 else ''} encore « À engager » : "
            + " ; ".join(todo)
            + ". Mettez leur avancement à jour avant de clôturer, ou clôturez en l'état."
        )
    if closed_on < measure.ends_on:
        warnings.append(
            f"La mesure prendra fin le {closed_on:%d/%m/%Y}, avant son terme prévu le "
            f"{measure.ends_on:%d/%m/%Y}."
        )
    return warnings


def _action_close_when_done(action: Action, *, by: User, reason: str) -> None:
    """An action closes when its measure is closed and its sliding lease (if any) no longer
    runs: the lease outlives the measure until the glide, its end or a recorded failure."""
    lease = SlidingLease.objects.filter(action=action).first()
    if lease is not None and lease.is_under_way:
        return
    if action.measures.filter(status=MeasureStatus.ACTIVE).exists():
        return
    if action.status != ActionStatus.CLOSED:
        transition(action, ActionStatus.CLOSED, by=by, reason=reason)
        # The action's partners are now involved only for the grace period.
        involvement_sync(household=action.household, by=by)


def measure_check_outcome(action: Action, outcome: str) -> None:
    """The outcome fits the action's kind (OUTCOMES_BY_KIND) and what was recorded: a lease
    glided only when its glide is dated, a transfer happened only when the move is."""
    if outcome not in OUTCOMES_BY_KIND[action.kind]:
        raise DomainError(
            f"L'issue « {Outcome(outcome).label} » ne correspond pas à l'action "
            f"« {action.get_kind_display()} ».",
            field="outcome",
        )
    if outcome == Outcome.LEASE_GLIDED:
        lease = SlidingLease.objects.filter(action=action).first()
        if lease is None or lease.glide_on is None:
            raise DomainError(
                "« Bail glissé » suppose un bail glissant qui a glissé : notez d'abord la date "
                "du glissement dans le suivi du bail.",
                field="outcome",
            )
    if outcome == Outcome.TRANSFERRED and action.moved_on is None:
        raise DomainError(
            "« Mutation réalisée » suppose un emménagement : notez d'abord sa date dans le "
            "suivi de l'action.",
            field="outcome",
        )


@transaction.atomic
def objective_add(*, measure: SupportMeasure, by: User, text: str) -> MeasureObjective:
    if measure.status != MeasureStatus.ACTIVE:
        raise DomainError("On n'ajoute pas d'objectif à une mesure clôturée.")
    objective = MeasureObjective(measure=measure, text=text)
    transition(objective, ObjectiveStatus.TODO, by=by, reason="Objectif ajouté")
    return objective


@transaction.atomic
def objective_set_status(*, objective: MeasureObjective, by: User, status: str) -> MeasureObjective:
    transition(objective, ObjectiveStatus(status), by=by, reason="Avancement de l'objectif")
    return objective


@transaction.atomic
def follow_up_create(
    *,
    household: Household,
    by: User,
    data: dict[str, Any],
    measure: SupportMeasure | None = None,
    appointment: Appointment | None = None,
) -> FollowUp:
    """Log a contact with the household, within a measure or (outreach) before one. With
    `appointment`, the appointment was held: it becomes this follow-up (appointment_held)."""
    next_step_on = data.get("next_step_on")
    if next_step_on is not None:
        if not (data.get("next_step") or "").strip():
            raise DomainError("Décrivez la prochaine étape que vous datez.", field="next_step")
        if next_step_on < data["happened_on"]:
            raise DomainError(
                f"La prochaine étape suit ce suivi : datez-la du "
                f"{data['happened_on']:%d/%m/%Y} ou après.",
                field="next_step_on",
            )
    if measure is not None and measure.action.household_id != household.pk:
        raise DomainError("Cette mesure concerne un autre ménage.", field="measure")
    if measure is not None and measure.status != MeasureStatus.ACTIVE:
        raise DomainError(
            "Cette mesure est clôturée : le suivi se note sur une mesure en cours.",
            field="measure",
        )
    if data["happened_on"] > timezone.localdate():
        raise DomainError("Un suivi ne peut pas être daté dans le futur.", field="happened_on")
    ensure_plausible(data["happened_on"], field="happened_on")
    if measure is not None and data["happened_on"] < measure.starts_on:
        # A contact before the measure starts (a first home visit) belongs to the household;
        # the measure's journal shows it (FollowUpQuerySet.journal_of).
        measure = None
    follow_up = FollowUp(
        household=household, measure=measure, author=by, author_partner=by.partner, **data
    )
    save_with_history(follow_up, by=by)
    Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
    if appointment is not None:
        appointment_held(appointment=appointment, follow_up=follow_up, by=by)
    events.publish(FollowUpLogged(follow_up=follow_up, by=by))
    return follow_up


# --- Appointments ----------------------------------------------------------------------------

APPOINTMENT_FIELDS = [
    "kind",
    "on",
    "at",
    "duration_minutes",
    "place",
    "notes",
    "reminder_days_before",
]


def appointment_participant_candidates(household: Household):
    """Who may take part in an appointment with the household: the active users of the
    partners that see it, and the coordinators (a reminder names the household's reference)."""
    groups = HouseholdGroupObjectPermission.objects.filter(
        content_object=household, permission__codename="view_household"
    ).values("group_id")
    members = Membership.objects.filter(
        Q(partner__group_id__in=groups, partner__active=True) | Q(role=Role.COORDINATOR)
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=members).order_by(
        "last_name", "first_name", "pk"
    )


@transaction.atomic
def appointment_save(
    *,
    household: Household,
    by: User,
    data: dict[str, Any],
    participants: list[User] | None = None,
    appointment: Appointment | None = None,
    expected_version: int | None = None,
) -> Appointment:
    """Plan an appointment with the household, or change a planned one (two people editing
    it at once: the second is told, core.locking)."""
    if appointment is None:
        appointment = Appointment(household=household, created_by=by, created_by_partner=by.partner)
    else:
        appointment = locked(Appointment, appointment.pk, expected_version)
        if appointment.household_id != household.pk:
            raise DomainError("Ce rendez-vous concerne un autre ménage.")
        if appointment.status != AppointmentStatus.PLANNED:
            raise DomainError(
                f"Ce rendez-vous est {appointment.get_status_display().lower()} : il n'est "
                "plus modifiable."
            )
        appointment.version += 1
    for field in APPOINTMENT_FIELDS:
        if field in data:
            setattr(appointment, field, data[field])
    ensure_plausible(appointment.on, field="on")
    participants = list(participants or [])
    allowed = set(
        appointment_participant_candidates(household)
        .filter(pk__in=[user.pk for user in participants])
        .values_list("pk", flat=True)
    )
    outsiders = [user for user in participants if user.pk not in allowed]
    if outsiders:
        raise DomainError(
            f"{outsiders[0]} ne voit pas ce dossier : choisissez des participants des "
            "structures qui accompagnent le ménage, ou de la coordination.",
            field="participants",
        )
    if appointment.pk is None:
        transition(appointment, AppointmentStatus.PLANNED, by=by, reason="Rendez-vous prévu")
    else:
        save_with_history(appointment, by=by, reason="Rendez-vous modifié")
    appointment.participants.set(participants)
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by: User, expected_version: int | None = None, reason: str = ""
) -> Appointment:
    appointment = locked(Appointment, appointment.pk, expected_version)
    if appointment.status != AppointmentStatus.PLANNED:
        raise DomainError(f"Ce rendez-vous est déjà {appointment.get_status_display().lower()}.")
    appointment.version += 1
    transition(
        appointment,
        AppointmentStatus.CANCELLED,
        by=by,
        reason=reason.strip() or "Rendez-vous annulé",
    )
    return appointment


def appointment_check_holdable(appointment: Appointment, today: date | None = None) -> None:
    """A planned appointment is held on or after its day, once."""
    today = today or timezone.localdate()
    if appointment.status != AppointmentStatus.PLANNED:
        raise DomainError(
            f"Ce rendez-vous est déjà {appointment.get_status_display().lower()}.", field="status"
        )
    if appointment.on > today:
        raise DomainError(
            f"Ce rendez-vous est prévu le {appointment.on:%d/%m/%Y} : il sera noté comme tenu "
            "à partir de ce jour.",
            field="on",
        )


def appointment_follow_up_initial(appointment: Appointment) -> dict[str, Any]:
    """What the follow-up of a held appointment says unless the user says otherwise: the
    page's form is prefilled with it, the API takes it for what the call leaves out."""
    return {
        "happened_on": appointment.on,
        "kind": FOLLOW_UP_KIND_OF_APPOINTMENT[appointment.kind],
        "duration_minutes": appointment.duration_minutes,
        "summary": appointment.notes,
    }


@transaction.atomic
def appointment_hold(
    *,
    appointment: Appointment,
    by: User,
    data: dict[str, Any],
    measure: SupportMeasure | None = None,
    expected_version: int | None = None,
) -> FollowUp:
    """« Tenu » in one step: the appointment read at `expected_version` becomes a follow-up
    (follow_up_create with the appointment, as the page does), what `data` leaves out taken
    from the appointment."""
    current = locked(Appointment, appointment.pk, expected_version)
    appointment_check_holdable(current)
    data = {**appointment_follow_up_initial(current), **data}
    if not (data.get("summary") or "").strip():
        raise DomainError(
            "Résumez ce qui s'est dit au rendez-vous (le rendez-vous n'a pas de notes).",
            field="summary",
        )
    return follow_up_create(
        household=current.household, by=by, data=data, measure=measure, appointment=current
    )


def appointment_held(*, appointment: Appointment, follow_up: FollowUp, by: User) -> Appointment:
    """The appointment took place: it is held, and points to the follow-up that records it
    (called by follow_up_create, in its transaction)."""
    appointment = locked(Appointment, appointment.pk)
    if appointment.household_id != follow_up.household_id:
        raise DomainError("Ce rendez-vous concerne un autre ménage.")
    appointment_check_holdable(appointment)
    appointment.follow_up = follow_up
    appointment.version += 1
    transition(appointment, AppointmentStatus.HELD, by=by, reason="Rendez-vous tenu")
    return appointment


@transaction.atomic
def action_update_tracking(
    *, action: Action, by: User, data: dict[str, Any], expected_version: int
) -> Action:
    """Update what the social workers track on an action (schemes, transfer progress, …)."""
    action = locked(Action, action.pk, expected_version)
    if action.status == ActionStatus.CLOSED:
        raise DomainError("Cette action est clôturée : son suivi n'est plus modifiable.")
    steps = ["transfer_requested_on", "dwelling_offered_on", "offer_accepted_on", "moved_on"]
    dated = [data.get(step, getattr(action, step)) for step in steps]
    known = [d for d in dated if d]
    if known != sorted(known) or any(not a and b for a, b in pairwise(dated)):
        raise DomainError(
            "Les étapes de la mutation se suivent : demande, proposition, acceptation, "
            "emménagement.",
            field="moved_on",
        )
    for field, value in data.items():
        setattr(action, field, value)
    action.version += 1
    save_with_history(action, by=by, reason="Suivi de l'action")
    return action


def _procedure_get_or_create(*, household: Household, by: User) -> EvictionProcedure:
    procedure = EvictionProcedure.objects.filter(household=household).first()
    if procedure is None:
        procedure = EvictionProcedure(household=household)
        save_with_history(procedure, by=by, reason="Procédure d'expulsion ouverte")
    return procedure


@transaction.atomic
def procedure_open(*, household: Household, by: User) -> EvictionProcedure:
    """The household's one eviction procedure, opened whatever its action (or none)."""
    Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    return _procedure_get_or_create(household=household, by=by)


def _default_payment_order_delay(procedure: EvictionProcedure) -> None:
    if procedure.payment_order_on and not procedure.payment_order_delay:
        procedure.payment_order_delay = payment_order_default_delay(procedure.lease_signed_on)


# Stages that follow each other: (earlier, later, message on the later one).
PROCEDURE_ORDER = [
    ("payment_order_on", "summons_on", "L'assignation suit le commandement de payer."),
    ("summons_on", "hearing_on", "L'audience suit l'assignation."),
    ("hearing_on", "judgement_on", "La décision suit l'audience."),
    ("judgement_on", "judgement_served_on", "La signification suit la décision."),
    ("judgement_on", "order_to_leave_on", "Le commandement de quitter les lieux suit la décision."),
    (
        "order_to_leave_on",
        "police_assistance_requested_on",
        "Le concours de la force publique suit le commandement de quitter les lieux.",
    ),
]


def _procedure_check(p: EvictionProcedure) -> None:
    for earlier, later, message in PROCEDURE_ORDER:
        if getattr(p, earlier) and getattr(p, later) and getattr(p, later) < getattr(p, earlier):
            raise DomainError(message, field=later)
    if not 0 <= p.order_to_leave_extra_months <= settings.ORDER_TO_LEAVE_MAX_EXTRA_MONTHS:
        raise DomainError(
            "Le juge peut accorder au plus "
            f"{settings.ORDER_TO_LEAVE_MAX_EXTRA_MONTHS} mois de délai supplémentaire.",
            field="order_to_leave_extra_months",
        )
    if (p.judgement_kind or p.judgement_outcome or p.judgement_served_on) and not p.judgement_on:
        raise DomainError("Indiquez la date de la décision.", field="judgement_on")
    if p.payment_plan_months is not None:
        if p.judgement_outcome != JudgementOutcome.PAYMENT_PLAN:
            raise DomainError(
                "Des délais de paiement vont avec une décision qui suspend la résiliation.",
                field="payment_plan_months",
            )
        if not 1 <= p.payment_plan_months <= settings.PAYMENT_PLAN_MAX_MONTHS:
            raise DomainError(
                f"Le juge accorde des délais de paiement de {settings.PAYMENT_PLAN_MAX_MONTHS} "
                "mois (3 ans) au plus.",
                field="payment_plan_months",
            )
    if p.grace_period_months is not None:
        granted_on = p.grace_period_from or p.judgement_on
        if granted_on is None:
            raise DomainError(
                "Indiquez la date de la décision qui accorde les délais de grâce.",
                field="grace_period_from",
            )
        shortest, longest = grace_period_limits(granted_on)
        if not shortest <= p.grace_period_months <= longest:
            raise DomainError(
                f"Les délais de grâce accordés le {granted_on:%d/%m/%Y} vont de {shortest} à "
                f"{longest} mois.",
                field="grace_period_months",
            )
    if p.dsf_diagnostic_id and p.dsf_diagnostic.household_id != p.household_id:
        raise DomainError("Ce diagnostic concerne un autre ménage.", field="dsf_diagnostic")


@transaction.atomic
def procedure_update(
    *, procedure: EvictionProcedure, by: User, data: dict[str, Any], expected_version: int
) -> EvictionProcedure:
    """Record the stages of the household's procedure; the delay of a commandement is
    proposed from the lease date when it is not given (docs/DOMAIN_RULES.md)."""
    procedure = locked(EvictionProcedure, procedure.pk, expected_version)
    if procedure.ended_on:
        raise DomainError(
            f"Cette procédure est terminée depuis le {procedure.ended_on:%d/%m/%Y} "
            f"({procedure.get_end_reason_display().lower()})."
        )
    if set(data) & {"household", "ended_on", "end_reason"}:
        raise DomainError("La fin de la procédure s'enregistre par sa propre étape.")
    for field, value in data.items():
        setattr(procedure, field, value)
    _default_payment_order_delay(procedure)
    _procedure_check(procedure)
    procedure.version += 1
    save_with_history(procedure, by=by, reason="Étape de la procédure")
    return procedure


@transaction.atomic
def procedure_end(
    *, procedure: EvictionProcedure, by: User, ended_on: date, end_reason: str, expected_version
) -> EvictionProcedure:
    """Withdrawal, payment or cancellation: the procedure ends and its reminders stop."""
    procedure = locked(EvictionProcedure, procedure.pk, expected_version)
    if procedure.ended_on:
        raise DomainError("Cette procédure est déjà terminée.")
    ensure_plausible(ended_on, field="ended_on")
    if ended_on > timezone.localdate():
        raise DomainError(
            "La fin de la procédure ne peut pas être dans le futur.", field="ended_on"
        )
    procedure.ended_on, procedure.end_reason = ended_on, end_reason
    procedure.version += 1
    save_with_history(procedure, by=by, reason=f"Fin : {ProcedureEnd(end_reason).label}")
    return procedure


def _lease_check_running(lease: SlidingLease) -> None:
    if lease.glide_on:
        raise DomainError(f"Le bail a glissé le {lease.glide_on:%d/%m/%Y}.")
    if lease.ended_on:
        raise DomainError(
            f"{lease.get_mode_display()} : terminé le {lease.ended_on:%d/%m/%Y} "
            f"({lease.get_end_reason_display().lower()})."
        )


def _lease_take_dwelling(lease: SlidingLease, dwelling: Dwelling) -> None:
    """Action 4: a free dwelling of the action's association's register, of its landlord."""
    action = lease.action
    if dwelling.association_id != action.association_id or dwelling.left_stock_on:
        raise DomainError(
            "Choisissez un logement du registre de l'association de l'action.", field="dwelling"
        )
    if dwelling.landlord_id != action.landlord_id:
        raise DomainError(
            f"Ce logement appartient à {dwelling.landlord}, pas au bailleur de l'action.",
            field="dwelling",
        )
    Dwelling.objects.select_for_update(of=("self",)).get(pk=dwelling.pk)
    if SlidingLease.objects.running().filter(dwelling=dwelling).exclude(pk=lease.pk).exists():
        raise DomainError("Ce logement est déjà occupé.", field="dwelling")
    lease.address, lease.postcode, lease.city = dwelling.address, dwelling.postcode, dwelling.city
    lease.dwelling_type = dwelling.get_dwelling_type_display()


# Set only by sliding_lease_glide and sliding_lease_end, which hold their rules.
LEASE_STEP_FIELDS = {"glide_on", "new_lease_reference", "ended_on", "end_reason", "end_detail"}


@transaction.atomic
def sliding_lease_update(
    *, lease: SlidingLease, by: User, data: dict[str, Any], expected_version: int
) -> SlidingLease:
    """The dwelling and the dates of a running sliding lease or temporary occupancy."""
    lease = locked(SlidingLease, lease.pk, expected_version)
    _lease_check_running(lease)
    if set(data) & LEASE_STEP_FIELDS:
        raise DomainError("Le glissement et la fin s'enregistrent par leur propre étape.")
    previous_dwelling = lease.dwelling_id
    for field, value in data.items():
        setattr(lease, field, value)
    if lease.is_temporary_occupancy and lease.action.kind != ActionKind.SCATTERED_HOUSING:
        raise DomainError("L'hébergement temporaire concerne l'action 4.", field="mode")
    if lease.dwelling_id and lease.dwelling_id != previous_dwelling:
        _lease_take_dwelling(lease, lease.dwelling)
    if lease.is_temporary_occupancy and lease.sublease_signed_on:
        raise DomainError(
            "Un hébergement temporaire n'a pas de sous-location : passez en bail glissant.",
            field="sublease_signed_on",
        )
    lease.version += 1
    save_with_history(lease, by=by, reason=lease.get_mode_display())
    return lease


@transaction.atomic
def sliding_lease_glide(
    *,
    lease: SlidingLease,
    by: User,
    glide_on: date,
    new_lease_reference: str,
    tenant_number: str = "",
    expected_version: int | None = None,
) -> SlidingLease:
    """The lease glides: the household becomes the landlord's tenant at the dwelling's
    address. Needs a review where the landlord offered the lease (docs/DOMAIN_RULES.md)."""
    lease = locked(SlidingLease, lease.pk, expected_version)
    _lease_check_running(lease)
    if lease.is_temporary_occupancy:
        raise DomainError("Un hébergement temporaire ne glisse pas.", field="glide_on")
    if not lease.sublease_signed_on or glide_on < lease.sublease_signed_on:
        raise DomainError(
            "Le bail glisse après la signature de la sous-location.", field="glide_on"
        )
    if glide_on > timezone.localdate():
        raise DomainError("Le glissement ne peut pas être daté dans le futur.", field="glide_on")
    if not lease.reviews.filter(landlord_offers_lease=True, held_on__lte=glide_on).exists():
        raise DomainError(
            "Le bail ne glisse qu'après un point d'étape où le bailleur propose le bail au ménage.",
            field="glide_on",
        )
    if not new_lease_reference.strip():
        raise DomainError("Indiquez la référence du nouveau bail.", field="new_lease_reference")
    lease.glide_on, lease.new_lease_reference = glide_on, new_lease_reference.strip()
    lease.version += 1
    save_with_history(lease, by=by, reason="Glissement du bail")
    if lease.dwelling_id:
        dwelling = Dwelling.objects.select_for_update(of=("self",)).get(pk=lease.dwelling_id)
        dwelling.left_stock_on = glide_on
        dwelling.version += 1
        save_with_history(dwelling, by=by, reason="Bail glissé au ménage")
    action = lease.action
    _household_becomes_tenant(
        household=action.household,
        by=by,
        landlord=action.landlord,
        address=lease.address,
        postcode=lease.postcode,
        city=lease.city,
        tenant_number=tenant_number,
        reason=f"Bail glissé le {glide_on:%d/%m/%Y} (nouveau bail : {lease.new_lease_reference})",
    )
    _action_close_when_done(action, by=by, reason="Bail glissé")
    return lease


def _household_becomes_tenant(
    *,
    household: Household,
    by: User,
    landlord: Partner,
    address: str,
    postcode: str,
    city: str,
    tenant_number: str,
    reason: str,
) -> None:
    """The glide's change of the household: situation, landlord, address and tenant number,
    in its history. An empty address keeps the household's own (action 3: the dwelling it
    lives in).

    When the glide gives the household another landlord than the one recorded (an applicant
    with none, or the tenant of another landlord), it is a landlord change like a transfer:
    one `LandlordChange` of kind « glissement », through households.services, with the
    previous and the new landlord; access follows. When the household was already recorded
    as that landlord's, only its situation, address and number change (docs/DOMAIN_RULES.md)."""
    household = locked(Household, household.pk)
    dwelling = {"address": address, "postcode": postcode, "city": city} if address else {}
    if tenant_number:
        dwelling["tenant_number"] = tenant_number
    if household.landlord_id != landlord.pk:
        household_landlord_change(
            household=household,
            by=by,
            kind=LandlordChangeKind.GLIDE,
            landlord=landlord,
            reason=reason,
            dwelling=dwelling,
        )
        return
    household.housing_status = HousingStatus.TENANT
    for field, value in dwelling.items():
        setattr(household, field, value)
    household.version += 1
    save_with_history(household, by=by, reason=f"Bail glissé : locataire de {landlord}")
    # Access follows the rule of involvement.
    involvement_sync(household=household, by=by)


@transaction.atomic
def sliding_lease_end(
    *,
    lease: SlidingLease,
    by: User,
    ended_on: date,
    end_reason: str,
    end_detail: str = "",
    expected_version: int | None = None,
) -> SlidingLease:
    """The sublease or temporary occupancy ends without a glide, or its failure is recorded:
    reviews and reminders stop; the action closes once its measure is closed."""
    lease = locked(SlidingLease, lease.pk, expected_version)
    _lease_check_running(lease)
    ensure_plausible(ended_on, field="ended_on")
    start = lease.sublease_signed_on or lease.occupancy_agreement_on or lease.entry_on
    if start and ended_on < start:
        raise DomainError(f"La fin suit le début ({start:%d/%m/%Y}).", field="ended_on")
    if ended_on > timezone.localdate():
        raise DomainError("La fin ne peut pas être datée dans le futur.", field="ended_on")
    if end_reason == LeaseEnd.FAILURE and not end_detail.strip():
        raise DomainError("Dites ce qui a fait échouer le glissement.", field="end_detail")
    lease.ended_on, lease.end_reason, lease.end_detail = ended_on, end_reason, end_detail
    lease.version += 1
    save_with_history(lease, by=by, reason=f"Fin : {LeaseEnd(end_reason).label}")
    _action_close_when_done(lease.action, by=by, reason=f"Fin : {LeaseEnd(end_reason).label}")
    return lease


@transaction.atomic
def lease_review_create(*, lease: SlidingLease, by: User, data: dict[str, Any]) -> LeaseReview:
    """A 6-monthly review, whatever the state of the measure, while the lease runs."""
    _lease_check_running(lease)
    if lease.is_temporary_occupancy:
        raise DomainError(
            "Les points d'étape concernent un bail glissant, pas un hébergement temporaire.",
            field="held_on",
        )
    if not lease.sublease_signed_on or data["held_on"] < lease.sublease_signed_on:
        raise DomainError(
            "Le point d'étape suit la signature de la sous-location.", field="held_on"
        )
    if data["held_on"] > timezone.localdate():
        raise DomainError("Un point d'étape ne peut pas être daté dans le futur.", field="held_on")
    review = LeaseReview(lease=lease, recorded_by=by, **data)
    save_with_history(review, by=by)
    events.publish(LeaseReviewed(review=review, by=by))
    return review


@transaction.atomic
def dwelling_save(
    *,
    association: Partner,
    by: User,
    data: dict[str, Any],
    dwelling: Dwelling | None = None,
    expected_version: int | None = None,
) -> Dwelling:
    """Add or change a dwelling of an association's register (action 4)."""
    if dwelling is None:
        dwelling = Dwelling(association=association)
    else:
        dwelling = locked(Dwelling, dwelling.pk, expected_version)
        dwelling.version += 1
    for field, value in data.items():
        setattr(dwelling, field, value)
    if not dwelling.landlord.is_landlord:
        raise DomainError("Choisissez un bailleur social.", field="landlord")
    save_with_history(dwelling, by=by)
    return dwelling


@transaction.atomic
def rent_reduction_create(
    *,
    action: Action,
    by: User,
    monthly_amount,
    starts_on: date,
    ends_on: date,
    measure: SupportMeasure | None = None,
) -> RentReduction:
    """A monthly rent reduction borne by the landlord (actions 1 and 2), on the months of the
    action's measure in progress (`measure`, when the caller names one, must be that one)."""
    action = locked(Action, action.pk)
    if not action.has_rent_reduction:
        raise DomainError("La minoration de loyer concerne les actions 1 et 2.")
    if action.status != ActionStatus.IN_PROGRESS:
        raise DomainError("La minoration accompagne une action en cours.")
    ensure_plausible(starts_on, field="starts_on")
    ensure_plausible(ends_on, field="ends_on")
    first, last = starts_on.replace(day=1), ends_on.replace(day=1)
    if last < first:
        raise DomainError("Le dernier mois suit le premier.", field="ends_on")
    monthly_amount = Decimal(monthly_amount)
    if monthly_amount <= 0:
        raise DomainError("La minoration est un montant positif.", field="monthly_amount")
    if monthly_amount > settings.RENT_REDUCTION_MAX_MONTHLY:
        raise DomainError(
            f"Une minoration est d'au plus {settings.RENT_REDUCTION_MAX_MONTHLY} € par mois.",
            field="monthly_amount",
        )
    named, measure = measure, action.measures.active().first()
    if measure is None or (named is not None and named.pk != measure.pk):
        raise DomainError("La minoration accompagne une mesure en cours.")
    period = measure.starts_on.replace(day=1), measure.ends_on.replace(day=1)
    if first < period[0] or last > period[1]:
        raise DomainError(
            f"La minoration porte sur les mois de la mesure : de {period[0]:%m/%Y} à "
            f"{period[1]:%m/%Y}.",
            field="starts_on" if first < period[0] else "ends_on",
        )
    for year in range(first.year, last.year + 1):
        ensure_budget_year_open(date(year, 12, 31), field="starts_on")
    overlapping = action.rent_reductions.filter(starts_on__lte=last, ends_on__gte=first).first()
    if overlapping is not None:
        raise DomainError(
            f"Une minoration couvre déjà les mois de {overlapping.starts_on:%m/%Y} à "
            f"{overlapping.ends_on:%m/%Y} : choisissez d'autres mois.",
            field="starts_on",
        )
    reduction = RentReduction(
        action=action, monthly_amount=monthly_amount, starts_on=first, ends_on=last, created_by=by
    )
    save_with_history(reduction, by=by)
    events.publish(RentReductionCreated(reduction=reduction, by=by))
    return reduction


@transaction.atomic
def arrears_reading_create(*, action: Action, by: User, read_on: date, amount) -> ArrearsReading:
    if action.kind != ActionKind.SOLVENCY:
        raise DomainError("Le suivi des impayés concerne l'action 2.")
    reading = ArrearsReading(action=action, read_on=read_on, amount=amount, created_by=by)
    save_with_history(reading, by=by)
    return reading


# --- Outreach requests (« demandes d'aller-vers ») -------------------------------------------

OUTREACH_ACCEPT, OUTREACH_DECLINE = "accept", "decline"


@transaction.atomic
def outreach_request_create(
    *, household: Household, by: User, association: Partner, reason: str
) -> OutreachRequest:
    """The household's landlord asks an association to reach its tenant, with a reason. The
    association answers (outreach_answer); it has no access to the file until it accepts."""
    if by.partner is None or household.landlord_id != by.partner.pk:
        raise DomainError(
            "Seul le bailleur actuel du ménage demande un aller-vers pour son locataire."
        )
    if not association.is_association or not association.active:
        raise DomainError("Choisissez une association du dispositif.", field="association")
    if not reason.strip():
        raise DomainError(
            "Expliquez à l'association pourquoi aller vers ce ménage.", field="reason"
        )
    open_one = OutreachRequest.objects.filter(
        household=household, association=association, status__in=OPEN_OUTREACH
    )
    if open_one.exists():
        raise DomainError(
            "Une demande d'aller-vers est déjà en cours auprès de cette association.",
            field="association",
        )
    request = OutreachRequest(
        household=household,
        landlord=by.partner,
        association=association,
        reason=reason,
        requested_by=by,
    )
    check_bounds(request)
    transition(request, OutreachStatus.PENDING, by=by, reason="Demande d'aller-vers")
    events.publish(OutreachRequested(request=request, by=by))
    return request


@transaction.atomic
def outreach_answer(
    *, request: OutreachRequest, by: User, decision: str, reason: str = ""
) -> OutreachRequest:
    """The association accepts (it becomes involved in the household: it reads and changes
    the file, logs its contacts as « aller-vers » follow-ups) or declines, saying why."""
    request = locked(OutreachRequest, request.pk)
    if by.partner is None or by.partner.pk != request.association_id:
        raise DomainError("Seule l'association sollicitée répond à cette demande.")
    if request.status != OutreachStatus.PENDING:
        raise DomainError(
            f"Cette demande a déjà reçu sa réponse ({request.get_status_display().lower()})."
        )
    if decision not in (OUTREACH_ACCEPT, OUTREACH_DECLINE):
        raise DomainError("Acceptez ou déclinez la demande.", field="decision")
    if decision == OUTREACH_DECLINE and not reason.strip():
        raise DomainError("Motivez le refus : le bailleur lit ce motif.", field="reason")
    request.answered_by, request.answered_at = by, timezone.now()
    request.answer_reason = reason
    check_bounds(request)
    if decision == OUTREACH_ACCEPT:
        status, label = OutreachStatus.ACCEPTED, "Aller-vers accepté"
    else:
        status, label = OutreachStatus.DECLINED, "Aller-vers décliné"
    transition(request, status, by=by, reason=label + (f" — {reason}" if reason else ""))
    events.publish(OutreachAnswered(request=request, by=by))
    involvement_sync(household=request.household, by=by)
    return request


@transaction.atomic
def outreach_close(*, request: OutreachRequest, by: User, reason: str = "") -> OutreachRequest:
    """An accepted outreach ends (the tenant was reached, or cannot be): the association, or
    the landlord that asked. The association keeps reading the file for the grace period."""
    request = locked(OutreachRequest, request.pk)
    if by.partner is None or by.partner.pk not in (request.association_id, request.landlord_id):
        raise DomainError("L'association sollicitée ou le bailleur demandeur termine l'aller-vers.")
    if request.status != OutreachStatus.ACCEPTED:
        raise DomainError("Seul un aller-vers accepté et en cours se termine.")
    request.closed_at = timezone.now()
    transition(
        request,
        OutreachStatus.CLOSED,
        by=by,
        reason="Aller-vers terminé" + (f" — {reason}" if reason.strip() else ""),
    )
    involvement_sync(household=request.household, by=by)
    return request


@transaction.atomic
def outreach_withdraw(*, request: OutreachRequest, by: User, reason: str = "") -> OutreachRequest:
    """The landlord that asked withdraws its request while the association has not answered
    (the tenant answered again, the request went to the wrong association). Answered, it
    stays as it is: an accepted one is ended (outreach_close), a declined one is over.
    A waiting request involves no one (actions.involvement.outreach_source): the involvement
    is derived again all the same, so that nothing else is taken away with it."""
    request = locked(OutreachRequest, request.pk)
    if by.partner is None or by.partner.pk != request.landlord_id:
        raise DomainError("Seul le bailleur qui a fait la demande la retire.")
    if request.status != OutreachStatus.PENDING:
        raise DomainError(
            f"Cette demande a déjà reçu sa réponse ({request.get_status_display().lower()}) : "
            "elle ne se retire plus."
            + (
                " Terminez l'aller-vers à la place."
                if request.status == OutreachStatus.ACCEPTED
                else ""
            )
        )
    request.closed_at = timezone.now()
    transition(
        request,
        OutreachStatus.WITHDRAWN,
        by=by,
        reason="Demande d'aller-vers retirée" + (f" — {reason}" if reason.strip() else ""),
    )
    events.publish(OutreachWithdrawn(request=request, by=by))
    involvement_sync(household=request.household, by=by)
    return request
