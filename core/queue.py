"""Scheduling Celery tasks from a workflow step without ever breaking it.

A step saves its data first; the task is sent once the transaction commits. If the broker
cannot be reached, the failure is logged and the page carries on: the daily sweep catches up
whatever the task would have done."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


def send_safely(task, *args) -> bool:
    try:
        task.apply_async(args=args, retry=False)
    except (BrokerError, OSError):
        logger.warning("Broker unreachable: %s not sent, the sweep will catch up", task.name)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: send_safely(task, *args))
