"""E-mails sent once in effect: each claimed before and marked sent after its own sending,
a batch through one SMTP connection, what a dead sender left caught up every few minutes."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from notifications import services
from notifications.models import EmailMode, Notification, NotificationPreference
from notifications.tasks import email_catch_up


class CountingBackend(locmem.EmailBackend):
    """The test outbox, counting the connections opened and failing on the FAIL_AT-th
    message (an SMTP server that drops the line)."""

    opened = 0
    sent = 0
    fail_at = 0
    refused = ""

    def open(self):
        CountingBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        CountingBackend.sent += len(messages)
        if CountingBackend.sent == CountingBackend.fail_at:
            raise ConnectionResetError("the SMTP server dropped the line")
        if any(m.subject.endswith(CountingBackend.refused or "\x00") for m in messages):
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.sent = CountingBackend.fail_at = 0
    CountingBackend.refused = ""
    mail.outbox = []
    return CountingBackend


def notifications_for(user, count: int, *, minutes_ago: int = 0) -> list[Notification]:
    user.email = "referent@example.org"
    user.save(update_fields=["email"])
    made = Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", text=f"Rappel n° {i}") for i in range(count)
    )
    Notification.objects.filter(pk__in=[n.pk for n in made]).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return made


def test_a_batch_of_emails_goes_through_one_smtp_connection(flow, counting):
    made = notifications_for(flow.caseworker, 12)
    assert services.send_immediate_emails([n.pk for n in made]) == 12
    assert counting.opened == 1
    assert len(mail.outbox) == 12
    assert not Notification.objects.filter(kind="test", emailed_at=None).exists()


def test_a_sender_cut_mid_batch_leaves_the_rest_to_the_catch_up_each_sent_once(
    flow, counting, settings
):
    made = notifications_for(flow.caseworker, 6)
    counting.fail_at = 3  # the third e-mail never reaches the server
    with pytest.raises(ConnectionResetError):
        services.send_immediate_emails([n.pk for n in made])
    emailed = Notification.objects.filter(kind="test").exclude(emailed_at=None)
    assert sorted(emailed.values_list("text", flat=True)) == ["Rappel n° 0", "Rappel n° 1"]
    in_flight = Notification.objects.get(text="Rappel n° 2")
    assert in_flight.email_claimed_at is not None and in_flight.emailed_at is None
    # Untouched: not claimed, so the catch-up takes them at once.
    assert not Notification.objects.filter(kind="test", text__gt="Rappel n° 2").exclude(
        email_claimed_at=None
    )

    Notification.objects.filter(kind="test").update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    email_catch_up()
    assert [m.subject[-11:] for m in mail.outbox] == [f"Rappel n° {i}" for i in (0, 1, 3, 4, 5)]
    # The one in flight waits until its claim is stale (its sender is taken as dead).
    settings.EMAIL_CLAIM_SECONDS = 0
    email_catch_up()
    assert sorted(m.subject[-11:] for m in mail.outbox) == [f"Rappel n° {i}" for i in range(6)]
    assert not Notification.objects.filter(kind="test", emailed_at=None).exists()


def test_the_catch_up_and_the_relay_run_every_few_minutes(settings):
    catch_up = settings.CELERY_BEAT_SCHEDULE["email-catch-up"]
    assert catch_up["task"] == "notifications.tasks.email_catch_up"
    assert catch_up["schedule"] == settings.EMAIL_CATCH_UP_MINUTES * 60 <= 10 * 60
    relay = settings.CELERY_BEAT_SCHEDULE["outbox-relay"]
    assert relay["task"] == "core.tasks.outbox_relay" and relay["schedule"] <= 60


def test_a_digest_another_sender_holds_is_not_sent_twice(flow, counting, settings):
    NotificationPreference.objects.create(user=flow.caseworker, email_mode=EmailMode.DIGEST)
    made = notifications_for(flow.caseworker, 3)
    # Another run of the digest (the task delivered again) took this user's e-mail a
    # moment ago and is sending it.
    Notification.objects.filter(pk__in=[n.pk for n in made]).update(email_claimed_at=timezone.now())
    assert services.send_digests() == 0
    assert mail.outbox == []
    # Its sender died: once the claim is stale, the digest goes, once.
    settings.EMAIL_CLAIM_SECONDS = 0
    assert services.send_digests() == 1
    assert services.send_digests() == 0
    assert [m.to for m in mail.outbox] == [["referent@example.org"]]
    assert "Rappel n° 2" in mail.outbox[0].body


def test_an_email_the_server_refuses_is_logged_and_the_batch_goes_on(flow, counting, caplog):
    made = notifications_for(flow.caseworker, 4)
    counting.refused = "Rappel n° 1"  # an address the server no longer knows
    assert services.send_immediate_emails([n.pk for n in made]) == 3
    assert [m.subject[-11:] for m in mail.outbox] == ["Rappel n° 0", "Rappel n° 2", "Rappel n° 3"]
    refused = Notification.objects.get(text="Rappel n° 1")
    assert refused.emailed_at is None and refused.email_claimed_at is not None
    assert f"notification #{refused.pk} refused" in caplog.text
