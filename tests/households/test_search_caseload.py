"""The API's household search, like « Mes ménages », looks among the members of the user's
caseload first, not the programme's: its cost follows the caseload."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Role
from tests.factories import household_create, user_create


def search(client, text: str) -> tuple[list[str], list[set[int]]]:
    """The names found, and the household ids each query restricted the members to."""
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/households/", {"q": text}).json()
    # `IN (1, 2)` on SQLite, `= ANY('{1,2}')` (one array) on PostgreSQL.
    restricted = [
        {int(pk) for pk in re.split(r",\s*", listed or array)}
        for q in queries.captured_queries
        if "households_householdmember" in q["sql"]
        for listed, array in re.findall(
            r'"household_id" (?:IN \(([\d, ]+)\)|= ANY\(\'\{([\d,]+)\}\')', q["sql"]
        )
    ]
    return [row["name"] for row in answer["results"]], restricted


def test_the_api_search_looks_among_the_caseload_s_members_only(client, cesf):
    mine = household_create(by=cesf, name="Martin")
    mine.members.update(first_name="Inès")
    elsewhere = household_create(by=user_create(Role.CESF), name="Bernard")
    elsewhere.members.update(first_name="Inès")
    client.force_login(cesf)
    names, restricted = search(client, "ines")
    assert names == ["Martin"]
    assert restricted and all(ids == {mine.pk} for ids in restricted)
