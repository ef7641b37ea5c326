import logging
from contextlib import nullcontext

from cases import privacy
from core.queue import task
from core.replica import replica_reads
from households.involvement import describe, involvement_repair
from households.models import Household
from partners.models import User

logger = logging.getLogger(__name__)


@task
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
    download link serves. Nothing to do if the household or the user is gone.

    The contents are read from the replica (core.replica) once it has caught up with the
    case as the primary sees it (the same key); a replica still behind would file old
    contents under the new key, or new ones under a key the page never asks for: then the
    primary is read."""
    from cases.exports import summary_key, summary_render

    household = Household.objects.filter(pk=household_pk).first()
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if household is None or user is None:
        return ""
    key = summary_key(household, user, version)
    with replica_reads():
        caught_up = summary_key(household, user, version) == key
    with replica_reads() if caught_up else nullcontext():
        return str(summary_render(household, user, version, key=key))


@task
def forget_old_summaries() -> int:
    from cases.exports import forget_old_summaries as forget

    return forget()
