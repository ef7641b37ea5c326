"""Every role of every demo partner against every page of the case file.

The expected outcome of each cell is written out here, not derived from the code under test.
Demo households used: Martin (opened by cesf.actis, tenant of Actis), Petit (applicant opened
by caseworker.ozanam), Fontaine (opened by caseworker.ulisse, tenant of Pluralis).
"""

import pytest
from django.urls import reverse

from households.models import Household
from tests.demo_access import (
    FUNDERS,
    INVOLVEMENT_STATES,
    SEES,
    SOCIAL_WORKERS,
    USERS,
    involvement_state,
)

ALL = set(USERS)
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


# Who may ask an association for an outreach (« aller-vers »): the household's current
# landlord, through its CESF (the one role of a landlord that changes a file).
REQUESTS_OUTREACH = {
    "Martin": {"cesf.actis"},
    "Petit": set(),  # an applicant: no landlord to ask
    "Fontaine": {"cesf.pluralis"},
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
        yield username, "agenda", None, 403 if username in FUNDERS else 200
        yield username, "actions:outreach_list", None, 403 if username in FUNDERS else 200
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
            yield (
                username,
                "actions:outreach_create",
                name,
                expected_for_household(username, name, REQUESTS_OUTREACH[name]),
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


def test_agenda_and_calendar_feed_carry_exactly_the_visible_demo_households(client, demo):
    """An appointment on Martin, Petit and Fontaine: each user's « Mes échéances » and calendar
    feed show it for the households that user sees, and no other (funders have neither)."""
    from datetime import timedelta

    from django.utils import timezone

    from actions import services as action_services
    from partners import services as partner_services

    households = {h.name: h for h in Household.objects.filter(name__in=SEES)}
    for household in households.values():
        action_services.appointment_save(
            household=household,
            by=demo["coordinator.lt"],
            data={"kind": "office", "on": timezone.localdate() + timedelta(days=3)},
        )
    for username in USERS:
        _, secret = partner_services.calendar_feed_create(user=demo[username])
        client.logout()
        feed = client.get(reverse("calendar_feed", args=[secret]))
        client.force_login(demo[username])
        page = client.get(reverse("agenda"))
        if username in FUNDERS:
            assert (feed.status_code, page.status_code) == (404, 403), username
            continue
        expected = {name for name, users in SEES.items() if username in users}
        for name, household in households.items():
            shown = household.reference in page.content.decode()
            carried = household.reference in feed.content.decode()
            assert (shown, carried) == (name in expected,) * 2, (username, name)


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


# The states the rule of involvement adds (INVOLVEMENT_STATES, made on the demo by
# tests/demo_access.py), then every user against every page of the case.


def within_state(username: str, sees: set, allowed: set) -> int:
    if username not in sees:
        return 404
    return 200 if username in allowed else 403


@pytest.mark.parametrize("state", INVOLVEMENT_STATES)
def test_access_matrix_follows_involvement(client, demo, state):
    household, (sees, edits, diagnoses, landlord), traveller = involvement_state(demo, state)
    pages = {
        "households:detail": sees,
        "households:edit": edits,
        "households:diagnostic_create": diagnoses,
        "households:landlord_change": landlord,
    }
    try:
        outcomes, expected = {}, {}
        for username in USERS:
            client.force_login(demo[username])
            for url_name, allowed in pages.items():
                url = reverse(url_name, args=[household.pk])
                outcomes[(username, url_name)] = client.get(url).status_code
                expected[(username, url_name)] = within_state(username, sees, allowed)
    finally:
        traveller.stop()
    assert outcomes == expected
