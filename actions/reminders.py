"""What the daily sweep reminds about measures, legal deadlines and sliding leases, and to
whom (registered in actions.wiring; the sweep is notifications.sweep, the rules' form
core.reminders).

A reminder's key is its object, kind and due date: a sweep run twice, or two at once, sends
it once. Texts carry the household's reference, never a name: they may go out by e-mail.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from actions.deadlines import (
    Deadline,
    energy_truce_around,
    lease_deadlines,
    procedure_deadlines,
)
from actions.models import (
    Action,
    ActionKind,
    ActionStatus,
    Appointment,
    AppointmentKind,
    EvictionProcedure,
    FollowUp,
    HousingMode,
    MeasureStatus,
    SlidingLease,
    SupportMeasure,
)
from core.reminders import CHUNK, Due, chunks, each_safely
from partners.models import Role
from partners.recipients import Recipients


def _measure_link(measure_id: int) -> str:
    return reverse("actions:measure_detail", args=[measure_id])


def active_measures():
    return SupportMeasure.objects.filter(status=MeasureStatus.ACTIVE).order_by("pk")


# --- When a dated thing needs attention: the one rule the sweep and the agenda read -----
#
# « Mes échéances » (cases.agenda) flags an item with the same functions and querysets as
# the rules below, so that the page and the reminders never disagree: measures through
# SupportMeasureQuerySet.with_attention, appointments through
# AppointmentQuerySet.with_reminder_due, dated deadlines through these predicates.


def followed_procedures():
    """The eviction procedures whose deadlines are reminded: ongoing, of a household not
    anonymised."""
    return EvictionProcedure.objects.ongoing().filter(household__anonymised_on__isnull=True)


def energy_actions():
    """Action 1 in progress: the end of the truce on energy cut-offs is reminded."""
    return Action.objects.filter(kind=ActionKind.ENERGY, status=ActionStatus.IN_PROGRESS)


def reviewed_leases():
    """Running sliding leases (actions 3 and 4) whose reviews are reminded, whatever the state
    of the measure."""
    return (
        SlidingLease.objects.running()
        .filter(mode=HousingMode.SLIDING_LEASE, sublease_signed_on__isnull=False)
        .exclude(action__status__in=[ActionStatus.REJECTED, ActionStatus.CLOSED])
    )


def legal_deadline_lead(kind: str) -> int:
    """How many days before a legal deadline its reminder goes out: the hearing
    REMINDER_HEARING_DAYS, the end of the winter truce REMINDER_TRUCE_END_DAYS, any other
    REMINDER_LEGAL_DEADLINE_DAYS."""
    leads = {
        "hearing": settings.REMINDER_HEARING_DAYS,
        "winter_truce_end": settings.REMINDER_TRUCE_END_DAYS,
    }
    return leads.get(kind, settings.REMINDER_LEGAL_DEADLINE_DAYS)


def legal_deadline_due(deadline: Deadline, today: date) -> bool:
    """A procedure's deadline is reminded from its lead until its day."""
    return today <= deadline.on <= today + timedelta(days=legal_deadline_lead(deadline.kind))


def lease_deadline_due(deadline: Deadline, today: date) -> bool:
    """A sliding lease's review, or the landlord's answer, is reminded
    REMINDER_LEASE_REVIEW_DAYS ahead until its day."""
    return today <= deadline.on <= today + timedelta(days=settings.REMINDER_LEASE_REVIEW_DAYS)


def energy_truce_due(end: date, today: date) -> bool:
    """The end of the truce on energy cut-offs is reminded REMINDER_TRUCE_END_DAYS ahead."""
    return today <= end <= today + timedelta(days=settings.REMINDER_TRUCE_END_DAYS)


