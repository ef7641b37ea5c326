from datetime import timedelta

from celery import shared_task

from actions import reminders
from notifications.services import send_pending_emails


@shared_task
def daily_sweep() -> dict:
    """Find every reminder due today and send the ones not sent yet; then catch up the
    single e-mails a lost task did not send."""
    sent = reminders.sweep()
    sent["emails_caught_up"] = send_pending_emails(
        older_than=timedelta(hours=1), within=timedelta(days=7)
    )
    return sent
