"""Scheduling Celery tasks from a workflow step without ever breaking it.

A step saves its data first; the task goes through the outbox (core.outbox), written in the
same transaction and sent once it commits. If the broker cannot be reached in
BROKER_TIMEOUT_SECONDS, the failure is logged, the page carries on and the relay sends the
task later.

`task` declares a task as every task here must be: acknowledged once done (a worker killed
mid-task leaves it to be delivered again), retried with a growing wait when the database
fails, idempotent by construction of its service."""

from functools import partial

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core import outbox

task = partial(
    shared_task,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
)


def enqueue_on_commit(celery_task, *args) -> None:
    outbox.enqueue(celery_task, *args)
