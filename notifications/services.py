"""Notify users, once: in the application, and by e-mail as each user prefers."""

import logging
import smtplib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.keyset import after as keyset_after
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

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 2000
# E-mails sent through one SMTP connection by the catch-up.
EMAIL_BATCH = 200
# The coordination's daily notice of reminders (one row per coordinator and day).
DIGEST_KIND = "coordination_digest"
# The header counts unread notifications up to this many and shows « 99+ » beyond.
UNREAD_CAP = 99
# Notifications per page of the centre.
PAGE_SIZE = 50
# Read notifications deleted per statement by the purge.
PURGE_BATCH = 5000

# How the coordination's daily notice names each kind of reminder (plural), by kind prefix.
DIGEST_LABELS = [
    ("measure_end_", "mesure(s) dont la fin approche"),
    ("measure_overdue", "mesure(s) échue(s) sans renouvellement ni clôture"),
    ("codecision_", "co-décision(s) en attente"),
    ("no_follow_up", "mesure(s) sans suivi récent"),
]


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
def deliver(
    dues: Iterable[Due], *, coordination: frozenset[int] = frozenset(), today: date | None = None
) -> int:
    """Send the reminders that were not sent before; return how many notifications.

    `coordination` is every coordinator (the sweep passes them): a reminder that goes to
    its owner (a referent, a manager) and, for information, to the whole coordination
    reaches each coordinator through one daily notice (`DIGEST_KIND`, counted by kind)
    rather than as one notification per measure. A reminder meant for the coordination
    alone (nobody else follows the case) stays a notification of its own."""
    dues = {due.key: due for due in dues}
    if not dues:
        return 0
    fresh = claim(list(dues))
    digested: Counter[str] = Counter()

    def recipients_of(due: Due) -> list[int]:
        if coordination and coordination <= due.recipients and due.recipients - coordination:
            digested[due.kind] += 1
            return sorted(due.recipients - coordination)
        return sorted(due.recipients)

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
        for recipient in recipients_of(dues[key])
    )
    # Stored and queued for e-mail a batch at a time: a reminder may go to every
    # coordinator, so memory is bounded by the batch, not by reminders × recipients.
    sent = 0
    while batch := list(islice(notifications, DELIVERY_BATCH)):
        Notification.objects.bulk_create(batch)
        _email_soon(batch)
        sent += len(batch)
    if digested:  # not counted in `sent`: the notices are the coordination's, not the rule's
        _digest_add(coordination, digested, today or timezone.localdate())
    return sent


def _digest_add(users: Iterable[int], counts: Counter, day: date) -> int:
    """Add these reminders to each user's daily notice of `day` (made if missing, marked
    unread again); its e-mail goes out once the sweep is over (`digest_email_soon`).
    Return how many notices were made."""
    users = sorted(users)
    existing = {
        n.recipient_id: n
        for n in Notification.objects.select_for_update().filter(
            recipient_id__in=users, kind=DIGEST_KIND, digest_on=day
        )
    }
    made, changed = [], []
    for user_id in users:
        notice = existing.get(user_id)
        if notice is None:
            notice = Notification(
                recipient_id=user_id, kind=DIGEST_KIND, digest_on=day, digest_counts={}
            )
            made.append(notice)
        else:
            changed.append(notice)
        merged = Counter(notice.digest_counts) + counts
        notice.digest_counts = dict(sorted(merged.items()))
        notice.text = digest_text(day, notice.digest_counts)
        notice.link = reverse("actions:measure_overview")
        notice.read_at = None
    Notification.objects.bulk_create(made)
    Notification.objects.bulk_update(changed, ["digest_counts", "text", "link", "read_at"])
    return len(made)


def digest_text(day: date, counts: dict[str, int]) -> str:
    """« Rappels du 01/12/2026 pour la coordination : 12 mesure(s) dont la fin approche, … »"""
    grouped: Counter[str] = Counter()
    for kind, count in counts.items():
        label = next(
            (label for prefix, label in DIGEST_LABELS if kind.startswith(prefix)),
            "autre(s) rappel(s)",
        )
        grouped[label] += count
    parts = ", ".join(f"{count} {label}" for label, count in grouped.items())
    return f"Rappels du {day:%d/%m/%Y} pour la coordination : {parts}."


def digest_email_soon(day: date) -> None:
    """Queue the e-mails of the day's coordination notices, once the sweep made them whole
    (those a lost task did not send are caught up like every single e-mail)."""
    ids = list(
        Notification.objects.filter(kind=DIGEST_KIND, digest_on=day, emailed_at=None).values_list(
            "pk", flat=True
        )
    )
    if ids:
        from notifications.tasks import send_immediate_emails

        enqueue_on_commit(send_immediate_emails, ids)


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


