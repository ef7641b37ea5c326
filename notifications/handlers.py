"""Notices sent when something happens in the workflow (subscribed in notifications.wiring)."""

from codecision.events import CoDecisionOpened
from core.queue import enqueue_on_commit
from notifications.tasks import notify_codecision_opened


def codecision_opened(event: CoDecisionOpened) -> None:
    """Both sides are told, once the co-decision is saved, that it waits for them."""
    enqueue_on_commit(notify_codecision_opened, event.codecision.pk)
