"""The notifications API pages by keyset: a `next` link with a cursor, no page numbers and
no count of all the rows; walking the links gives each notification once, newest first."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from notifications import services
from notifications.models import Notification
from partners.models import Role
from tests.factories import user_create


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def make(user, count: int, *, same_minute_every: int = 1, read_every: int = 0) -> None:
    """`count` notifications; `same_minute_every` of them in a row share one created_at."""
    start = timezone.now() - timedelta(days=2)
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="test",
            text=f"Message {index}",
            created_at=start + timedelta(minutes=index // same_minute_every),
            read_at=start if read_every and index % read_every == 0 else None,
        )
        for index in range(count)
    )


def walk(api, url: str) -> tuple[list[dict], int]:
    """Every notification the `next` links lead to, and how many pages it took."""
    seen, pages = [], 0
    while url:
        response = api.get(url)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"next", "results"}  # no count, no previous page number
        seen += body["results"]
        pages += 1
        url = body["next"]
    return seen, pages


def test_walking_the_next_links_gives_each_notification_once_newest_first(db):
    user = user_create(Role.CASEWORKER)
    other = user_create(Role.CASEWORKER)
    make(user, 137, same_minute_every=7)  # ties on created_at across page boundaries
    make(other, 3)
    seen, pages = walk(api_for(user), "/api/notifications/")
    assert pages == 3
    expected = list(
        Notification.objects.filter(recipient=user)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert [row["id"] for row in seen] == expected
    assert len(set(expected)) == 137


def test_the_next_link_carries_a_cursor_and_keeps_the_filters(db):
    user = user_create(Role.CASEWORKER)
    make(user, 120, read_every=2)
    api = api_for(user)
    body = api.get("/api/notifications/?unread=true").json()
    assert "apres=" in body["next"] and "unread=true" in body["next"]
    assert "page=" not in body["next"]
    seen, _ = walk(api, "/api/notifications/?unread=true")
    assert len(seen) == 60 and all(row["read_at"] is None for row in seen)
    # A cursor typed by hand that does not parse is the first page, not an error.
    first = api.get("/api/notifications/").json()["results"]
    assert api.get("/api/notifications/?apres=n'importe-quoi").json()["results"] == first
    assert api.get("/api/notifications/?page=2").json()["results"] == first


def test_a_page_costs_the_same_queries_for_10_and_for_200_notifications(db):
    counts = []
    for size in (10, 200):
        user = user_create(Role.CASEWORKER)
        make(user, size)
        api = api_for(user)
        api.get("/api/notifications/")
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/notifications/").json()
        assert len(body["results"]) == min(size, 50)
        counts.append(len(queries))
        with CaptureQueriesContext(connection) as deep:
            assert api.get(body["next"]).status_code == 200 if body["next"] else True
        assert all("COUNT(" not in q["sql"].upper() for q in queries.captured_queries)
        assert all("OFFSET" not in q["sql"].upper() for q in deep.captured_queries)
    assert counts[0] == counts[1]


def test_a_deep_page_bounds_the_date_so_that_the_index_starts_at_the_cursor(db):
    """The next page's query says `created_at <= <the cursor's date>` besides the tie on
    ids: PostgreSQL starts its index scan there instead of filtering every newer row out,
    and the thousandth page costs what the first does (the API and the centre alike)."""
    user = user_create(Role.CASEWORKER)
    make(user, 120, read_every=3)
    api = api_for(user)
    api_next = api.get("/api/notifications/").json()["next"]
    centre_next = services.notification_page(user).next_cursor
    for name, fetch in (
        ("API", lambda: api.get(api_next)),
        ("centre", lambda: services.notification_page(user, centre_next)),
    ):
        with CaptureQueriesContext(connection) as queries:
            fetch()
        sql = [
            q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
        ]
        assert any('"created_at" <= ' in text for text in sql), name


def test_the_schema_documents_the_cursor_and_no_page_number(client, db):
    user = user_create(Role.COORDINATOR)
    api = api_for(user)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    listing = schema["paths"]["/api/notifications/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert "apres" in names and "page" not in names
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    ref = ok["$ref"].rsplit("/", 1)[-1]
    paged = schema["components"]["schemas"][ref]
    assert set(paged["properties"]) == {"next", "results"}
    assert "count" not in paged["properties"]
