"""Every role of every demo partner against every page of the case file.

The expected outcome of each cell is written out here, not derived from the code under test.
Demo households used: Martin (opened by cesf.actis, tenant of Actis), Petit (applicant opened
by caseworker.ozanam), Fontaine (opened by caseworker.ulisse, tenant of Pluralis).
"""

import pytest
from django.urls import reverse

from households.models import Household
from logement_toujours.demo.partners import demo_users
from tests.demo_access import FUNDERS

USERS = [username for username, _, _ in demo_users()]
ALL = set(USERS)
SOCIAL_WORKERS = {u for u in USERS if u.startswith(("cesf.", "caseworker."))}

SEES = {
    "Martin": {"coordinator.lt", "cesf.actis", "manager.actis"},
    "Petit": {"coordinator.lt", "caseworker.ozanam", "manager.ozanam"},
    "Fontaine": {
        "coordinator.lt",
        "caseworker.ulisse",
        "manager.ulisse",
        "cesf.pluralis",
        "manager.pluralis",
    },
}
EDITS = {
    "Martin": {"coordinator.lt", "cesf.actis"},
    "Petit": {"coordinator.lt", "caseworker.ozanam"},
    "Fontaine": {"coordinator.lt", "caseworker.ulisse", "cesf.pluralis"},
}
DIAGNOSES = {
    "Martin": {"cesf.actis"},
    "Petit": {"caseworker.ozanam"},
    "Fontaine": {"caseworker.ulisse", "cesf.pluralis"},
}


def expected_for_household(username: str, household: str, allowed: set[str]) -> int:
    if username not in SEES[household]:
        return 404
    return 200 if username in allowed else 403


def cells():
    for username in USERS:
        yield username, "households:list", None, 403 if username in FUNDERS else 200
        yield username, "households:create", None, 200 if username in SOCIAL_WORKERS else 403
        yield username, "households:access_log", None, 200 if username == "coordinator.lt" else 403
        for name in SEES:
            yield username, "households:detail", name, expected_for_household(username, name, ALL)
            yield (
                username,
                "households:edit",
                name,
                expected_for_household(username, name, EDITS[name]),
            )
            yield (
                username,
                "households:diagnostic_create",
                name,
                expected_for_household(username, name, DIAGNOSES[name]),
            )


@pytest.mark.parametrize("username", USERS)
def test_access_matrix(client, demo, username):
    client.force_login(demo[username])
    households = {h.name: h.pk for h in Household.objects.filter(name__in=SEES)}
    outcomes, expected = {}, {}
    for user, url_name, household, status in cells():
        if user != username:
            continue
        args = [households[household]] if household else []
        response = client.get(reverse(url_name, args=args))
        outcomes[(url_name, household)] = response.status_code
        expected[(url_name, household)] = status
    assert outcomes == expected


@pytest.mark.parametrize("username", [u for u in USERS if u not in FUNDERS])
def test_mes_menages_lists_exactly_the_visible_demo_households(client, demo, username):
    client.force_login(demo[username])
    page = client.get(reverse("households:list")).content.decode()
    listed = {name for name in SEES if f">{name}</a></td>" in page}
    assert listed == {name for name, users in SEES.items() if username in users}


def test_no_form_offers_an_untranslated_empty_choice(client, demo):
    """Every select's empty choice says what it means, in French (never « --------- »)."""
    from actions.models import Action
    from codecision.models import CoDecision
    from households.models import Household

    martin = Household.objects.get(name="Martin")
    nguyen = Action.objects.get(household__name="Nguyen")
    benali = CoDecision.objects.get(household__name="Benali", purpose="start")
    pages = {
        "cesf.actis": [
            reverse("households:create"),
            reverse("households:edit", args=[martin.pk]),
            reverse("actions:orientation_create", args=[martin.pk]),
            reverse("codecision:detail", args=[benali.pk]),
        ],
        "caseworker.ulisse": [reverse("codecision:detail", args=[benali.pk])],
        "caseworker.oiseaubleu": [
            reverse("actions:measure_detail", args=[nguyen.measures.get().pk]),
            reverse("actions:action_detail", args=[nguyen.pk]),
        ],
        "coordinator.lt": [
            reverse("actions:measure_overview"),
            reverse("codecision:detail", args=[benali.pk]),
            reverse("funding:entry_create", args=[2016]),
            reverse("funding:source_create", args=[2016]),
            reverse("funding:ledger", args=[2016]),
        ],
    }
    for username, urls in pages.items():
        client.force_login(demo[username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "---------" not in response.content.decode(), (username, url)
