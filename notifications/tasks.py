from datetime import timedelta

from celery import shared_task

from codecision.reminders import codecision_opened_notice
from notifications import services, sweep
from partners.recipients import Recipients


@shared_task
def send_immediate_emails(notification_ids: list[int]) -> int:
    return services.send_immediate_emails(notification_ids)


@shared_task
def send_daily_digests() -> int:
    return services.send_digests()


@shared_task
def daily_sweep() -> dict:
    """Find every reminder due today and send the ones not sent yet; then catch up the
    single e-mails a lost task did not send."""
    sent = sweep.sweep()
    sent["emails_caught_up"] = services.send_pending_emails(
        older_than=timedelta(hours=1), within=timedelta(days=7)
    )
    return sent


@shared_task
def notify_codecision_opened(codecision_id: int) -> int:
    """Tell both sides' deciders that a co-decision waits for their answer (once: the daily
    sweep sends the same notice if this task was lost)."""
    due = codecision_opened_notice(codecision_id, Recipients())
    return services.deliver([due]) if due else 0
