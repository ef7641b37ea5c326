from celery import shared_task

from actions import reminders


@shared_task
def daily_sweep() -> dict:
    """Find every reminder due today and send the ones not sent yet."""
    return reminders.sweep()