def unread_count(user: User) -> int:
    """The header's count: unread notifications counted up to UNREAD_CAP + 1 only (a
    LIMIT subquery on the unread index), so its cost does not grow with the backlog."""
    unread = Notification.objects.filter(recipient=user, read_at=None).order_by()
    return unread[: UNREAD_CAP + 1].count()


def unread_label(count: int) -> str:
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


@dataclass
class NotificationPage:
    """One page of the centre, unread first then newest, and the cursor of the next one."""

    notifications: list[Notification]
    next_cursor: str


def _cursor(notification: Notification) -> str:
    half = "u" if notification.read_at is None else "r"
    return f"{half}.{notification.created_at.isoformat()}.{notification.pk}"


def _parse_cursor(cursor: str) -> tuple[str, datetime, int] | None:
    """The cursor of a page link; None (the first page) for anything else."""
    half, _, rest = (cursor or "").partition(".")
    stamp, _, pk = rest.rpartition(".")
    try:
        when = parse_datetime(stamp)
        number = int(pk)
    except (ValueError, TypeError):
        return None
    if half not in ("u", "r") or when is None or not 0 < number < 2**63:
        return None
    return half, when, number


def notification_page(user: User, cursor: str = "") -> NotificationPage:
    """The centre's page after `cursor`: unread notifications newest first, then read ones
    newest first, each half read by keyset on its own partial index (created_at, id), with
    no OFFSET: the hundredth page costs what the first does."""
    after = _parse_cursor(cursor)
    mine = Notification.objects.filter(recipient=user).select_related("household")
    halves = [("u", mine.filter(read_at=None)), ("r", mine.filter(read_at__isnull=False))]
    rows: list[Notification] = []
    for half, notifications in halves:
        if after and after[0] == "r" and half == "u":
            continue  # the unread ones were all shown before
        if after and after[0] == half:
            _, when, pk = after
            notifications = notifications.filter(
                keyset_after("created_at", when, pk, descending=True)
            )
        need = PAGE_SIZE + 1 - len(rows)
        rows += list(notifications.order_by("-created_at", "-pk")[:need])
        if len(rows) > PAGE_SIZE:
            break
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return NotificationPage(rows, _cursor(rows[-1]) if more else "")


def purge_read(now: datetime | None = None) -> int:
    """Delete the notifications read more than NOTIFICATIONS_READ_RETENTION_DAYS ago, a
    batch at a time (walking the primary key once); return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFICATIONS_READ_RETENTION_DAYS)
    old = Notification.objects.filter(read_at__lt=cutoff).order_by("pk")
    deleted, last = 0, 0
    while ids := list(old.filter(pk__gt=last).values_list("pk", flat=True)[:PURGE_BATCH]):
        deleted += Notification.objects.filter(pk__in=ids).delete()[0]
        last = ids[-1]
    return deleted


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
            _notification(notice, recipient)
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
    everyone). Done tasks are read too: they no longer count in the header. A notice of
    such a task not delivered yet (its task lost, the catch-up still to come) is delivered
    now to these users, done (`_deliver_done`)."""
    tasks = Notification.objects.filter(
        task=True, done_at=None, object_type=object_type, object_id=object_id
    )
    pending = PendingNotice.objects.filter(task=True, object_type=object_type, object_id=object_id)
    users = None
    if partner_ids is not None:
        users = Membership.objects.filter(partner_id__in=list(partner_ids)).values("user_id")
        tasks = tasks.filter(recipient_id__in=users)
    if kinds is not None:
        tasks = tasks.filter(kind__in=list(kinds))
        pending = pending.filter(kind__in=list(kinds))
    # Before the tasks are marked: a delivery under way finishes first (the lock), and the
    # notifications it made are then marked below.
    _deliver_done(pending, None if users is None else {row["user_id"] for row in users})
    now = timezone.now()
    count = tasks.filter(read_at=None).update(done_at=now, read_at=now)
    return count + tasks.update(done_at=now)


def _deliver_done(pending, users: set[int] | None) -> None:
    """Deliver these pending task notices now to `users` (None: all their recipients),
    done and read: the thing they ask was done before they arrived. The others still get
    them, as tasks, from the notice's task or the catch-up; a notice left with no
    recipient is gone."""
    now = timezone.now()
    made: list[Notification] = []
    for notice in pending.select_for_update(of=("self",)):
        done = [r for r in notice.recipients if users is None or r in users]
        if not done:
            continue
        made += [_notification(notice, r, done_at=now, read_at=now) for r in done]
        notice.recipients = [r for r in notice.recipients if r not in done]
        if notice.recipients:
            notice.save(update_fields=["recipients"])
        else:
            notice.delete()
    _email_soon(Notification.objects.bulk_create(made))


