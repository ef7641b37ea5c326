"""Notifications that stay small: the header's capped count, the centre paged by keyset, the
nightly purge of read notifications, and their query counts at two sizes."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.tasks import purge_read_notifications
from partners.models import Role
from tests.factories import user_create


def make(user, count: int, *, read: bool = False, start=None, text="Message") -> None:
    """`count` notifications for `user`, one minute apart, newest last."""
    start = start or timezone.now() - timedelta(days=1)
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="test",
            text=f"{text} {index} — échéance 😀",
            created_at=start + timedelta(minutes=index),
            read_at=start + timedelta(minutes=index, seconds=30) if read else None,
        )
        for index in range(count)
    )


def badge(page: str) -> str:
    found = re.search(r'<span class="badge" aria-label="([^"]+)">([^<]+)</span>', page)
    return f"{found[1]} / {found[2]}" if found else ""


def test_the_header_count_stops_at_99_plus_through_a_limit_subquery(client, db):
    user = user_create(Role.CASEWORKER)
    client.force_login(user)
    make(user, 99)
    assert badge(client.get(reverse("notifications:preferences")).content.decode()) == (
        "99 non lues / 99"
    )
    make(user, 250, text="Encore")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:preferences")).content.decode()
    assert badge(page) == "plus de 99 non lues / 99+"
    [count] = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and '"read_at" IS NULL' in q["sql"]
    ]
    assert "LIMIT 100" in count  # counts at most 100 rows, whatever the backlog
    assert services.unread_count(user) == 100


def walk(client) -> tuple[list[str], list[int]]:
    """Every page of the centre from the first, following « Plus anciennes »."""
    texts, sizes, url = [], [], reverse("notifications:list")
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
        found = re.findall(r"— ((?:Lue|Non lue) \d+) — échéance", page)
        texts += found
        sizes.append(len(found))
        more = re.search(r'href="([^"]+)">Plus anciennes', page)
        url = more[1].replace("&amp;", "&") if more else ""
    return texts, sizes


def test_the_centre_shows_unread_first_then_newest_paged_by_keyset(client, db):
    user = user_create(Role.CASEWORKER)
    other = user_create(Role.CASEWORKER)
    start = timezone.now() - timedelta(days=3)
    make(user, 70, read=True, start=start, text="Lue")
    make(user, 60, start=start + timedelta(minutes=30), text="Non lue")  # interleaved in time
    make(other, 10, text="Pas pour vous")
    # Two notifications at the same instant are told apart by their id.
    twins = Notification.objects.filter(recipient=user, text__startswith="Non lue 1 ")
    twins.update(created_at=start + timedelta(hours=5))
    client.force_login(user)
    texts, sizes = walk(client)
    expected = [f"Non lue {i}" for i in reversed(range(60)) if i != 1]
    expected.insert(0, "Non lue 1")  # the newest unread one now
    assert texts == expected + [f"Lue {i}" for i in reversed(range(70))]
    assert sizes == [50, 50, 30]
    # A cursor typed by hand is the first page, not an error.
    for cursor in (
        "n'importe quoi",
        "u.2026-13-45.1",
        "r.2026-01-01T00:00:00.99999999999999999999",
    ):
        response = client.get(reverse("notifications:list"), {"apres": cursor})
        assert response.status_code == 200 and "Non lue 1 " in response.content.decode()


def test_the_centre_and_header_cost_the_same_queries_at_two_sizes(
    client, db, django_assert_max_num_queries
):
    user = user_create(Role.COORDINATOR)
    client.force_login(user)
    make(user, 5, text="Non lue")
    make(user, 5, read=True, text="Lue")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("notifications:list"))  # both halves on one page
    make(user, 600, text="Non lue")
    make(user, 600, read=True, text="Lue")
    # A hundred times more: at most as many queries on the first page, on the page where
    # the unread ones end, and on the last one.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:list"))
    newest_unread = Notification.objects.filter(recipient=user, read_at=None).order_by(
        "created_at", "pk"
    )[9]
    for cursor in (services._cursor(newest_unread), "r.2000-01-01T00:00:00+00:00.1"):
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(reverse("notifications:list"), {"apres": cursor})
    texts, sizes = walk(client)
    expected = [f"{half} {i}" for half in ("Non lue", "Lue") for n in (5, 600) for i in range(n)]
    assert sorted(texts) == sorted(expected) and sizes == [50] * 24 + [10]  # each once


def test_read_notifications_are_purged_after_the_retention_unread_ones_kept(db, settings):
    settings.NOTIFICATIONS_READ_RETENTION_DAYS = 30
    user = user_create(Role.CASEWORKER)
    now = timezone.now()
    old = now - timedelta(days=400)
    make(user, 7, read=True, start=old, text="Vieille lue")
    make(user, 3, start=old, text="Vieille non lue")
    make(user, 4, read=True, start=now - timedelta(days=29), text="Lue récemment")
    services.PURGE_BATCH, batch = 2, services.PURGE_BATCH  # several batches
    try:
        assert purge_read_notifications() == 7
    finally:
        services.PURGE_BATCH = batch
    left = sorted(Notification.objects.filter(recipient=user).values_list("text", flat=True))
    assert [t.rsplit(" ", 4)[0] for t in left] == ["Lue récemment"] * 4 + ["Vieille non lue"] * 3
    assert purge_read_notifications() == 0
    assert "nightly-read-notifications" in settings.CELERY_BEAT_SCHEDULE
