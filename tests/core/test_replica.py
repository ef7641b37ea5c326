"""Statistics, reports and exports read from the `replica` alias; everything else, and every
write, from `default`."""

from pathlib import Path

from django.conf import settings as django_settings
from django.db import router

from core.replica import replica_reads, replica_view
from households.models import Household

ROOT = Path(__file__).resolve().parents[2]


def test_reads_in_a_replica_block_go_to_the_replica_writes_never(settings):
    settings.READ_REPLICA = True
    assert router.db_for_read(Household) == "default"
    with replica_reads():
        assert router.db_for_read(Household) == "replica"
        assert router.db_for_write(Household) == "default"
    assert router.db_for_read(Household) == "default"
    assert replica_view(lambda: router.db_for_read(Household))() == "replica"
    assert not router.allow_migrate("replica", "households")
    assert router.allow_migrate("default", "households")


def test_without_a_replica_named_the_same_database_answers(settings):
    settings.READ_REPLICA = False  # no DATABASE_REPLICA_URL: no second connection
    with replica_reads():
        assert router.db_for_read(Household) == "default"
    replica, default = django_settings.DATABASES["replica"], django_settings.DATABASES["default"]
    assert replica["NAME"] == default["NAME"] and replica["TEST"]["MIRROR"] == "default"


def test_gunicorn_is_sized_for_two_cores(monkeypatch):
    import runpy

    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"], config["worker_class"]) == (3, 4, "gthread")
    assert config["timeout"] <= 30


def test_every_routed_queue_is_declared_so_a_plain_worker_serves_them_all():
    """`make run` starts one worker without --queues: it must serve every queue a task is
    routed to, or the embedded mode would never send a notice or render a PDF."""
    from logement_toujours.celery import app

    declared = set(app.amqp.queues)
    routed = {route["queue"] for route in django_settings.CELERY_TASK_ROUTES.values()}
    assert routed <= declared and "celery" in declared
    assert app.amqp.router.route({}, "cases.tasks.render_summary")["queue"].name == "exports"
    assert app.amqp.router.route({}, "notifications.tasks.daily_sweep")["queue"].name == "nightly"
