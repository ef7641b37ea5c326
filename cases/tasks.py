import logging

from celery import shared_task

from cases import privacy
from households.involvement import describe, involvement_repair

logger = logging.getLogger(__name__)


@shared_task
def nightly_privacy() -> dict:
    """Forget what the retention settings say must be forgotten, and bring every household's
    access rows back to the rule of involvement (grace periods that ended, drift), as
    `manage.py involvement_check` does; each repair is logged."""
    repaired = involvement_repair()
    for line in describe(repaired):
        logger.info("Droits d'accès réparés : %s", line)
    return {
        "access_log_deleted": privacy.purge_access_log(),
        "households_anonymised": privacy.anonymise_due_cases(),
        "access_rows_repaired": len(repaired),
    }
