"""What each role may do, said once per decision: the templates' `can`, and the same refusal
message on the page and in the API."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from households.models import Household
from logement_toujours.context_processors import Can
from partners.models import Partner
from tests.helpers import api_for

DECISIONS = [
    "open_caseload",
    "create_household",
    "read_access_log",
    "answer_right_of_access",
    "arbitrate",
    "manage_committees",
    "record_committee_answers",
    "see_budget",
    "see_statistics",
    "enter_budget",
]
EXPECTED = {
    "coordinator.lt": {
        "open_caseload",
        "read_access_log",
        "answer_right_of_access",
        "arbitrate",
        "manage_committees",
        "record_committee_answers",
        "see_budget",
        "see_statistics",
        "enter_budget",
    },
    "cesf.actis": {"open_caseload", "create_household"},
    "caseworker.ulisse": {"open_caseload", "create_household"},
    "manager.actis": {"open_caseload", "see_budget", "see_statistics"},
    "funder.fondation": {"see_budget", "see_statistics"},
    "funder.ddets": {"see_budget", "see_statistics"},
}


def test_can_says_what_each_role_may_do(demo):
    for username, allowed in EXPECTED.items():
        can = Can(demo[username])
        assert {name for name in DECISIONS if getattr(can, name)} == allowed, username


def test_no_template_tests_a_role():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    testing_a_role = re.compile(
        r"\.role\b|role ==|role !=|\.is_(coordinator|cesf|caseworker|manager|funder_viewer"
        r"|social_worker)\b"
    )
    assert [str(t) for t in templates if testing_a_role.search(t.read_text())] == []


def test_the_navigation_follows_can(client, demo):
    client.force_login(demo["coordinator.lt"])
    page = client.get(reverse("households:list")).content.decode()
    assert reverse("codecision:session_list") in page
    assert reverse("households:access_log") in page
    client.force_login(demo["funder.fondation"])
    page = client.get(reverse("funding:index"), follow=True).content.decode()
    assert reverse("funding:index") in page
    assert reverse("stats:index") in page
    assert reverse("codecision:pending") not in page
    assert reverse("households:access_log") not in page


def test_a_refused_decision_says_the_same_on_the_page_and_in_the_api(client, demo):
    manager = demo["manager.actis"]
    martin = Household.objects.get(name="Martin")
    message = (
        "Une CESF oriente un locataire de son bailleur ; une association oriente un demandeur."
    )
    client.force_login(manager)
    page = client.get(reverse("actions:orientation_create", args=[martin.pk]))
    assert page.status_code == 403 and message in html.unescape(page.content.decode())
    answer = api_for(manager).post(
        "/api/orientations/",
        {
            "household": martin.pk,
            "kind": "energy",
            "association": Partner.objects.get(short_name="ulisse").pk,
            "reason": "Essai.",
        },
        format="json",
    )
    assert answer.status_code == 403 and answer.json() == {"detail": message}