def measure_end_text(ends_on: date, renewal_count: int, today: date) -> str:
    """What a measure's end asks for: its renewal or its closure (a measure renewed once
    cannot be renewed again)."""
    if ends_on < today:
        return f"la mesure s'est terminée le {ends_on:%d/%m/%Y} sans renouvellement ni clôture"
    if renewal_count >= settings.MEASURE_MAX_RENEWALS:
        return "la mesure, déjà renouvelée, ne peut plus l'être : préparez sa clôture"
    return "décidez de son renouvellement ou de sa clôture"


def appointment_reminder_text(row: dict) -> str:
    kind = AppointmentKind(row["kind"]).label
    at = f" à {row['at']:%H:%M}" if row["at"] else ""
    return (
        f"{row['household__reference']} : rendez-vous ({kind.lower()}) le {row['on']:%d/%m/%Y}{at}."
    )


# --- Rules ------------------------------------------------------------------------------


def measures_ending(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A measure ends in 30 days and in 7 days: referent and coordinators. A renewed
    measure's reminder says that no further renewal is possible."""
    measures = active_measures().with_attention(today).filter(ends_soon=True)
    fields = [
        "pk",
        "ends_on",
        "renewal_count",
        "referent_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in chunks(measures, fields):
        dues = []
        for row in rows:
            days_left = (row["ends_on"] - today).days
            # The smallest threshold reached: a sweep that missed days sends only the
            # most urgent one.
            reached = [t for t in settings.REMINDER_MEASURE_END_DAYS if days_left <= t]
            if not reached:
                continue
            threshold = min(reached)
            final = row["renewal_count"] >= settings.MEASURE_MAX_RENEWALS
            what = measure_end_text(row["ends_on"], row["renewal_count"], today)
            dues.append(
                Due(
                    kind=f"measure_end_{threshold}" + ("_final" if final else ""),
                    object_type="measure",
                    object_id=row["pk"],
                    due_on=row["ends_on"],
                    text=(
                        f"{row['action__household__reference']} : la mesure d'accompagnement "
                        f"se termine le {row['ends_on']:%d/%m/%Y} ({days_left} jours) — {what}."
                    ),
                    recipients=frozenset({row["referent_id"]} | people.coordinators),
                    household_id=row["action__household_id"],
                    link=_measure_link(row["pk"]),
                )
            )
        yield dues


def measures_overdue(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A measure past its end with neither renewal nor closure: referent, coordinators and
    the association's manager."""
    measures = active_measures().with_attention(today).filter(overdue=True)
    fields = [
        "pk",
        "ends_on",
        "referent_id",
        "action__association_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in chunks(measures, fields):
        yield [
            Due(
                kind="measure_overdue",
                object_type="measure",
                object_id=row["pk"],
                due_on=row["ends_on"],
                text=(
                    f"{row['action__household__reference']} : la mesure s'est terminée le "
                    f"{row['ends_on']:%d/%m/%Y} sans renouvellement ni clôture."
                ),
                recipients=frozenset(
                    {row["referent_id"]}
                    | people.coordinators
                    | people.of(row["action__association_id"], Role.MANAGER)
                ),
                household_id=row["action__household_id"],
                link=_measure_link(row["pk"]),
            )
            for row in rows
        ]


def measures_without_follow_up(today: date, people: Recipients) -> Iterator[list[Due]]:
    """No follow-up logged for 30 days in an active measure (its `quiet` flag): its
    referent."""
    quiet_days = settings.REMINDER_NO_FOLLOW_UP_DAYS
    measures = active_measures().with_attention(today).filter(quiet=True)
    fields = [
        "pk",
        "starts_on",
        "last_follow_up_on",
        "referent_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in chunks(measures, fields):
        dues = []
        for row in rows:
            last_on = row["last_follow_up_on"] or row["starts_on"]
            dues.append(
                Due(
                    kind="no_follow_up",
                    object_type="measure",
                    object_id=row["pk"],
                    due_on=last_on + timedelta(days=quiet_days),
                    text=(
                        f"{row['action__household__reference']} : aucun suivi noté depuis le "
                        f"{last_on:%d/%m/%Y}."
                    ),
                    recipients=frozenset({row["referent_id"]}),
                    household_id=row["action__household_id"],
                    link=_measure_link(row["pk"]),
                    task=True,  # done when a follow-up is logged (notifications)
                )
            )
        yield dues


def _referents_by_household() -> dict[int, set[int]]:
    referents: dict[int, set[int]] = {}
    for household_id, referent_id in active_measures().values_list(
        "action__household_id", "referent_id"
    ):
        referents.setdefault(household_id, set()).add(referent_id)
    return referents


def legal_deadlines(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Every household's ongoing eviction procedure, whatever its action (or none): each
    coming legal deadline (hearing 15 days ahead, the others 7 days ahead, the end of the
    winter truce after an eviction order 30 days ahead): the landlord's CESFs and the
    referents of the household's active measures (coordinators when nobody else follows)."""
    procedures = followed_procedures().select_related("household").order_by("pk")
    referents = _referents_by_household()
    dues = []
    for procedure in procedures.iterator(chunk_size=CHUNK):
        household = procedure.household
        deadlines = each_safely(
            "procedure",
            procedure.pk,
            lambda p=procedure: procedure_deadlines(p, today),
            default=[],
        )
        for deadline in deadlines:
            if not legal_deadline_due(deadline, today):
                continue
            recipients = set(referents.get(household.pk, ()))
            if household.landlord_id:
                recipients |= people.of(household.landlord_id, Role.CESF)
            dues.append(
                Due(
                    kind=f"legal_{deadline.kind}",
                    object_type="procedure",
                    object_id=procedure.pk,
                    due_on=deadline.on,
                    text=f"{household.reference} : {deadline.label} le {deadline.on:%d/%m/%Y}.",
                    recipients=frozenset(recipients or people.coordinators),
                    household_id=household.pk,
                    link=reverse("actions:procedure_detail", args=[household.pk]),
                )
            )
    yield dues


def energy_truce(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Action 1 in progress: the truce on energy cut-offs ends in 30 days (the landlord's
    CESFs and the referent)."""
    _, end = energy_truce_around(today)
    if not energy_truce_due(end, today):
        return
    actions = energy_actions().select_related("household").order_by("pk")
    referents = dict(
        active_measures()
        .filter(action__kind=ActionKind.ENERGY)
        .values_list("action_id", "referent_id")
    )
    dues = []
    for action in actions.iterator(chunk_size=CHUNK):
        recipients = people.of(action.landlord_id, Role.CESF)
        if action.pk in referents:
            recipients.add(referents[action.pk])
        dues.append(
            Due(
                kind="energy_truce_end",
                object_type="action",
                object_id=action.pk,
                due_on=end,
                text=(
                    f"{action.household.reference} : fin de la trêve des coupures d'énergie le "
                    f"{end:%d/%m/%Y} — vérifiez les factures et les aides (FSL énergie, "
                    "chèque énergie)."
                ),
                recipients=frozenset(recipients),
                household_id=action.household_id,
                link=reverse("actions:action_detail", args=[action.pk]),
            )
        )
    yield dues


def lease_reviews(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Running sliding leases (actions 3 and 4), whatever the state of the measure: the
    6-monthly review in 30 days (the association's referent and the landlord's CESFs), and
    the landlord's answer due 2 months before the period ends (the landlord's CESFs and
    manager)."""
    leases = reviewed_leases().select_related("action__household").order_by("pk")
    # The referent of the action's latest measure, even once it is closed.
    referents = dict(
        SupportMeasure.objects.filter(action__sliding_lease__in=leases)
        .order_by("action_id", "starts_on", "pk")
        .values_list("action_id", "referent_id")
    )
    dues = []
    for lease in leases.iterator(chunk_size=CHUNK):
        action = lease.action
        deadlines = each_safely(
            "lease", lease.pk, lambda lease=lease: lease_deadlines(lease, today), default=[]
        )
        for deadline in deadlines:
            if not lease_deadline_due(deadline, today):
                continue
            if deadline.kind == "lease_review":
                recipients = people.of(action.landlord_id, Role.CESF)
                if action.pk in referents:
                    recipients.add(referents[action.pk])
            else:
                recipients = people.of(action.landlord_id, Role.CESF, Role.MANAGER)
            dues.append(
                Due(
                    kind=deadline.kind,
                    object_type="lease",
                    object_id=lease.pk,
                    due_on=deadline.on,
                    text=(
                        f"{action.household.reference} : {deadline.label} le "
                        f"{deadline.on:%d/%m/%Y}."
                    ),
                    recipients=frozenset(recipients),
                    household_id=action.household_id,
                    link=reverse("actions:action_detail", args=[action.pk]),
                    # A review asks for one: done when it is recorded (notifications).
                    task=deadline.kind == "lease_review",
                )
            )
    yield dues


def appointment_reminders(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A planned appointment with a reminder: its participants (the user who planned it when
    none is named), once, from the chosen number of days before it until its day."""
    appointments = Appointment.objects.with_reminder_due(today).filter(reminder_due=True)
    fields = ["pk", "kind", "on", "at", "created_by_id", "household_id", "household__reference"]
    for rows in chunks(appointments.order_by("pk"), fields):
        participants: dict[int, set[int]] = {}
        for appointment_id, user_id in Appointment.participants.through.objects.filter(
            appointment_id__in=[row["pk"] for row in rows]
        ).values_list("appointment_id", "user_id"):
            participants.setdefault(appointment_id, set()).add(user_id)
        yield [
            Due(
                kind="appointment",
                object_type="appointment",
                object_id=row["pk"],
                due_on=row["on"],
                text=appointment_reminder_text(row),
                recipients=frozenset(participants.get(row["pk"]) or {row["created_by_id"]}),
                household_id=row["household_id"],
                link=reverse("households:detail", args=[row["household_id"]]) + "#rendez-vous",
            )
            for row in rows
        ]


def next_step_label(happened_on: date) -> str:
    """What a dated next step is called where a name may not appear (reminders, the calendar
    feed): the typed step may name someone, so only the follow-up's date."""
    return f"Prochaine étape (suivi du {happened_on:%d/%m/%Y})"


def next_step_reminders(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A follow-up's dated next step comes (REMINDER_NEXT_STEP_DAYS ahead, until its day):
    the follow-up's author and the referent of its measure (the author alone for a
    confidential follow-up), once."""
    steps = FollowUp.objects.with_next_step_due(today).filter(next_step_due=True)
    fields = [
        "pk",
        "next_step_on",
        "happened_on",
        "author_id",
        "author__is_active",
        "confidential",
        "measure_id",
        "measure__referent_id",
        "household_id",
        "household__reference",
    ]
    for rows in chunks(steps.order_by("pk"), fields):
        dues = []
        for row in rows:
            # A confidential follow-up never leaves its author.
            recipients = set() if row["confidential"] else {row["measure__referent_id"]} - {None}
            if row["author__is_active"]:
                recipients.add(row["author_id"])
            link = (
                _measure_link(row["measure_id"])
                if row["measure_id"]
                else reverse("households:detail", args=[row["household_id"]])
            )
            dues.append(
                Due(
                    kind="next_step",
                    object_type="follow_up",
                    object_id=row["pk"],
                    due_on=row["next_step_on"],
                    text=(
                        f"{row['household__reference']} : "
                        f"{next_step_label(row['happened_on']).lower()} "
                        f"prévue le {row['next_step_on']:%d/%m/%Y}."
                    ),
                    recipients=frozenset(recipients),
                    household_id=row["household_id"],
                    link=link,
                )
            )
        yield dues


RULES = [
    measures_ending,
    measures_overdue,
    measures_without_follow_up,
    legal_deadlines,
    energy_truce,
    lease_reviews,
    appointment_reminders,
    next_step_reminders,
]
