"""« Mes échéances »: every dated thing in a user's caseload, in one list — legal deadlines
and hearings, the truce on energy cut-offs, sliding lease reviews, measure ends and renewal
windows, co-decisions waiting for a partner's answer, the dated next steps of the follow-ups,
and the appointments — each with the attention flag of the daily sweep.

The flag is never computed here: each item reads the queryset or the predicate the sweep's
rule reads (actions.reminders, codecision.reminders; the models' `with_attention`,
`with_reminder_due`, `waiting_on`), with the same settings, so that the page, the calendar
feed and the reminders cannot disagree (tests/cases/test_agenda.py runs both and compares).

Read side: a fixed number of queries whatever the caseload (one per kind of record), on the
households the access layer lets the user see; follow-ups confidential to another partner are
left out. `label` is what the calendar feed may carry: the kind of item and dates, never a
name or a typed text; `detail` is the page's only (a typed next step, a place)."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from actions.deadlines import energy_truce_around, lease_deadlines, procedure_deadlines
from actions.models import Appointment, AppointmentKind, FollowUp
from actions.reminders import (
    active_measures,
    energy_actions,
    energy_truce_due,
    followed_procedures,
    lease_deadline_due,
    legal_deadline_due,
    measure_end_text,
    next_step_label,
    reviewed_leases,
)
from codecision.models import CoDecision, Side
from codecision.reminders import waiting_due_on, waiting_with_attention
from core.reminders import each_safely
from households.models import Household
from partners.models import User


class AgendaKind(models.TextChoices):
    LEGAL = "legal", "Délais légaux et audiences"
    LEASE = "lease", "Baux glissants"
    MEASURE = "measure", "Mesures : fins et renouvellements"
    CODECISION = "codecision", "Co-décisions en attente"
    NEXT_STEP = "next_step", "Prochaines étapes"
    APPOINTMENT = "appointment", "Rendez-vous"


class AgendaGroup(models.TextChoices):
    OVERDUE = "overdue", "En retard"
    TODAY = "today", "Aujourd'hui"
    WEEK = "week", "Cette semaine"
    LATER = "later", "Plus tard"


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # AgendaKind
    what: str  # the precise kind: "hearing", "measure_end", "waiting_landlord"…
    on: date
    label: str  # no name, no typed text: the calendar feed carries it
    household_id: int
    reference: str
    object_type: str
    object_id: int
    link: str
    attention: bool = False
    at: time | None = None
    minutes: int | None = None
    detail: str = ""  # the page's only: a typed text may name someone

    @property
    def uid(self) -> str:
        """Stable across fetches and date changes: the record and what about it."""
        return f"{self.object_type}-{self.object_id}-{self.what}@logement-toujours"

    @property
    def kind_label(self) -> str:
        return AgendaKind(self.kind).label

    def group(self, today: date) -> str:
        if self.on < today:
            return AgendaGroup.OVERDUE
        if self.on == today:
            return AgendaGroup.TODAY
        if self.on <= week_end(today):
            return AgendaGroup.WEEK
        return AgendaGroup.LATER


def week_end(today: date) -> date:
    """The Sunday of `today`'s week."""
    return today + timedelta(days=6 - today.weekday())


def agenda(user: User, today: date | None = None) -> list[AgendaItem]:
    """Every dated item of the households `user` sees, in date order (time, reference)."""
    today = today or timezone.localdate()
    households = Household.objects.visible_to(user).filter(anonymised_on__isnull=True)
    items: list[AgendaItem] = []
    for source in (
        _legal,
        _energy_truce,
        _leases,
        _measures,
        _codecisions,
        _next_steps,
        _appointments,
    ):
        items.extend(source(households, user, today))
    return sorted(items, key=lambda i: (i.on, i.at or time.min, i.reference, i.what, i.object_id))


def filter_items(items, *, kinds=(), household_id: int | None = None) -> list[AgendaItem]:
    return [
        item
        for item in items
        if (not kinds or item.kind in kinds)
        and (household_id is None or item.household_id == household_id)
    ]


