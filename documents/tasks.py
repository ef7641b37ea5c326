from core.queue import task
from documents import services


@task
def purge_deleted_documents() -> int:
    """The documents deleted DOCUMENTS_DELETED_KEEP_DAYS ago go for good, files included."""
    return services.documents_purge_deleted()
