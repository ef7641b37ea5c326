from celery import shared_task

from stats import report


@shared_task
def report_generate_task(report_id: int) -> int:
    """Make a requested annual report (ids in; a report already made is left as it is)."""
    return report.generate(report_id=report_id).pk
