"""The daily sweep run on consecutive days, as beat runs it: each reminder reaches each
person once, whatever day it is first due. A reminder keyed on « today » instead of its
due date would be sent again every morning; these tests catch it."""

from collections import Counter
from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone

from codecision import services as codecision_services
from notifications.models import Notification
from notifications.sweep import sweep
from partners.models import Role
from tests.factories import orientation_create, start_measure, user_create


def sweep_every_day(first: date, last: date) -> None:
    day = first
    while day <= last:
        moment = timezone.make_aware(datetime(day.year, day.month, day.day, 6, 0))
        with time_machine.travel(moment, tick=False):
            sweep(day)
        day += timedelta(days=1)


def received(user, household) -> Counter:
    return Counter(
        Notification.objects.filter(recipient=user, household=household).values_list(
            "kind", flat=True
        )
    )


def test_a_measure_reminds_each_step_once_over_consecutive_days(flow):
    measure = start_measure(flow, date(2026, 1, 2))  # ends on 2 July 2026
    household = measure.action.household
    sweep_every_day(date(2026, 1, 28), date(2026, 2, 6))  # no follow-up since 2 January
    sweep_every_day(date(2026, 5, 30), date(2026, 7, 8))  # its end, then overdue
    kinds = received(flow.caseworker, household)
    assert kinds["no_follow_up"] == 1
    assert kinds["measure_end_30"] == 1
    assert kinds["measure_end_7"] == 1
    assert kinds["measure_overdue"] == 1
    # The coordination has them in its daily notices, one per day, not one per measure.
    assert received(flow.coordinator, household) == {}
    digests = Notification.objects.filter(recipient=flow.coordinator, kind="coordination_digest")
    counts = [n.digest_counts for n in digests.order_by("digest_on")]
    assert counts == [{"measure_end_30": 1}, {"measure_end_7": 1}, {"measure_overdue": 1}]


def test_a_waiting_codecision_reminds_each_side_once_over_consecutive_days(flow):
    manager = user_create(Role.MANAGER, partner=flow.association)
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 27, 10, 0))):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision = orientation.action.codecisions.get()
        codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    household = orientation.household
    sweep_every_day(date(2026, 3, 27), date(2026, 4, 20))
    assert received(flow.caseworker, household)["codecision_waiting_association"] == 1
    assert received(manager, household)["codecision_waiting_association"] == 1
    assert received(flow.cesf, household)["codecision_waiting_landlord"] == 0
    assert received(flow.caseworker, household)["codecision_opened"] == 1
