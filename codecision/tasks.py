from celery import shared_task

from codecision.models import CoDecision
from notifications.services import deliver


@shared_task
def notify_codecision_opened(codecision_id: int) -> int:
    """Tell both sides' deciders that a co-decision waits for their answer (once: the daily
    sweep sends the same notice if this task was lost)."""
    from actions.reminders import CODECISION_OPENED_FIELDS, Recipients, codecision_opened_due

    row = CoDecision.objects.filter(pk=codecision_id).values(*CODECISION_OPENED_FIELDS).first()
    if row is None:
        return 0
    return deliver([codecision_opened_due(row, Recipients())])
