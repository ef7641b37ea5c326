from core import outbox
from core.queue import task


@task
def outbox_relay() -> int:
    """Send what the pages could not send, and re-run an unfinished daily job."""
    return outbox.relay()
