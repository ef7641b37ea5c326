import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logement_toujours.settings")

app = Celery("logement_toujours")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def embedded_broker_folders(sender, **kwargs) -> None:
    """The embedded broker (no REDIS_URL) keeps its messages in files under VAR_DIR: its
    folders are made when the application first reads its configuration, so that a fresh
    clone's first task is not lost in a folder that does not exist."""
    if not str(sender.conf.broker_url).startswith("filesystem"):
        return
    options = sender.conf.broker_transport_options
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def lower_priority(**kwargs) -> None:
    """A pool of background work (PDF summaries and reports, the nightly jobs) started with
    WORKER_NICENESS > 0 yields the processors to the web processes when both want them: a
    long PDF rendered on the same machine then barely slows the pages. Set before the pool's
    processes are made, which inherit it."""
    niceness = int(os.environ.get("WORKER_NICENESS") or 0)
    if niceness > 0:
        os.nice(niceness)
