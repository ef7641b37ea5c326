"""A real Celery worker, on a real (private) Redis, killed while it e-mails: counted at a
local SMTP sink, no e-mail is missing and at most the one in flight goes out twice."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from logement_toujours.celery import app
from notifications import services
from notifications.models import Notification
from tests.faults.services import free_port, private_redis

ROOT = Path(__file__).resolve().parents[2]
EMAILS = 120


class Sink:
    """An SMTP server that takes 20 ms per e-mail and counts them by subject."""

    def __init__(self):
        self.subjects: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        self.subjects[message_from_bytes(envelope.content)["Subject"]] += 1
        return "250 OK"


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_duplicates_at_most_one_email_and_loses_none(
    flow, settings, figures
):
    flow.caseworker.email = "referent@example.org"
    flow.caseworker.save(update_fields=["email"])
    notifications = Notification.objects.bulk_create(
        Notification(recipient=flow.caseworker, kind="test", text=f"Rappel n° {i:03d} — « é »")
        for i in range(EMAILS)
    )
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_CLAIM_SECONDS": "1",
    }
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    worker = None
    try:
        with private_redis() as redis:
            app.conf.broker_url, app.conf.task_always_eager = redis.url, False
            app._pool, app.amqp._producer_pool = None, None
            worker = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("celery")),
                    "-A", "logement_toujours", "worker", "--pool=solo", "--without-heartbeat",
                    "--without-gossip", "--without-mingle", "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis.url, **mail},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            services_send = app.tasks["notifications.tasks.send_immediate_emails"]
            services_send.apply_async(args=[[n.pk for n in notifications]])
            deadline = time.monotonic() + 180  # a busy machine
            while sum(sink.subjects.values()) < EMAILS // 3 and time.monotonic() < deadline:
                time.sleep(0.02)
            os.kill(worker.pid, signal.SIGKILL)  # mid-send
            worker.wait()
            sent_before_kill = sum(sink.subjects.values())
            assert 0 < sent_before_kill < EMAILS

            # The catch-up (every EMAIL_CATCH_UP_MINUTES) sends the rest, the one in flight
            # again once its claim has expired.
            time.sleep(1.2)
            settings.EMAIL_BACKEND = mail["EMAIL_BACKEND"]
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
            settings.EMAIL_CLAIM_SECONDS = 1
            services.send_pending_emails(older_than=timedelta(0), within=timedelta(days=1))
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool, app.amqp._producer_pool = None, None
        smtp.stop()
    received = sum(sink.subjects.values())
    duplicates = received - len(sink.subjects)
    print(
        f"\ne-mails: {EMAILS} to send, {sent_before_kill} before the kill, {received} received, "
        f"{EMAILS - len(sink.subjects)} missing, {duplicates} duplicate(s)"
    )
    figures.add(
        "Celery worker killed while e-mailing",
        emails_lost=EMAILS - len(sink.subjects),
        emails_twice=duplicates,
    )
    assert len(sink.subjects) == EMAILS  # none missing
    assert duplicates <= 1  # at most the one in flight
    assert not Notification.objects.filter(kind="test", emailed_at=None).exists()
