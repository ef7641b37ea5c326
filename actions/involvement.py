"""What involves partners in a household on the workflow's side, for the rule of
involvement (households.involvement, registered in actions.wiring):

- an orientation, through its action: the partner that proposed it, the association and the
  landlord named, while the action is open (until it is rejected or closed);
- a measure: its action's landlord and association, while it is active.

When each ended is read from its history: the first change that left it ended.
"""

from collections.abc import Iterator
from functools import cache

from django.db.models import OuterRef, Subquery

from actions.models import (
    Action,
    ActionStatus,
    MeasureStatus,
    OutreachRequest,
    OutreachStatus,
    SupportMeasure,
)
from households.involvement import LONG_AGO, Involvement

# An action is over once rejected or closed (ActionQuerySet.open says the same).
ENDED_ACTION = [ActionStatus.REJECTED, ActionStatus.CLOSED]


@cache
def _historical(model):
    """The model's historical model, read once: each access to `Model.history` builds a
    manager class (the household page reads the involvement)."""
    return model.history.model


def _ended_at(model, statuses):
    """When the record first reached one of `statuses` (its history)."""
    history = _historical(model).objects.filter(id=OuterRef("pk"), status__in=statuses)
    return Subquery(history.order_by("history_date").values("history_date")[:1])


def orientation_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    actions = Action.objects.all()
    if household_ids is not None:
        actions = actions.filter(household_id__in=household_ids)
    rows = actions.annotate(ended_at=_ended_at(Action, ENDED_ACTION)).values_list(
        "household_id",
        "status",
        "ended_at",
        "orientation__proposed_by_partner_id",
        "landlord_id",
        "association_id",
    )
    for household_id, status, ended_at, *partners in rows:
        ended = None if status not in ENDED_ACTION else (ended_at or LONG_AGO)
        for partner_id in set(partners):
            yield Involvement(household_id, partner_id, "pré-orientation", ended)


def measure_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    measures = SupportMeasure.objects.all()
    if household_ids is not None:
        measures = measures.filter(action__household_id__in=household_ids)
    rows = measures.annotate(
        ended_at=_ended_at(SupportMeasure, [MeasureStatus.CLOSED])
    ).values_list(
        "action__household_id",
        "status",
        "ended_at",
        "action__landlord_id",
        "action__association_id",
    )
    for household_id, status, ended_at, *partners in rows:
        ended = None if status == MeasureStatus.ACTIVE else (ended_at or LONG_AGO)
        for partner_id in set(partners):
            yield Involvement(household_id, partner_id, "mesure d'accompagnement", ended)


def outreach_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    """An accepted outreach request involves its association while it runs; ended, for the
    grace period (its end is read from the request). A pending or declined one involves no
    one: the association reads nothing of the file before it accepts."""
    requests = OutreachRequest.objects.filter(
        status__in=[OutreachStatus.ACCEPTED, OutreachStatus.CLOSED]
    )
    if household_ids is not None:
        requests = requests.filter(household_id__in=household_ids)
    rows = requests.values_list("household_id", "association_id", "status", "closed_at")
    for household_id, association_id, status, closed_at in rows:
        ended = None if status == OutreachStatus.ACCEPTED else (closed_at or LONG_AGO)
        yield Involvement(household_id, association_id, "aller-vers", ended)
