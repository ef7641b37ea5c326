"""One bad record never stops the sweep for everyone; a database outage makes it run again,
by Celery's retry or by the outbox relay, and what was sent is not sent twice."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta

import psycopg
import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from actions import reminders as actions_reminders
from actions.deadlines import procedure_deadlines
from actions.models import EvictionProcedure
from core import outbox, reminders
from core.models import DailyRun
from notifications.models import Notification
from notifications.sweep import sweep
from notifications.tasks import DAILY_SWEEP, daily_sweep
from tests.factories import start_measure


def test_a_procedure_whose_deadlines_fail_is_skipped_and_logged_the_rest_is_sent(
    flow, caplog, monkeypatch
):
    # The database holds every date within the calendar (procedure_dates_plausible): the
    # failure a record could still cause is a value no rule foresaw, here in its deadlines.
    broken = start_measure(flow, date(2026, 1, 5), kind="sliding_lease_eviction")
    broken_procedure = broken.action.household.procedure
    healthy = start_measure(flow, date(2026, 1, 5), kind="sliding_lease_eviction")
    EvictionProcedure.objects.filter(household=healthy.action.household).update(
        hearing_on=date(2026, 9, 10)
    )
    EvictionProcedure.objects.filter(pk=broken_procedure.pk).update(hearing_on=date(2026, 9, 10))

    def deadlines_failing_for_one(procedure, today):
        if procedure.pk == broken_procedure.pk:
            raise OverflowError("date value out of range")
        return procedure_deadlines(procedure, today)

    monkeypatch.setattr(actions_reminders, "procedure_deadlines", deadlines_failing_for_one)
    sent = sweep(date(2026, 9, 1))
    assert f"procedure #{broken_procedure.pk}" in caplog.text
    hearings = Notification.objects.filter(kind="legal_hearing")
    assert not hearings.filter(household_id=broken.action.household_id).exists()
    # The other procedure's hearing, after the broken record in the same rule, is reminded;
    # the rules after it still ran: the measures' overdue reminders.
    assert hearings.filter(household_id=healthy.action.household_id).exists()
    assert Notification.objects.filter(
        kind="measure_overdue", household_id=healthy.action.household_id
    ).exists()
    assert sent["failures"] == 0 and sent["legal_deadlines"] >= 1


def test_a_rule_that_fails_is_logged_and_the_other_rules_still_run(flow, caplog, monkeypatch):
    def broken_rule(today, people):
        raise ValueError("une valeur qu'aucune règle n'a prévue")
        yield []

    monkeypatch.setattr(reminders, "_rules", [broken_rule, *reminders.rules()])
    measure = start_measure(flow, date(2026, 1, 5))
    sent = sweep(date(2026, 9, 1))
    assert sent["failures"] == 1 and "broken_rule" in caplog.text
    assert Notification.objects.filter(
        kind="measure_overdue", household_id=measure.action.household_id
    ).exists()


@contextmanager
def table_held_elsewhere(table: str):
    """Another connection holds the table locked: every query on it waits."""
    other = psycopg.connect(
        **{
            key: value
            for key, value in {
                "dbname": connection.settings_dict["NAME"],
                "user": connection.settings_dict["USER"],
                "password": connection.settings_dict["PASSWORD"],
                "host": connection.settings_dict["HOST"],
                "port": connection.settings_dict["PORT"],
            }.items()
            if value
        }
    )
    try:
        other.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        other.rollback()
        other.close()


def test_a_sweep_during_a_database_outage_fails_and_is_run_again_by_the_relay(flow):
    measure = start_measure(flow, date(2026, 1, 5))
    reminded = Notification.objects.filter(
        kind="measure_overdue", household_id=measure.action.household_id, recipient=flow.caseworker
    )
    at_seven = timezone.make_aware(datetime(2026, 9, 1, 7, 0))
    with time_machine.travel(at_seven, tick=False), table_held_elsewhere("notifications_reminder"):
        # The database stops answering the sweep's writes: they wait, then fail.
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT before_outage")
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        with pytest.raises(OperationalError):
            daily_sweep.run()
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK TO SAVEPOINT before_outage")
        run = DailyRun.objects.filter(job=DAILY_SWEEP, day=date(2026, 9, 1)).first()
        assert run is None or run.finished_at is None
        assert not reminded.exists()
    # Celery retries it (database errors, growing waits), and the relay runs it again once
    # the run is stale: here the relay, 40 minutes later.
    assert OperationalError in daily_sweep.autoretry_for and daily_sweep.acks_late
    with time_machine.travel(at_seven + timedelta(minutes=40), tick=False):
        assert outbox.rerun_unfinished_daily_jobs(timezone.now()) == [DAILY_SWEEP]
        assert DailyRun.objects.get(job=DAILY_SWEEP, day=date(2026, 9, 1)).finished_at
        assert reminded.count() == 1
        # Finished: the relay leaves it alone, and a second run sends nothing twice.
        assert outbox.rerun_unfinished_daily_jobs(timezone.now()) == []
        daily_sweep.run()
    assert reminded.count() == 1


def test_the_relay_runs_a_sweep_that_never_started_once_its_hour_has_passed(flow):
    with time_machine.travel(timezone.make_aware(datetime(2026, 9, 2, 6, 5)), tick=False):
        assert outbox.rerun_unfinished_daily_jobs(timezone.now()) == []  # beat's turn still
    with time_machine.travel(timezone.make_aware(datetime(2026, 9, 2, 6, 30)), tick=False):
        assert outbox.rerun_unfinished_daily_jobs(timezone.now()) == [DAILY_SWEEP]
        assert DailyRun.objects.get(job=DAILY_SWEEP, day=date(2026, 9, 2)).finished_at
