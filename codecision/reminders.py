"""What the daily sweep reminds about co-decisions, and to whom (registered in
codecision.wiring; the sweep is notifications.sweep, the rules' form core.reminders).

A co-decision's notice goes to both sides when it opens (notifications sends it as soon as
the co-decision is published, and the sweep catches up a notice whose task was lost), and a
side that has not answered after REMINDER_CODECISION_WAIT_DAYS is reminded.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock_time

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from codecision.models import CoDecision, Purpose, Side, sides_waiting
from core.reminders import Due, chunks
from households.models import ActionKind
from partners.models import Role
from partners.recipients import Recipients


def codecision_opened_due(row: dict, people: Recipients) -> Due:
    """The notice that a co-decision waits for both sides' answers, sent once: by the task
    queued when it opens, or by the sweep if that task never ran (broker down). A side that
    answered before a late notice is not asked (CoDecision.sides_waiting): nothing waits for
    it."""
    household = row["household__reference"]
    waiting = sides_waiting(row["status"], row["landlord_answer"], row["association_answer"])
    purpose = Purpose(row["purpose"]).label.lower()
    kind = ActionKind(row["kind"]).label.lower()
    deciders_roles = (Role.CESF, Role.CASEWORKER, Role.MANAGER)
    return Due(
        kind="codecision_opened",
        object_type="codecision",
        object_id=row["pk"],
        due_on=timezone.localdate(row["opened_at"]),
        text=f"{household} : nouvelle co-décision ({purpose}, {kind}) en attente de votre réponse.",
        recipients=frozenset(
            user for side in waiting for user in people.of(row[f"{side}_id"], *deciders_roles)
        ),
        household_id=row["household_id"],
        link=reverse("codecision:detail", args=[row["pk"]]),
        task=True,
    )


CODECISION_OPENED_FIELDS = [
    "pk",
    "purpose",
    "opened_at",
    "landlord_id",
    "association_id",
    "kind",
    "household_id",
    "household__reference",
    "status",
    "landlord_answer",
    "association_answer",
]


def codecisions_opened(today: date, people: Recipients) -> Iterator[list[Due]]:
    """Co-decisions opened in the last days whose notice was never sent (its task was lost
    with the broker): send it now."""
    since = today - timedelta(days=settings.REMINDER_CODECISION_WAIT_DAYS)
    codecisions = CoDecision.objects.open().filter(opened_at__date__gte=since).order_by("pk")
    for rows in chunks(codecisions, CODECISION_OPENED_FIELDS):
        yield [codecision_opened_due(row, people) for row in rows]


def waited_since(today: date) -> datetime:
    """A side is reminded once it has waited more than REMINDER_CODECISION_WAIT_DAYS by the
    clock: the co-decision opened before the sweep's hour (REMINDER_SWEEP_HOUR) that many
    days before `today`."""
    sweep_moment = timezone.make_aware(
        datetime.combine(today, clock_time(settings.REMINDER_SWEEP_HOUR))
    )
    return sweep_moment - timedelta(days=settings.REMINDER_CODECISION_WAIT_DAYS)


def waiting_with_attention(codecisions: QuerySet, side: str, today: date) -> QuerySet:
    """The co-decisions among `codecisions` waiting for `side`'s answer
    (CoDecisionQuerySet.waiting_on), each with `waited_too_long`: the one rule the reminders
    below and « Mes échéances » (cases.agenda) both read."""
    return codecisions.waiting_on(side).annotate(
        waited_too_long=ExpressionWrapper(
            Q(opened_at__lt=waited_since(today)), output_field=BooleanField()
        )
    )


def waiting_due_on(opened_at: datetime) -> date:
    """The day a waiting side is reminded (the co-decision's date in the agenda)."""
    return timezone.localdate(opened_at) + timedelta(days=settings.REMINDER_CODECISION_WAIT_DAYS)


def codecisions_waiting(today: date, people: Recipients) -> Iterator[list[Due]]:
    """A co-decision waits for a partner's answer (CoDecisionQuerySet.waiting_on) more than
    7 days: that partner's users who answer for it (landlord: CESF and manager; association:
    caseworker and manager)."""
    fields = [
        "pk",
        "opened_at",
        "landlord_id",
        "association_id",
        "household_id",
        "household__reference",
    ]
    for side, roles in (
        (Side.LANDLORD, (Role.CESF, Role.MANAGER)),
        (Side.ASSOCIATION, (Role.CASEWORKER, Role.MANAGER)),
    ):
        waited = waiting_with_attention(CoDecision.objects.all(), side, today)
        for rows in chunks(waited.filter(waited_too_long=True).order_by("pk"), fields):
            dues = []
            for row in rows:
                opened_on = timezone.localdate(row["opened_at"])
                dues.append(
                    Due(
                        kind=f"codecision_waiting_{side}",
                        object_type="codecision",
                        object_id=row["pk"],
                        due_on=waiting_due_on(row["opened_at"]),
                        text=(
                            f"{row['household__reference']} : une co-décision ouverte "
                            f"le {opened_on:%d/%m/%Y} attend la réponse de votre structure."
                        ),
                        recipients=frozenset(people.of(row[f"{side}_id"], *roles)),
                        household_id=row["household_id"],
                        link=reverse("codecision:detail", args=[row["pk"]]),
                        task=True,
                    )
                )
            yield dues


def codecision_opened_notice(codecision_id: int, people: Recipients) -> Due | None:
    """The opening notice of one co-decision (None if it no longer exists)."""
    row = CoDecision.objects.filter(pk=codecision_id).values(*CODECISION_OPENED_FIELDS).first()
    return codecision_opened_due(row, people) if row else None


RULES = [codecisions_opened, codecisions_waiting]
