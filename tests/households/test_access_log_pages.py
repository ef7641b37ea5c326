"""The access log grows with every page read: counted up to a cap (« plus de … ») and paged
by keyset, newest first, so that reading it costs the same however long it grew."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import AccessLogEntry
from partners.models import Role
from tests.factories import user_create


def entries(user, count: int) -> None:
    start = timezone.now() - timedelta(days=1)
    made = AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user, partner=user.partner, household_pk=index + 1, action="list", path="/"
        )
        for index in range(count)
    )
    # Two entries share each second, as the entries of one list page do.
    for index, entry in enumerate(made):
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=start + timedelta(seconds=index // 2))


def walk(client) -> tuple[list[int], list[str]]:
    """Every page from the first, following « Suivants »: the entries shown and the counts."""
    url, shown, counts = reverse("households:access_log"), [], []
    params: dict = {}
    while True:
        page = client.get(url, params)
        assert page.status_code == 200
        shown += [entry.pk for entry in page.context["page"]]
        counts.append(re.search(r'<p class="count">([^<]+)</p>', page.content.decode())[1])
        if not page.context["next_cursor"]:
            return shown, counts
        params = {"apres": page.context["next_cursor"]}


def test_the_access_log_is_paged_by_keyset_newest_first_and_counted_up_to_a_cap(
    client, db, settings
):
    settings.CASELOAD_COUNT_CAP = 120
    caseworker = user_create(Role.CASEWORKER)
    entries(caseworker, 251)
    client.force_login(user_create(Role.COORDINATOR))
    shown, counts = walk(client)
    newest_first = list(
        AccessLogEntry.objects.filter(user=caseworker)
        .order_by("-at", "-pk")
        .values_list("pk", flat=True)
    )
    assert shown == newest_first  # every entry once, in order, across 3 pages
    assert counts == ["Plus de 120 entrées, les plus récentes d'abord"] * 3
    settings.CASELOAD_COUNT_CAP = 1000
    first = client.get(reverse("households:access_log"), {"user": caseworker.pk})
    assert "251 entrées" in first.content.decode()
    # A cursor typed by hand that does not parse is the first page.
    again = client.get(reverse("households:access_log"), {"apres": "hier.12"})
    assert [e.pk for e in again.context["page"]] == newest_first[:100]


def test_a_deep_page_of_the_access_log_costs_what_the_first_does(client, db):
    caseworker = user_create(Role.CASEWORKER)
    entries(caseworker, 230)
    client.force_login(user_create(Role.COORDINATOR))
    url = reverse("households:access_log")
    with CaptureQueriesContext(connection) as first:
        page = client.get(url)
    page = client.get(url, {"apres": page.context["next_cursor"]})
    with CaptureQueriesContext(connection) as third:
        page = client.get(url, {"apres": page.context["next_cursor"]})
    assert len(page.context["page"].object_list) == 30
    assert len(third.captured_queries) == len(first.captured_queries) > 0
    offsets = [q["sql"] for q in third.captured_queries if "OFFSET" in q["sql"].upper()]
    assert offsets == []
