import logging

from celery import shared_task

from cases import privacy
from core.queue import task
from core.replica import replica_reads
from households.involvement import describe, involvement_repair
from households.models import Household
from partners.models import User

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


@task
def render_summary(household_pk: int, user_pk: int, version: str) -> str:
    """Render a case summary for its exporter (queue `exports`): kept as a file the page's
    download link serves. Nothing to do if the household or the user is gone."""
    from cases.exports import summary_render

    household = Household.objects.filter(pk=household_pk).first()
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if household is None or user is None:
        return ""
    with replica_reads():  # the summary's contents read from the replica (core.replica)
        return str(summary_render(household, user, version))


@task
def forget_old_summaries() -> int:
    from cases.exports import forget_old_summaries as forget

    return forget()
