"""What the daily sweep reminds, to whom (issue « deadlines that nobody misses »).

Each rule looks at the data as of `today` with set-based queries (no query per measure) and
yields `Due` reminders; `sweep` sends the ones never sent before, in chunks, so that memory
stays flat whatever the number of active measures. A reminder's key is its object, kind
and due date: a sweep run twice, or two at once, sends it once.

Texts carry the household's reference, never a name: they may go out by e-mail.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from actions.deadlines import lease_deadlines, procedure_deadlines
from actions.models import (
    ActionKind,
    ActionStatus,
    EvictionProcedure,
    FollowUp,
    MeasureStatus,
    SlidingLease,
    SupportMeasure,
)
from codecision.models import CoDecision, Purpose
from notifications.services import Due, deliver
from partners.models import Membership, Role

logger = logging.getLogger(__name__)
CHUNK = 2000


class Recipients:
    """Who works where, fetched once per sweep."""

    def __init__(self) -> None:
        self.by_partner_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        for user_id, partner_id, role in Membership.objects.filter(
            user__is_active=True
        ).values_list("user_id", "partner_id", "role"):
            self.by_partner_role[(partner_id, role)].add(user_id)
        self.coordinators = frozenset(
            user_id
            for (_, role), users in self.by_partner_role.items()
            if role == Role.COORDINATOR
            for user_id in users
        )

    def of(self, partner_id: int, *roles: str) -> set[int]:
        found: set[int] = set()
        for role in roles:
            found |= self.by_partner_role.get((partner_id, role), set())
        return found


def _measure_link(measure_id: int) -> str:
    return reverse("actions:measure_detail", args=[measure_id])


def _active_measures():
    return SupportMeasure.objects.filter(status=MeasureStatus.ACTIVE).order_by("pk")


def _chunks(queryset, fields: list[str]) -> Iterator[list[dict]]:
    """Keyset pagination over a queryset ordered by pk: memory bounded by CHUNK rows."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).values(*fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


# --- Rules ------------------------------------------------------------------------------


def measures_ending(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A measure ends in 30 days and in 7 days: referent and coordinators. A renewed
    measure's reminder says that no further renewal is possible."""
    horizon = today + timedelta(days=max(settings.REMINDER_MEASURE_END_DAYS))
    measures = _active_measures().filter(ends_on__gte=today, ends_on__lte=horizon)
    fields = [
        "pk",
        "ends_on",
        "renewal_count",
        "referent_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in _chunks(measures, fields):
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
    measures = _active_measures().filter(ends_on__lt=today)
    fields = [
        "pk",
        "ends_on",
        "referent_id",
        "action__association_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in _chunks(measures, fields):
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
    """No follow-up logged for 30 days in an active measure: its referent."""
    quiet_days = settings.REMINDER_NO_FOLLOW_UP_DAYS
    last = (
        FollowUp.objects.filter(measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(last=Max("happened_on"))
        .values("last")
    )
    since = today - timedelta(days=quiet_days)
    measures = (
        _active_measures()
        .filter(starts_on__lte=since)
        .annotate(last_follow_up_on=Subquery(last))
        .filter(Q(last_follow_up_on__isnull=True) | Q(last_follow_up_on__lte=since))
    )
    fields = [
        "pk",
        "starts_on",
        "last_follow_up_on",
        "referent_id",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in _chunks(measures, fields):
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


def codecision_opened_due(row: dict, people: Recipients) -> Due:
    """The notice that a co-decision waits for both sides' answers, sent once: by the task
    queued when it opens, or by the sweep if that task never ran (broker down)."""
    household = row["action__household__reference"]
    purpose = Purpose(row["purpose"]).label.lower()
    kind = ActionKind(row["action__kind"]).label.lower()
    deciders_roles = (Role.CESF, Role.CASEWORKER, Role.MANAGER)
    return Due(
        kind="codecision_opened",
        object_type="codecision",
        object_id=row["pk"],
        due_on=timezone.localdate(row["opened_at"]),
        text=f"{household} : nouvelle co-décision ({purpose}, {kind}) en attente de votre réponse.",
        recipients=frozenset(
            people.of(row["landlord_id"], *deciders_roles)
            | people.of(row["association_id"], *deciders_roles)
        ),
        household_id=row["action__household_id"],
        link=reverse("codecision:detail", args=[row["pk"]]),
    )


CODECISION_OPENED_FIELDS = [
    "pk",
    "purpose",
    "opened_at",
    "landlord_id",
    "association_id",
    "action__kind",
    "action__household_id",
    "action__household__reference",
]


def codecisions_opened(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Co-decisions opened in the last days whose notice was never sent (its task was lost
    with the broker): send it now."""
    since = today - timedelta(days=settings.REMINDER_CODECISION_WAIT_DAYS)
    codecisions = CoDecision.objects.open().filter(opened_at__date__gte=since).order_by("pk")
    for rows in _chunks(codecisions, CODECISION_OPENED_FIELDS):
        yield [codecision_opened_due(row, people) for row in rows]


def codecisions_waiting(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A co-decision waits for a partner's answer more than 7 days: that partner's users
    who answer for it (landlord: CESF and manager; association: caseworker and manager)."""
    wait = settings.REMINDER_CODECISION_WAIT_DAYS
    # More than 7 days by the clock: opened before this morning's sweep hour, 7 days ago.
    sweep_moment = timezone.make_aware(
        datetime.combine(today, clock_time(settings.REMINDER_SWEEP_HOUR))
    )
    codecisions = (
        CoDecision.objects.open()
        .filter(opened_at__lt=sweep_moment - timedelta(days=wait))
        .order_by("pk")
    )
    fields = [
        "pk",
        "opened_at",
        "status",
        "landlord_id",
        "association_id",
        "landlord_answer",
        "association_answer",
        "action__household_id",
        "action__household__reference",
    ]
    for rows in _chunks(codecisions, fields):
        dues = []
        for row in rows:
            opened_on = timezone.localdate(row["opened_at"])
            if row["status"] == "disagreement":
                continue  # in the coordination's hands, not waiting for a partner
            for side, partner_id, roles in (
                ("landlord", row["landlord_id"], (Role.CESF, Role.MANAGER)),
                ("association", row["association_id"], (Role.CASEWORKER, Role.MANAGER)),
            ):
                if row[f"{side}_answer"] in ("approve", "reject"):
                    continue
                dues.append(
                    Due(
                        kind=f"codecision_waiting_{side}",
                        object_type="codecision",
                        object_id=row["pk"],
                        due_on=opened_on + timedelta(days=wait),
                        text=(
                            f"{row['action__household__reference']} : une co-décision ouverte "
                            f"le {opened_on:%d/%m/%Y} attend la réponse de votre structure."
                        ),
                        recipients=frozenset(people.of(partner_id, *roles)),
                        household_id=row["action__household_id"],
                        link=reverse("codecision:detail", args=[row["pk"]]),
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
    codecisions_opened,
    measures_ending,
    measures_overdue,
    measures_without_follow_up,
    codecisions_waiting,
    legal_deadlines,
    lease_reviews,
]


def sweep(today: date | None = None) -> dict[str, int]:
    """Run every rule and send what is due; return the notifications sent per rule."""
    today = today or timezone.localdate()
    people = Recipients()
    sent: dict[str, int] = {}
    started = time.perf_counter()
    for rule in RULES:
        count = 0
        for dues in rule(today, people):
            count += deliver(due for due in dues if due.recipients)
        sent[rule.__name__] = count
    logger.info("Reminder sweep for %s: %s in %.1f s", today, sent, time.perf_counter() - started)
    return sent
