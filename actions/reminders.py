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

from actions.deadlines import lease_deadlines, procedure_deadlines
from actions.models import (
    ActionKind,
    ActionStatus,
    EvictionProcedure,
    MeasureStatus,
    SlidingLease,
    SupportMeasure,
)
from core.reminders import CHUNK, Due, chunks
from partners.models import Role
from partners.recipients import Recipients


def _measure_link(measure_id: int) -> str:
    return reverse("actions:measure_detail", args=[measure_id])


def _active_measures():
    return SupportMeasure.objects.filter(status=MeasureStatus.ACTIVE).order_by("pk")


# --- Rules ------------------------------------------------------------------------------


def measures_ending(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A measure ends in 30 days and in 7 days: referent and coordinators. A renewed
    measure's reminder says that no further renewal is possible."""
    measures = _active_measures().with_attention(today).filter(ends_soon=True)
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
            what = (
                "la mesure, déjà renouvelée, ne peut plus l'être : préparez sa clôture"
                if final
                else "décidez de son renouvellement ou de sa clôture"
            )
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
    measures = _active_measures().with_attention(today).filter(overdue=True)
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
    measures = _active_measures().with_attention(today).filter(quiet=True)
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
                )
            )
        yield dues


def legal_deadlines(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Action 3: each coming legal deadline (hearing 15 days ahead, the others 7 days ahead,
    the end of the winter truce after an eviction judgement 30 days ahead): the measure's
    referent and the landlord's CESFs."""
    procedures = (
        EvictionProcedure.objects.filter(
            action__kind=ActionKind.SLIDING_LEASE_EVICTION, action__status=ActionStatus.IN_PROGRESS
        )
        .select_related("action__household")
        .order_by("pk")
    )
    referents = dict(
        _active_measures()
        .filter(action__kind=ActionKind.SLIDING_LEASE_EVICTION)
        .values_list("action_id", "referent_id")
    )
    leads = {
        "hearing": settings.REMINDER_HEARING_DAYS,
        "winter_truce_end": settings.REMINDER_TRUCE_END_DAYS,
    }
    dues = []
    for procedure in procedures.iterator(chunk_size=CHUNK):
        action = procedure.action
        for deadline in procedure_deadlines(procedure):
            lead = leads.get(deadline.kind, settings.REMINDER_LEGAL_DEADLINE_DAYS)
            if not today <= deadline.on <= today + timedelta(days=lead):
                continue
            recipients = people.of(action.landlord_id, Role.CESF)
            if action.pk in referents:
                recipients.add(referents[action.pk])
            dues.append(
                Due(
                    kind=f"legal_{deadline.kind}",
                    object_type="procedure",
                    object_id=procedure.pk,
                    due_on=deadline.on,
                    text=(
                        f"{action.household.reference} : {deadline.label} le "
                        f"{deadline.on:%d/%m/%Y}."
                    ),
                    recipients=frozenset(recipients),
                    household_id=action.household_id,
                    link=reverse("actions:action_detail", args=[action.pk]),
                )
            )
    yield dues


def lease_reviews(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Sliding leases (actions 3 and 4): the 6-monthly review in 30 days (referent and the
    landlord's CESFs), and the landlord's answer due 2 months before the period ends (the
    landlord's CESFs and manager)."""
    leases = (
        SlidingLease.objects.filter(
            action__status=ActionStatus.IN_PROGRESS,
            sublease_signed_on__isnull=False,
            glide_on__isnull=True,
        )
        .select_related("action__household")
        .order_by("pk")
    )
    referents = dict(_active_measures().values_list("action_id", "referent_id"))
    dues = []
    for lease in leases.iterator(chunk_size=CHUNK):
        action = lease.action
        for deadline in lease_deadlines(lease, today):
            if (
                not today
                <= deadline.on
                <= today + timedelta(days=settings.REMINDER_LEASE_REVIEW_DAYS)
            ):
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
                )
            )
    yield dues


RULES = [
    measures_ending,
    measures_overdue,
    measures_without_follow_up,
    legal_deadlines,
    lease_reviews,
]
