"""The daily sweep: every reminder rule the apps registered (core.reminders), run as of
today; what is due and was never sent goes out once (notifications.services.deliver)."""

import logging
import time
from datetime import date

from django.utils import timezone

from core import reminders
from notifications.services import deliver
from partners.recipients import Recipients

logger = logging.getLogger(__name__)


def sweep(today: date | None = None) -> dict[str, int]:
    """Run every rule and send what is due; return the notifications sent per rule."""
    today = today or timezone.localdate()
    people = Recipients()
    sent: dict[str, int] = {}
    started = time.perf_counter()
    for rule in reminders.rules():
        count = 0
        for dues in rule(today, people):
            count += deliver(due for due in dues if due.recipients)
        sent[rule.__name__] = count
    logger.info("Reminder sweep for %s: %s in %.1f s", today, sent, time.perf_counter() - started)
    return sent
