"""Every Celery task of the applications runs on the queue of its kind (settings
CELERY_TASK_ROUTES), each served by its own worker pool in docker-compose.yml, and is
declared as core.queue.task says: acknowledged once done, retried when the database fails."""

from django.db import OperationalError

from logement_toujours.celery import app

APPS = (
    "core",
    "partners",
    "households",
    "codecision",
    "actions",
    "documents",
    "cases",
    "notifications",
    "funding",
    "stats",
)
KINDS = {"notices", "emails", "exports", "nightly"}


def queue_of(name: str) -> str:
    route = app.amqp.router.route({}, name)
    return route["queue"].name


def test_every_task_has_the_queue_of_its_kind():
    app.loader.import_default_modules()
    ours = sorted(name for name in app.tasks if name.split(".")[0] in APPS)
    assert ours, "no task found"
    assert {name: queue_of(name) for name in ours if queue_of(name) not in KINDS} == {}
    assert queue_of("notifications.tasks.deliver_notices") == "notices"
    assert queue_of("cases.tasks.render_summary") == "exports"
    assert queue_of("notifications.tasks.send_immediate_emails") == "emails"
    assert queue_of("notifications.tasks.daily_sweep") == "nightly"


def test_every_task_is_acknowledged_once_done_and_retried_when_the_database_fails():
    app.loader.import_default_modules()
    ours = [app.tasks[name] for name in app.tasks if name.split(".")[0] in APPS]
    assert ours, "no task found"
    careless = [
        task.name
        for task in ours
        if not (task.acks_late and task.reject_on_worker_lost)
        or OperationalError not in getattr(task, "autoretry_for", ())
        or not task.retry_backoff
    ]
    assert careless == []
