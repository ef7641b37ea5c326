"""The transactional outbox: work that must reach the broker is written in the same
transaction as the change that causes it, so that neither is saved without the other.

- `enqueue(task, *args)` writes the message; once the transaction commits, it is sent at
  once with the broker's bounded timeouts (settings.BROKER_TIMEOUT_SECONDS: connect, write
  and read), so a broker that is down or frozen never holds a page longer than that.
- What could not be sent stays in the table: `relay()` (the beat task core.tasks.outbox_relay,
  every OUTBOX_RELAY_SECONDS) sends it, oldest first.
- Daily jobs registered with `register_daily` are re-run by the relay when their run of the
  day started and did not finish (`daily_run` records it).

Every task sent this way is idempotent: a message sent twice (the relay and the page at the
same moment) does its work once."""

import logging
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core import idempotency
from core.models import DailyRun, OutboxMessage

logger = logging.getLogger(__name__)

RELAY_BATCH = 500
# A message the page is still sending is left alone by the relay this long.
RELAY_AFTER = timedelta(seconds=10)
# A daily run that started this long ago without finishing is taken as dead; one that never
# started is sent this long after its hour.
DAILY_RUN_STALE = timedelta(minutes=30)
DAILY_RUN_GRACE = timedelta(minutes=15)
# Sent messages are kept this long (to see what went out), then deleted by the relay.
KEEP_SENT = timedelta(days=7)


# After the broker failed to take a page's message, this process leaves the next messages
# to the relay for this long instead of waiting on the broker again: a step that queues
# several tasks waits one broker timeout at most, not one per task.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def enqueue(task, *args) -> OutboxMessage:
    """Write the message in the current transaction; send it once that commits."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: publish_soon(message))
    return message


def publish_soon(message: OutboxMessage) -> bool:
    """A page's message, once its transaction committed: sent now, unless the broker just
    failed this process (then the relay sends it)."""
    global _broker_paused_until
    if clock.monotonic() < _broker_paused_until:
        return False
    if publish(message):
        return True
    _broker_paused_until = clock.monotonic() + BROKER_PAUSE_SECONDS
    return False


def resume_publishing() -> None:
    """Forget a broker failure: the next page's message is sent at once (tests, relay)."""
    global _broker_paused_until
    _broker_paused_until = 0.0


def publish(message: OutboxMessage) -> bool:
    """Send one message (bounded by the broker's timeouts) and mark it sent."""
    try:
        current_app.tasks[message.task].apply_async(args=message.args, retry=False)
    except (BrokerError, OSError):
        logger.warning(
            "Broker unreachable: %s kept in the outbox (#%s), the relay will send it",
            message.task,
            message.pk,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        published_at=timezone.now(), attempts=F("attempts") + 1
    )
    return True


def unsent_since(when: datetime) -> int:
    """How many messages written since `when` the broker has not taken yet."""
    return OutboxMessage.objects.filter(created_at__gte=when, published_at=None).count()


def relay() -> int:
    """Send what is left in the outbox and re-run unfinished daily jobs; return how many
    messages were sent. Stops at the first broker failure (the next run goes on)."""
    now = timezone.now()
    global _broker_paused_until
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                OutboxMessage.objects.filter(published_at=None, created_at__lte=now - RELAY_AFTER)
                .order_by("pk")
                .select_for_update(skip_locked=True)[:RELAY_BATCH]
            )
            for message in batch:
                if not publish(message):
                    return sent
                _broker_paused_until = 0.0  # the broker answers again: pages send at once
                sent += 1
        if len(batch) < RELAY_BATCH:
            break
    OutboxMessage.objects.filter(published_at__lt=now - KEEP_SENT).delete()
    idempotency.forget_old_keys()
    rerun_unfinished_daily_jobs(now)
    return sent


# --- Daily jobs ---------------------------------------------------------------------------

_daily: dict[str, int] = {}


def register_daily(task_name: str, *, hour: int) -> None:
    """A job that must run to the end once a day from `hour` (local time)."""
    _daily[task_name] = hour


@contextmanager
def daily_run(job: str) -> Iterator[DailyRun]:
    """Record the start of today's run of `job`, and its end if the block finishes."""
    today = timezone.localdate()
    run, created = DailyRun.objects.get_or_create(job=job, day=today)
    if not created:
        DailyRun.objects.filter(pk=run.pk).update(
            started_at=timezone.now(), attempts=F("attempts") + 1
        )
    yield run
    DailyRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())


def rerun_unfinished_daily_jobs(now: datetime) -> list[str]:
    """Send again each daily job whose hour has passed today and whose run never started,
    or started long ago without finishing. The re-send counts as a start, so that it is
    not sent again before it had its chance."""
    today = timezone.localdate(now)
    sent = []
    for job, hour in _daily.items():
        due_at = timezone.make_aware(datetime.combine(today, time(hour)))
        if now < due_at + DAILY_RUN_GRACE:
            continue
        run = DailyRun.objects.filter(job=job, day=today).first()
        if run and (run.finished_at or run.started_at > now - DAILY_RUN_STALE):
            continue
        logger.warning("Daily job %s did not finish today: sent again", job)
        DailyRun.objects.update_or_create(job=job, day=today, defaults={"started_at": now})
        publish(OutboxMessage.objects.create(task=job, args=[]))
        sent.append(job)
    return sent
