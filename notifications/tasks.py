import logging
from datetime import timedelta

from django.utils import timezone

from codecision.reminders import codecision_opened_notice
from core.outbox import daily_run, unsent_since
from core.queue import task
from notifications import services, sweep
from partners.recipients import Recipients

DAILY_SWEEP = "notifications.tasks.daily_sweep"
# E-mails are caught up once their own task had this long to send them.
CATCH_UP_AFTER = timedelta(minutes=2)

logger = logging.getLogger(__name__)


@task
def send_immediate_emails(notification_ids: list[int]) -> int:
    return services.send_immediate_emails(notification_ids)


@task
def send_daily_digests() -> int:
    return services.send_digests()


@task
def email_catch_up() -> int:
    """Every EMAIL_CATCH_UP_MINUTES: the event notices and the single e-mails a lost or
    killed task did not deliver."""
    services.deliver_lost_notices()
    return services.send_pending_emails(older_than=CATCH_UP_AFTER, within=timedelta(days=7))


@task
def purge_read_notifications() -> int:
    """Nightly: notifications read more than NOTIFICATIONS_READ_RETENTION_DAYS ago."""
    return services.purge_read()


@task(name=DAILY_SWEEP)
def daily_sweep() -> dict:
    """Find every reminder due today and send the ones not sent yet; then catch up the
    single e-mails a lost task did not send. A run that does not finish (worker killed,
    database down) is run again: by Celery's retry, or by the outbox relay.

    A broker that takes none of the tasks the sweep queued (missing, down) is said loudly:
    an error in the log, and `tasks_unsent` in the result; the tasks wait in the outbox for
    the relay."""
    started = timezone.now()
    with daily_run(DAILY_SWEEP):
        sent = sweep.sweep()
        sent["notices_caught_up"] = services.deliver_lost_notices()
        sent["emails_caught_up"] = services.send_pending_emails(
            older_than=CATCH_UP_AFTER, within=timedelta(days=7)
        )
        sent["tasks_unsent"] = unsent_since(started)
    if sent["tasks_unsent"]:
        logger.error(
            "Daily sweep: the broker (%s) took none of %s task(s) queued since the sweep "
            "started; they wait in the outbox for the relay",
            daily_sweep.app.conf.broker_url.split("@")[-1],
            sent["tasks_unsent"],
        )
    return sent


@task
def notify_codecision_opened(codecision_id: int) -> int:
    """Tell both sides' deciders that a co-decision waits for their answer (once: the daily
    sweep sends the same notice if this task was lost)."""
    due = codecision_opened_notice(codecision_id, Recipients())
    return services.deliver([due]) if due else 0


@task
def deliver_notices(notice_ids: list[int]) -> int:
    """Deliver the notices of a workflow event once it committed (once: the catch-up and
    the daily sweep deliver a notice whose task was lost, never twice)."""
    return services.deliver_notices(notice_ids)