def grouped(items, today: date) -> dict[str, list[AgendaItem]]:
    """The items by group (overdue, today, this week, later), each in date order."""
    groups: dict[str, list[AgendaItem]] = {group: [] for group in AgendaGroup.values}
    for item in items:
        groups[item.group(today)].append(item)
    return groups


# --- Sources: one query each -------------------------------------------------------------


def _legal(households, user, today):
    procedures = (
        followed_procedures()
        .filter(household__in=households)
        .select_related("household")
        .order_by("pk")
    )
    link = "actions:procedure_detail"
    for procedure in procedures:
        deadlines = each_safely(
            "procedure", procedure.pk, lambda p=procedure: procedure_deadlines(p, today), []
        )
        for deadline in deadlines:
            yield AgendaItem(
                kind=AgendaKind.LEGAL,
                what=deadline.kind,
                on=deadline.on,
                label=deadline.label,
                household_id=procedure.household_id,
                reference=procedure.household.reference,
                object_type="procedure",
                object_id=procedure.pk,
                link=reverse(link, args=[procedure.household_id]),
                attention=legal_deadline_due(deadline, today),
            )


def _energy_truce(households, user, today):
    _, end = energy_truce_around(today)
    rows = (
        energy_actions()
        .filter(household__in=households)
        .values("pk", "household_id", "household__reference")
        .order_by("pk")
    )
    for row in rows:
        yield AgendaItem(
            kind=AgendaKind.LEGAL,
            what="energy_truce_end",
            on=end,
            label="Fin de la trêve des coupures d'énergie : vérifier factures et aides",
            household_id=row["household_id"],
            reference=row["household__reference"],
            object_type="action",
            object_id=row["pk"],
            link=reverse("actions:action_detail", args=[row["pk"]]),
            attention=energy_truce_due(end, today),
        )


def _leases(households, user, today):
    leases = (
        reviewed_leases()
        .filter(action__household__in=households)
        .select_related("action__household")
        .order_by("pk")
    )
    for lease in leases:
        deadlines = each_safely(
            "lease", lease.pk, lambda lease=lease: lease_deadlines(lease, today), []
        )
        for deadline in deadlines:
            yield AgendaItem(
                kind=AgendaKind.LEASE,
                what=deadline.kind,
                on=deadline.on,
                label=deadline.label,
                household_id=lease.action.household_id,
                reference=lease.action.household.reference,
                object_type="lease",
                object_id=lease.pk,
                link=reverse("actions:action_detail", args=[lease.action_id]),
                attention=lease_deadline_due(deadline, today),
            )


def _measures(households, user, today):
    rows = (
        active_measures()
        .filter(action__household__in=households)
        .with_attention(today)
        .values(
            "pk",
            "starts_on",
            "ends_on",
            "renewal_count",
            "last_follow_up_on",
            "overdue",
            "ends_soon",
            "quiet",
            "action__household_id",
            "action__household__reference",
        )
    )
    window = max(settings.REMINDER_MEASURE_END_DAYS)
    for row in rows:
        common = {
            "kind": AgendaKind.MEASURE,
            "household_id": row["action__household_id"],
            "reference": row["action__household__reference"],
            "object_type": "measure",
            "object_id": row["pk"],
            "link": reverse("actions:measure_detail", args=[row["pk"]]),
        }
        yield AgendaItem(
            what="measure_end",
            on=row["ends_on"],
            label="Fin de la mesure d'accompagnement : "
            + measure_end_text(row["ends_on"], row["renewal_count"], today),
            attention=row["overdue"] or row["ends_soon"],
            **common,
        )
        opens_on = row["ends_on"] - timedelta(days=window)
        if row["renewal_count"] < settings.MEASURE_MAX_RENEWALS and opens_on > today:
            yield AgendaItem(
                what="renewal_window",
                on=opens_on,
                label=(
                    "Renouvellement de la mesure à décider avant sa fin "
                    f"(le {row['ends_on']:%d/%m/%Y})"
                ),
                **common,
            )
        if row["quiet"]:
            last_on = row["last_follow_up_on"] or row["starts_on"]
            yield AgendaItem(
                what="no_follow_up",
                on=last_on + timedelta(days=settings.REMINDER_NO_FOLLOW_UP_DAYS),
                label=f"Aucun suivi noté depuis le {last_on:%d/%m/%Y}",
                attention=True,
                **common,
            )


