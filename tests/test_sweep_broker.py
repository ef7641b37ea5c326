"""The sweep and its broker: a fresh clone's embedded broker makes its folders, and a sweep
whose tasks the broker does not take says so (an error in the log, `tasks_unsent`)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.queue import enqueue_on_commit
from logement_toujours.celery import app
from notifications import tasks
from notifications.tasks import daily_sweep, send_daily_digests

ROOT = Path(__file__).resolve().parent.parent


def test_a_fresh_clone_s_embedded_broker_makes_its_folders(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from notifications.tasks import send_daily_digests\n"
        "send_daily_digests.apply_async()\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env = {
        **clean,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "logement_toujours.settings",
    }
    assert not (tmp_path / "broker").exists()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert [path.suffix for path in (tmp_path / "broker").glob("*.msg")] == [".msg"]


@pytest.fixture
def unreachable_broker():
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool = app.amqp._producer_pool = None
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = app.amqp._producer_pool = None


@pytest.fixture
def sweep_that_queues(monkeypatch, django_capture_on_commit_callbacks):
    """A sweep that queues one task, committed at once as in production (a test's own
    transaction would hold it back)."""

    def sweep(today=None):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(send_daily_digests)
        return {}

    monkeypatch.setattr(tasks.sweep, "sweep", sweep)


def test_a_sweep_whose_tasks_the_broker_does_not_take_says_so(
    db, caplog, unreachable_broker, sweep_that_queues
):
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"):
        result = daily_sweep()
    assert result["tasks_unsent"] == 1
    [error] = [r for r in caplog.records if r.name == "notifications.tasks"]
    assert error.levelno == logging.ERROR and "127.0.0.1:1/0" in error.getMessage()


def test_a_sweep_whose_broker_takes_its_tasks_says_nothing(db, caplog, sweep_that_queues):
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"):
        result = daily_sweep()
    assert result["tasks_unsent"] == 0
    assert not [r for r in caplog.records if r.name == "notifications.tasks"]
