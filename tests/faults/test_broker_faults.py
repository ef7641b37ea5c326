"""A broker that is frozen or gone never holds a page, and nothing queued is lost: the task
waits in the outbox, saved with the change, and the relay sends it once the broker answers."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Orientation
from core import outbox
from core.models import OutboxMessage
from logement_toujours.celery import app
from tests.factories import diagnostic_create, household_create
from tests.faults.services import private_redis


def reset_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def frozen_redis():
    """A real redis-server, then frozen (alive, answering nothing) with SIGSTOP."""
    with private_redis() as redis:
        saved = (app.conf.broker_url, app.conf.task_always_eager)
        saved_options = app.conf.broker_transport_options
        app.conf.broker_url, app.conf.task_always_eager = redis.url, False
        app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {
            "socket_timeout": settings.BROKER_TIMEOUT_SECONDS,
            "socket_connect_timeout": settings.BROKER_TIMEOUT_SECONDS,
        }
        reset_connections()
        # A connection opened while it answered, as in a worker that served pages before.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        try:
            yield redis
        finally:
            redis.thaw()
            app.conf.broker_url, app.conf.task_always_eager = saved
            app.conf.broker_transport_options = saved_options
            reset_connections()


def post_orientation(client, flow):
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    client.force_login(flow.cesf)
    client.get(reverse("actions:orientation_create", args=[household.pk]))  # the form, read
    sent_at = time.monotonic()
    response = client.post(
        reverse("actions:orientation_create", args=[household.pk]),
        {
            "kind": "energy",
            "diagnostic": diagnostic.pk,
            "association": flow.association.pk,
            "reason": "Factures d'énergie « impayées » depuis l'hiver 🥶.",
        },
    )
    return household, response, sent_at


@pytest.mark.broker
def test_a_frozen_broker_answers_the_page_in_bounded_time_and_the_relay_sends_later(
    client, flow, frozen_redis, django_capture_on_commit_callbacks, figures
):
    frozen_redis.freeze()
    with django_capture_on_commit_callbacks() as after_commit:
        household, response, request_started = post_orientation(client, flow)
    assert response.status_code == 302
    assert Orientation.objects.filter(household=household).exists()
    # What the page does with the broker once saved waits at most the broker's timeout,
    # not gunicorn's 60 s.
    started = time.monotonic()
    for callback in after_commit:
        callback()
    assert time.monotonic() - started < settings.BROKER_TIMEOUT_SECONDS + 1
    longest = time.monotonic() - request_started  # the whole request, its commit's sending too
    figures.add(
        "Redis frozen (SIGSTOP) while a page queues a task",
        attempted=1,
        lost=0 if Orientation.objects.filter(household=household).exists() else 1,
        frozen_seconds=longest,
    )
    assert longest < 3
    # Every message of the step waits in the outbox: the first one waited the broker's
    # timeout, the next ones were left to the relay at once.
    waiting = OutboxMessage.objects.filter(published_at=None)
    tasks = list(waiting.values_list("task", flat=True))
    assert "notifications.tasks.notify_codecision_opened" in tasks
    assert len(tasks) == len(after_commit)

    # While frozen, the relay gives up in bounded time and keeps the messages.
    waiting.update(created_at=timezone.now() - timedelta(minutes=1))
    started = time.monotonic()
    assert outbox.relay() == 0
    assert time.monotonic() - started < settings.BROKER_TIMEOUT_SECONDS + 1
    assert waiting.count() == len(tasks)

    frozen_redis.thaw()
    reset_connections()
    assert outbox.relay() == len(tasks)
    assert not waiting.exists()


def test_a_message_is_written_with_the_change_and_vanishes_with_its_rollback(flow):
    from django.db import transaction

    from notifications.tasks import email_catch_up

    class Abandoned(Exception):
        pass

    before = OutboxMessage.objects.count()
    with pytest.raises(Abandoned), transaction.atomic():
        outbox.enqueue(email_catch_up)
        assert OutboxMessage.objects.count() == before + 1
        raise Abandoned
    assert OutboxMessage.objects.count() == before