def _codecisions(households, user, today):
    mine = user.partner.pk if user.partner else None
    for side in Side:
        rows = (
            waiting_with_attention(CoDecision.objects.filter(household__in=households), side, today)
            .values(
                "pk",
                "opened_at",
                "waited_too_long",
                f"{side}_id",
                f"{side}__name",
                "household_id",
                "household__reference",
            )
            .order_by("pk")
        )
        for row in rows:
            partner = "du bailleur" if side == Side.LANDLORD else "de l'association"
            whose = (
                "de votre structure"
                if row[f"{side}_id"] == mine
                else f"{partner} {row[f'{side}__name']}"
            )
            yield AgendaItem(
                kind=AgendaKind.CODECISION,
                what=f"waiting_{side}",
                on=waiting_due_on(row["opened_at"]),
                label=(
                    f"Co-décision ouverte le {timezone.localdate(row['opened_at']):%d/%m/%Y} : "
                    f"réponse {whose} attendue"
                ),
                household_id=row["household_id"],
                reference=row["household__reference"],
                object_type="codecision",
                object_id=row["pk"],
                link=reverse("codecision:detail", args=[row["pk"]]),
                attention=row["waited_too_long"],
            )


def _next_steps(households, user, today):
    """A follow-up's dated next step, until a later follow-up of the household is logged;
    flagged as the sweep reminds it (FollowUpQuerySet.with_next_step_due)."""
    rows = (
        FollowUp.objects.visible_to(user)
        .filter(household__in=households)
        .with_next_step_due(today, seen_by=user)
        .values(
            "pk",
            "next_step",
            "next_step_on",
            "next_step_due",
            "happened_on",
            "measure_id",
            "household_id",
            "household__reference",
        )
        .order_by("pk")
    )
    for row in rows:
        link = (
            reverse("actions:measure_detail", args=[row["measure_id"]])
            if row["measure_id"]
            else reverse("households:detail", args=[row["household_id"]])
        )
        yield AgendaItem(
            kind=AgendaKind.NEXT_STEP,
            what="next_step",
            on=row["next_step_on"],
            label=next_step_label(row["happened_on"]),
            household_id=row["household_id"],
            reference=row["household__reference"],
            object_type="follow_up",
            object_id=row["pk"],
            link=link,
            attention=row["next_step_due"],
            detail=row["next_step"],
        )


def _appointments(households, user, today):
    rows = (
        Appointment.objects.planned()
        .filter(household__in=households)
        .with_reminder_due(today)
        .values(
            "pk",
            "kind",
            "on",
            "at",
            "duration_minutes",
            "place",
            "reminder_due",
            "household_id",
            "household__reference",
        )
        .order_by("pk")
    )
    for row in rows:
        past = row["on"] < today
        yield AgendaItem(
            kind=AgendaKind.APPOINTMENT,
            what="appointment",
            on=row["on"],
            at=row["at"],
            minutes=row["duration_minutes"],
            label=f"Rendez-vous : {AppointmentKind(row['kind']).label.lower()}"
            + (" (à noter comme tenu ou à annuler)" if past else ""),
            household_id=row["household_id"],
            reference=row["household__reference"],
            object_type="appointment",
            object_id=row["pk"],
            link=reverse("households:detail", args=[row["household_id"]]) + "#rendez-vous",
            attention=row["reminder_due"],
            detail=row["place"],
        )
