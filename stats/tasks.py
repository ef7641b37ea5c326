from core.queue import task
from core.replica import replica_reads
from stats import report


@task
def report_generate_task(report_id: int) -> int:
    """Make a requested annual report (ids in; a report already made is left as it is)."""
    with replica_reads():  # reads from the replica; the report itself is saved on default
        return report.generate(report_id=report_id).pk
