from celery import shared_task

from cases import privacy


@shared_task
def nightly_privacy() -> dict:
    """Forget what the retention settings say must be forgotten."""
    return {
        "access_log_deleted": privacy.purge_access_log(),
        "households_anonymised": privacy.anonymise_due_cases(),
    }
