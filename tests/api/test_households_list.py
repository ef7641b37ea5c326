"""The API's list of households, for a partner, is paged over its own caseload (newest
change first), read first: a partner whose cases are the programme's oldest costs what an
ordinary one does, never a walk through the programme's households by change time."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from households.models import Household
from partners.models import Role
from tests.factories import household_create, user_create
from tests.helpers import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def oldest_caseload(cesf, settings):
    """Seven households of `cesf`, the oldest of the programme, among twelve newer ones."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 3}
    mine = [household_create(by=cesf, name=f"Ancien{index}") for index in range(7)]
    others = user_create(Role.CESF)
    for index in range(12):
        household_create(by=others, name=f"Récent{index}")
    long_ago = timezone.now() - timedelta(days=3000)
    for age, household in enumerate(mine):
        Household.objects.filter(pk=household.pk).update(updated_at=long_ago - timedelta(days=age))
    # Two changed at the same instant: the id decides, as in the database's order.
    Household.objects.filter(pk=mine[5].pk).update(updated_at=long_ago - timedelta(days=4))
    return mine


def every_page(api, **params) -> tuple[list[str], int, list[list[str]]]:
    names, url, sql, count = [], "/api/households/", [], None
    while url:
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(url, params if url == "/api/households/" else None).json()
        names += [row["name"] for row in answer["results"]]
        count, url = answer["count"], answer["next"]
        sql.append([q["sql"] for q in queries.captured_queries])
    return names, count, sql


def test_a_partner_s_list_pages_its_own_caseload_newest_first(cesf, oldest_caseload):
    names, count, _ = every_page(api_for(cesf))
    expected = list(
        Household.objects.filter(pk__in=[h.pk for h in oldest_caseload])
        .order_by("-updated_at", "-pk")
        .values_list("name", flat=True)
    )
    assert names == expected and count == 7


def test_no_page_walks_the_programme_s_households_by_change_time(cesf, oldest_caseload):
    api = api_for(cesf)
    api.get("/api/households/")  # the token's first use of the day is written once
    _, _, pages = every_page(api, housing_status="tenant")
    for queries in pages:
        households = [q for q in queries if q.startswith('SELECT "households_household"."id"')]
        walk = 'ORDER BY "households_household"."updated_at"'
        assert households and all(walk not in q for q in households)
    assert len({len(queries) for queries in pages}) == 1  # every page costs the same


def test_filters_and_an_asked_order_still_apply(cesf, oldest_caseload):
    api = api_for(cesf)
    names, count, _ = every_page(api, q="ancien3")
    assert names == ["Ancien3"] and count == 1
    names, _, _ = every_page(api, ordering="name")
    assert names == sorted(names) and len(names) == 7
