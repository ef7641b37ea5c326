"""Reads for statistics, reports and exports go to a read-only copy of the database.

`replica_reads()` marks a block (a statistics page, the annual report's task, a PDF
summary's rendering) whose reads the database router (`ReplicaRouter`, settings
DATABASE_ROUTERS) sends to the `replica` alias: a PostgreSQL streaming replica in production
(DATABASE_REPLICA_URL), the same database by default. Writes always go to `default`, and
so does every read outside such a block (a page that has just saved reads its own write)."""

from contextlib import contextmanager
from contextvars import ContextVar

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


@contextmanager
def replica_reads():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_view(view):
    """A view whose reads go to the replica (statistics pages and exports)."""
    from functools import wraps

    @wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads in a `replica_reads()` block to `replica` when READ_REPLICA is on (by default
    when DATABASE_REPLICA_URL names a replica: otherwise it would only open a second
    connection to the same database)."""

    def db_for_read(self, model, **hints):
        from django.conf import settings

        return REPLICA if settings.READ_REPLICA and _reading_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