def _notification(notice: PendingNotice, recipient: int, **extra) -> Notification:
    """The notification a pending notice makes for one of its recipients."""
    return Notification(
        recipient_id=recipient,
        kind=notice.kind,
        text=notice.text,
        household_id=notice.household_id,
        link=notice.link,
        object_type=notice.object_type,
        object_id=notice.object_id,
        task=notice.task,
        created_at=notice.created_at,
        **extra,
    )


def notices_follow_merge(*, kept_id: int, merged_id: int) -> int:
    """Notices about a household merged into another (households.merge moved their foreign
    key already) point to the file kept: their link to a page of the merged file, and what
    they are about when it is the household itself. The merged file's own tasks are done:
    what they asked is asked of the file kept. Returns how many notices changed."""
    old = reverse("households:detail", args=[merged_id])
    new = reverse("households:detail", args=[kept_id])
    changed = 0
    for model in (Notification, PendingNotice):
        changed += model.objects.filter(link__startswith=old).update(
            link=Concat(Value(new), Substr("link", len(old) + 1))
        )
        about = model.objects.filter(object_type="household", object_id=merged_id)
        if model is Notification:
            tasks_done(object_type="household", object_id=merged_id)
        changed += about.update(object_id=kept_id)
    return changed


def to_do_count(user) -> int:
    """The header's « en attente » badge: tasks not done yet, read or not."""
    # Capped as the unread count is (a LIMIT subquery): the badge reads « 99+ » beyond.
    to_do = Notification.objects.filter(recipient=user, task=True, done_at=None).order_by()
    return to_do[: UNREAD_CAP + 1].count()


def _email_soon(notifications: list[Notification]) -> None:
    if not notifications:
        return
    from notifications.tasks import send_immediate_emails  # the tasks call these services

    ids = [n.pk for n in notifications if n.pk]
    if ids:
        enqueue_on_commit(send_immediate_emails, ids)


def email_mode(user_id: int, modes: dict[int, str]) -> str:
    return modes.get(user_id, EmailMode.IMMEDIATE)


def _claimable(notification_ids: list[int]):
    stale = timezone.now() - timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
    return Notification.objects.filter(pk__in=notification_ids, emailed_at=None).filter(
        Q(email_claimed_at=None) | Q(email_claimed_at__lt=stale)
    )


def claim_email(notification_id: int) -> bool:
    """Take one notification's e-mail for sending: true for one sender only. A claim older
    than EMAIL_CLAIM_SECONDS (its sender died) may be taken again."""
    return bool(_claimable([notification_id]).update(email_claimed_at=timezone.now()))


def claim_emails(notification_ids: list[int]) -> list[int]:
    """Take the e-mail of these notifications (one digest) for sending: the ids this sender
    took, none of which another sender holds."""
    with transaction.atomic():
        ids = list(
            _claimable(notification_ids)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(email_claimed_at=timezone.now())
    return ids


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
            try:
                EmailMessage(
                    subject=f"[Le logement toujours] {notification.text[:80]}",
                    body=_body([notification]),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[notification.recipient.email],
                    connection=smtp,
                ).send()
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # This e-mail alone is refused (its address, its content): the others go.
                # It stays claimed, so the catch-up tries it again after EMAIL_CLAIM_SECONDS.
                logger.error("E-mail of notification #%s refused: %s", notification.pk, error)
                continue
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
    """One e-mail per user who chose the daily digest, with what was not e-mailed yet:
    claimed before and marked sent after, so that two senders at once (a task delivered
    again) send it once, and a sender killed mid-run sends again only the one in flight."""
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
    sent = 0
    with get_connection() as smtp:
        for notifications in by_user.values():
            claimed = set(claim_emails([n.pk for n in notifications]))
            notifications = [n for n in notifications if n.pk in claimed]
            if not notifications:
                continue
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
            sent += 1
    return sent


def _body(notifications: list[Notification]) -> str:
    base = settings.SITE_URL.rstrip("/")
    lines = [f"- {n.text}" + (f"\n  {base}{n.link}" if n.link else "") for n in notifications]
    return (
        "Bonjour,\n\n"
        + "\n".join(lines)
        + "\n\nCes messages ne contiennent pas de données personnelles : "
        "connectez-vous pour voir le dossier.\n"
    )
