"""Tasks through a real broker, and pages that keep working when the broker is down."""

import os
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import Orientation
from core.models import OutboxMessage
from logement_toujours.celery import app
from notifications.models import Notification
from notifications.tasks import daily_sweep
from tests.factories import diagnostic_create, household_create


def reset_connections() -> None:
    """Forget the broker connections made with the previous settings."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def unreachable_broker():
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    reset_connections()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_connections()


def test_pages_keep_working_and_data_is_saved_when_the_broker_is_down(
    client, flow, unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    client.force_login(flow.cesf)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actions:orientation_create", args=[household.pk]),
            {
                "kind": "energy",
                "diagnostic": diagnostic.pk,
                "association": flow.association.pk,
                "reason": "Factures d'énergie.",
            },
        )
    assert response.status_code == 302
    assert Orientation.objects.filter(household=household).exists()
    assert "kept in the outbox" in caplog.text
    assert client.get(response.url).status_code == 200
    # The task waits in the outbox for the relay, saved with the orientation.
    assert OutboxMessage.objects.filter(
        task="notifications.tasks.notify_codecision_opened", published_at=None
    ).exists()

    # The notice and its e-mail that the lost task would have sent: the sweep sends them,
    # once, and the e-mails a task should have sent an hour ago.
    flow.caseworker.email = "referent@example.org"
    flow.caseworker.save(update_fields=["email"])
    notices = Notification.objects.filter(recipient=flow.caseworker, kind="codecision_opened")
    assert not notices.exists()
    daily_sweep()
    assert notices.count() == 1 and household.reference in notices.get().text
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        result = daily_sweep()
    assert notices.count() == 1
    assert result["emails_caught_up"] >= 1
    about_codecision = [m.to for m in mail.outbox if "co-décision" in m.body]
    assert about_codecision == [[flow.caseworker.email]]
    # The notice that the household is now shared with the association, whose task was lost
    # with the broker too, was caught up by the sweep, once.
    shared = Notification.objects.filter(recipient=flow.caseworker, kind="household_shared")
    assert shared.count() == 1 and household.reference in shared.get().text
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        daily_sweep()
    assert not any(household.reference in m.body for m in mail.outbox)


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_through_a_real_redis_broker_and_worker(flow):
    """A real worker (in a thread of this process) consumes from Redis; the sweep it runs
    writes the notifications to the database."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs REDIS_URL (CI sets it)")
    from datetime import timedelta

    from celery.contrib.testing.worker import start_worker
    from django.utils import timezone

    from notifications.tasks import daily_sweep
    from tests.factories import start_measure

    measure = start_measure(flow, timezone.localdate() - timedelta(days=200))
    broker = redis_url.rsplit("/", 1)[0] + "/5"
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.result_backend)
    app.conf.broker_url, app.conf.task_always_eager = broker, False
    app.conf.result_backend = "cache+memory://"
    reset_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            daily_sweep.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if Notification.objects.filter(
                    recipient=flow.caseworker,
                    kind="measure_overdue",
                    household_id=measure.action.household_id,
                ).exists():
                    break
                time.sleep(0.2)
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.result_backend = saved
        reset_connections()
    assert Notification.objects.filter(
        recipient=flow.caseworker, kind="measure_overdue", household_id=measure.action.household_id
    ).exists()
