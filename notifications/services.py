"""Notify users, once: in the application, and by e-mail as each user prefers."""

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue_on_commit
from core.reminders import Due
from notifications.models import (
    EmailMode,
    Notification,
    NotificationPreference,
    PendingNotice,
    Reminder,
)
from partners.models import Membership, Role, User

DELIVERY_BATCH = 2000
# E-mails sent through one SMTP connection by the catch-up.
EMAIL_BATCH = 200


def claim(keys: list[tuple]) -> set[tuple]:
    """Record these reminders as sent; return only the ones no one had recorded before.

    One INSERT … ON CONFLICT DO NOTHING RETURNING per batch: two sweeps running at once
    each get a disjoint share, so nothing is sent twice."""
    claimed: set[tuple] = set()
    table = Reminder._meta.db_table
    now = timezone.now()
    for start in range(0, len(keys), 1000):
        batch = keys[start : start + 1000]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        params = [value for key in batch for value in (*key, now)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (kind, object_type, object_id, due_on, sent_at) "
                f"VALUES {values} ON CONFLICT (kind, object_type, object_id, due_on) DO NOTHING "
                "RETURNING kind, object_type, object_id, due_on",
                params,
            )
            for kind, object_type, object_id, due_on in cursor.fetchall():
                if isinstance(due_on, str):  # SQLite returns dates as text
                    due_on = date.fromisoformat(due_on)
                claimed.add((kind, object_type, object_id, due_on))
    return claimed


@transaction.atomic
def deliver(dues: Iterable[Due]) -> int:
    """Send the reminders that were not sent before; return how many notifications."""
    dues = {due.key: due for due in dues}
    if not dues:
        return 0
    fresh = claim(list(dues))
    notifications = (
        Notification(
            recipient_id=recipient,
            kind=dues[key].kind,
            text=dues[key].text,
            household_id=dues[key].household_id,
            link=dues[key].link,
            object_type=dues[key].object_type,
            object_id=dues[key].object_id,
            task=dues[key].task,
        )
        for key in sorted(fresh, key=str)
        for recipient in sorted(dues[key].recipients)
    )
    # Stored and queued for e-mail a batch at a time: a reminder may go to every
    # coordinator, so memory is bounded by the batch, not by reminders × recipients.
    sent = 0
    while batch := list(islice(notifications, DELIVERY_BATCH)):
        Notification.objects.bulk_create(batch)
        _email_soon(batch)
        sent += len(batch)
    return sent


def notify(
    *, recipients: Iterable[User | int], kind: str, text: str, household=None, link: str = ""
) -> list[Notification]:
    """A notification for a workflow event (not a reminder): sent every time it happens."""
    ids = {r if isinstance(r, int) else r.pk for r in recipients}
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient_id=i, kind=kind, text=text, household=household, link=link)
            for i in sorted(ids)
        ]
    )
    _email_soon(notifications)
    return notifications


# --- Notices of workflow events (notifications.handlers) -----------------------------------

# Who hears of an event on a partner's side: the people who work the cases and answer for it.
PARTNER_ROLES = (Role.CESF, Role.CASEWORKER, Role.MANAGER)
# A notice whose own task did not deliver it after this long is delivered by the catch-up.
NOTICE_CATCH_UP_AFTER = timedelta(minutes=2)


