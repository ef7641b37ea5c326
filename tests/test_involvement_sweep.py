"""Every demo user asks for every household, action, measure and co-decision by its id,
through the pages and the API: what opens is exactly what the rule of involvement gives its
partner (the rule as written again in tests/involvement_rule.py), now and once the grace
periods of the demo's refusals and closures are over."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, SupportMeasure
from codecision.models import CoDecision
from households.involvement import involvement_repair
from households.models import Household
from tests.demo_access import USERS
from tests.helpers import api_for
from tests.involvement_rule import rule


def allowed_households(user, ids: list[int]) -> set[int]:
    if user.is_coordinator:
        return set(ids)
    if user.is_funder_viewer:
        return set()
    given = rule(ids, timezone.localdate())
    return {household for (household, partner) in given if partner == user.partner.pk}


@pytest.mark.parametrize("days", [0, 31])
def test_no_id_opens_beyond_the_rule(client, demo, settings, days):
    settings.ACCESS_REFUSALS_PER_MINUTE = 100_000  # the sweep is no attack
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    records = {
        "actions:action_detail": Action.objects.values_list("pk", "household_id"),
        "actions:measure_detail": SupportMeasure.objects.values_list("pk", "action__household_id"),
        "codecision:detail": CoDecision.objects.values_list("pk", "household_id"),
    }
    with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
        involvement_repair()
        opened, expected = {}, {}
        for username in USERS:
            user = demo[username]
            allowed = allowed_households(user, ids)
            client.force_login(user)
            api = api_for(user)
            for pk in ids:
                page = client.get(reverse("households:detail", args=[pk])).status_code
                answer = api.get(f"/api/households/{pk}/").status_code
                opened[(username, "household", pk)] = (page == 200, answer == 200)
                expected[(username, "household", pk)] = (pk in allowed, pk in allowed)
            for url_name, rows in records.items():
                for pk, household in rows:
                    status = client.get(reverse(url_name, args=[pk])).status_code
                    opened[(username, url_name, pk)] = status == 200
                    expected[(username, url_name, pk)] = household in allowed
    assert opened == expected
