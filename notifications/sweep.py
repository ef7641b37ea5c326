"""The daily sweep: every reminder rule the apps registered (core.reminders), run as of
today; what is due and was never sent goes out once (notifications.services.deliver).

One bad record never stops the sweep for everyone: each rule runs apart, a batch that
cannot be delivered is delivered one reminder at a time, and each failure is logged with
the rule and the record's id. A database outage is different: the sweep raises once every
rule was tried, so that the task is retried (what was sent is not sent again)."""

import logging
import time
from datetime import date

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core import reminders
from notifications.services import deliver, digest_email_soon
from partners.recipients import Recipients

logger = logging.getLogger(__name__)


def sweep(today: date | None = None) -> dict[str, int]:
    """Run every rule and send what is due; return the notifications sent per rule, and
    how many rules or reminders failed ("failures")."""
    today = today or timezone.localdate()
    people = Recipients()
    sent: dict[str, int] = {}
    failures = 0
    outage: Exception | None = None
    started = time.perf_counter()
    for rule in reminders.rules():
        count = 0
        try:
            for dues in rule(today, people):
                delivered, failed = _deliver_isolated(rule.__name__, dues, people, today)
                count, failures = count + delivered, failures + failed
        except (OperationalError, InterfaceError) as error:
            logger.exception("Reminder rule %s stopped: the database failed", rule.__name__)
            outage, failures = error, failures + 1
        except Exception:
            logger.exception("Reminder rule %s stopped by an error", rule.__name__)
            failures += 1
        sent[rule.__name__] = count
    sent["failures"] = failures
    digest_email_soon(today)
    logger.info("Reminder sweep for %s: %s in %.1f s", today, sent, time.perf_counter() - started)
    if outage is not None:
        raise outage  # the task is retried (core.queue.task); what was sent is not re-sent
    return sent


def _deliver_isolated(rule: str, dues: list, people: Recipients, today: date) -> tuple[int, int]:
    """Deliver a rule's batch; if it fails, each reminder alone. Return (sent, failed).
    What goes to the whole coordination reaches it in one daily notice per coordinator."""
    dues = [due for due in dues if due.recipients]
    options = {"coordination": people.coordinators, "today": today}
    try:
        return deliver(dues, **options), 0
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Reminder batch of %s failed: delivered one by one", rule)
    sent = failed = 0
    for due in dues:
        try:
            sent += deliver([due], **options)
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("Reminder %s %s#%s failed", due.kind, due.object_type, due.object_id)
            failed += 1
    return sent, failed