def members(partner_ids: Iterable[int | None], roles: Iterable[str] = PARTNER_ROLES) -> set[int]:
    """The active users of these partners in these roles."""
    partner_ids = {pk for pk in partner_ids if pk}
    if not partner_ids:
        return set()
    return set(
        Membership.objects.filter(
            partner_id__in=partner_ids, role__in=list(roles), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def coordinators() -> set[int]:
    return set(
        Membership.objects.filter(role=Role.COORDINATOR, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def queue_notice(
    *,
    kind: str,
    text: str,
    recipients: Iterable[int],
    household=None,
    link: str = "",
    object_type: str = "",
    object_id: int | None = None,
    task: bool = False,
) -> PendingNotice | None:
    """Write the notice of an event in the event's transaction; it is delivered once that
    commits (its task), or by the catch-up if the task was lost. Nothing if no one hears."""
    from notifications.tasks import deliver_notices as deliver_task  # the tasks call these

    recipients = sorted(set(recipients))
    if not recipients:
        return None
    notice = PendingNotice.objects.create(
        kind=kind,
        text=text,
        recipients=recipients,
        household=household,
        link=link,
        object_type=object_type,
        object_id=object_id,
        task=task,
    )
    enqueue_on_commit(deliver_task, [notice.pk])
    return notice


def deliver_notices(notice_ids: list[int] | None = None, *, older_than: timedelta | None = None):
    """Deliver these pending notices (or all those older than `older_than`): each once,
    whoever delivers it (its key in the reminders' table), then forgotten. Return how many
    notifications were made."""
    made = 0
    while True:
        handled, count = _deliver_batch(notice_ids, older_than)
        made += count
        if handled < DELIVERY_BATCH:
            return made


@transaction.atomic
def _deliver_batch(notice_ids: list[int] | None, older_than: timedelta | None) -> tuple[int, int]:
    pending = PendingNotice.objects.order_by("pk").select_for_update(skip_locked=True)
    if notice_ids is not None:
        pending = pending.filter(pk__in=notice_ids)
    if older_than is not None:
        pending = pending.filter(created_at__lte=timezone.now() - older_than)
    notices = list(pending[:DELIVERY_BATCH])
    if not notices:
        return 0, 0
    keys = {
        (f"notice_{n.kind}"[:40], "notice", n.pk, timezone.localdate(n.created_at)): n
        for n in notices
    }
    fresh = claim(list(keys))
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient,
                kind=notice.kind,
                text=notice.text,
                household_id=notice.household_id,
                link=notice.link,
                object_type=notice.object_type,
                object_id=notice.object_id,
                task=notice.task,
                created_at=notice.created_at,
            )
            for key, notice in sorted(keys.items(), key=lambda item: item[1].pk)
            if key in fresh
            for recipient in notice.recipients
        ]
    )
    _email_soon(made)
    PendingNotice.objects.filter(pk__in=[n.pk for n in notices]).delete()
    return len(notices), len(made)


def deliver_lost_notices() -> int:
    """The notices whose task never ran (broker down, worker killed): delivered now."""
    return deliver_notices(older_than=NOTICE_CATCH_UP_AFTER)


def tasks_done(
    *, object_type: str, object_id: int, partner_ids: Iterable[int] | None = None, kinds=None
) -> int:
    """The tasks about this object are done: for the users of these partners (None: for
    everyone). Done tasks are read too: they no longer count in the header."""
    tasks = Notification.objects.filter(
        task=True, done_at=None, object_type=object_type, object_id=object_id
    )
    if partner_ids is not None:
        users = Membership.objects.filter(partner_id__in=list(partner_ids)).values("user_id")
        tasks = tasks.filter(recipient_id__in=users)
    if kinds is not None:
        tasks = tasks.filter(kind__in=list(kinds))
    now = timezone.now()
    count = tasks.filter(read_at=None).update(done_at=now, read_at=now)
    return count + tasks.update(done_at=now)


def to_do_count(user) -> int:
    """The header's « en attente » badge: tasks not done yet, read or not."""
    return Notification.objects.filter(recipient=user, task=True, done_at=None).count()


def _email_soon(notifications: list[Notification]) -> None:
    if not notifications:
        return
    from notifications.tasks import send_immediate_emails  # the tasks call these services

    ids = [n.pk for n in notifications if n.pk]
    if ids:
        enqueue_on_commit(send_immediate_emails, ids)


def email_mode(user_id: int, modes: dict[int, str]) -> str:
    return modes.get(user_id, EmailMode.IMMEDIATE)


def claim_email(notification_id: int) -> bool:
    """Take one notification's e-mail for sending: true for one sender only. A claim older
    than EMAIL_CLAIM_SECONDS (its sender died) may be taken again."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
    return bool(
        Notification.objects.filter(pk=notification_id, emailed_at=None)
        .filter(Q(email_claimed_at=None) | Q(email_claimed_at__lt=stale))
        .update(email_claimed_at=now)
    )


def send_immediate_emails(notification_ids: list[int]) -> int:
    """E-mail each notification to recipients who want single e-mails, through one SMTP
    connection; each is claimed before and marked sent after its own e-mail, so a sender
    killed mid-batch re-sends at most the one in flight."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at=None)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    modes = dict(
        NotificationPreference.objects.filter(
            user_id__in={n.recipient_id for n in pending}
        ).values_list("user_id", "email_mode")
    )
    wanted = [n for n in pending if email_mode(n.recipient_id, modes) == EmailMode.IMMEDIATE]
    if not wanted:
        return 0
    sent = 0
    with get_connection() as smtp:
        for notification in wanted:
            if not claim_email(notification.pk):
                continue
            EmailMessage(
                subject=f"[Le logement toujours] {notification.text[:80]}",
                body=_body([notification]),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.recipient.email],
                connection=smtp,
            ).send()
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_pending_emails(*, older_than: timedelta, within: timedelta) -> int:
    """Single e-mails whose task never ran (broker down): notifications made between
    `within` and `older_than` ago and not e-mailed yet, sent now, a batch at a time."""
    now = timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at=None, created_at__lte=now - older_than, created_at__gte=now - within
        )
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent, last = 0, 0
    while ids := list(pending.filter(pk__gt=last)[:EMAIL_BATCH]):
        sent += send_immediate_emails(ids)
        last = ids[-1]
    return sent


def send_digests() -> int:
    """One e-mail per user who chose the daily digest, with what was not e-mailed yet."""
    users = NotificationPreference.objects.filter(email_mode=EmailMode.DIGEST).values_list(
        "user_id", flat=True
    )
    pending = (
        Notification.objects.filter(recipient_id__in=users, emailed_at=None)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.recipient_id, []).append(notification)
    with get_connection() as smtp:
        for notifications in by_user.values():
            EmailMessage(
                subject=f"[Le logement toujours] {len(notifications)} notification(s) du jour",
                body=_body(notifications),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notifications[0].recipient.email],
                connection=smtp,
            ).send()
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=timezone.now()
            )
    return len(by_user)


def _body(notifications: list[Notification]) -> str:
    base = settings.SITE_URL.rstrip("/")
    lines = [f"- {n.text}" + (f"\n  {base}{n.link}" if n.link else "") for n in notifications]
    return (
        "Bonjour,\n\n"
        + "\n".join(lines)
        + "\n\nCes messages ne contiennent pas de données personnelles : "
        "connectez-vous pour voir le dossier.\n"
    )
