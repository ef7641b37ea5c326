"""Duplicate detection against every role of every demo partner: who is told what when
opening a file that looks like the demo's Martin (Sandrine, born 1 March 1981, a tenant of
Actis opened by cesf.actis).

The expected outcome is written out here: the users who see Martin (SEES in
tests/demo_access.py) get its reference and link; every other social worker gets the
very same answer, which says only that a similar file exists elsewhere — the same answer as
a file with no match at all, apart from that sentence."""

import re

import pytest
from django.urls import reverse

from households.duplicates import SIMILAR_ELSEWHERE
from households.models import AccessLogEntry, Household
from notifications.models import Notification
from tests.demo_access import SEES, SOCIAL_WORKERS
from tests.helpers import api_for

SOCIAL_WORKERS = sorted(SOCIAL_WORKERS)
SEE_MARTIN = SEES["Martin"] & set(SOCIAL_WORKERS)


def martin_again(name="Martin", born="1981-03-01") -> dict:
    return {
        "name": name,
        "housing_status": "applicant",
        "consent_given_on": "2026-02-01",
        "members": [
            {
                "first_name": "Sandrine",
                "last_name": name,
                "birth_date": born,
                "relationship": "head",
            }
        ],
    }


def page_data(name="Martin") -> dict:
    return {
        "name": name,
        "housing_status": "applicant",
        "landlord": "",
        "consent_given_on": "2026-02-01",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-first_name": "Sandrine",
        "members-0-last_name": name,
        "members-0-relationship": "head",
        "members-0-birth_date": "1981-03-01",
    }


def duplicates_section(html: str) -> str:
    found = re.search(r'<section class="card duplicates".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", found.group(0)) if found else ""


def test_every_social_worker_is_told_only_what_it_may_see(client, demo):
    martin = Household.objects.get(name="Martin")
    detail = reverse("households:detail", args=[martin.pk])
    api_answers, sections = {}, {}
    logged_before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for username in SOCIAL_WORKERS:
        user = demo[username]
        response = api_for(user).post("/api/households/", martin_again(), format="json")
        assert response.status_code == 409, username
        api_answers[username] = response.json()
        client.force_login(user)
        page = client.post(reverse("households:create"), page_data()).content.decode()
        sections[username] = duplicates_section(page)
        if username in SEE_MARTIN:
            assert martin.reference in page and detail in page, username
        else:
            assert martin.reference not in page and detail not in page, username
            assert "Sandrine" not in sections[username] and "Actis" not in sections[username]
    assert {"cesf.actis"} == SEE_MARTIN
    [match] = api_answers["cesf.actis"]["visible_matches"]
    assert match["reference"] == martin.reference
    others = {u: a for u, a in api_answers.items() if u not in SEE_MARTIN}
    expected = {
        "detail": api_answers["cesf.actis"]["detail"],
        "visible_matches": [],
        "similar_elsewhere": True,
        "similar_elsewhere_text": SIMILAR_ELSEWHERE,
    }
    assert others == dict.fromkeys(others, expected)
    # The page's block is the same for all of them, word for word.
    assert len({sections[u] for u in others}) == 1
    assert SIMILAR_ELSEWHERE in next(iter({sections[u] for u in others}))
    # Nothing was opened, nobody was told, and nobody read Martin but who may.
    assert not Household.objects.filter(name="Martin").exclude(pk=martin.pk).exists()
    assert not Notification.objects.filter(kind="duplicate_suspected").exists()
    readers = set(
        AccessLogEntry.objects.filter(household=martin, pk__gt=logged_before).values_list(
            "user__username", flat=True
        )
    )
    assert readers == {"cesf.actis"}


@pytest.mark.parametrize("username", sorted(set(SOCIAL_WORKERS) - SEE_MARTIN))
def test_an_invisible_match_reads_as_no_match_but_for_the_sentence(demo, username):
    api = api_for(demo[username])
    nothing = api.post(
        "/api/households/duplicates/", martin_again("Zyxwvu", "1999-09-09"), format="json"
    ).json()
    elsewhere = api.post("/api/households/duplicates/", martin_again(), format="json").json()
    assert nothing == {
        "visible_matches": [],
        "similar_elsewhere": False,
        "similar_elsewhere_text": None,
    }
    assert elsewhere == {
        **nothing,
        "similar_elsewhere": True,
        "similar_elsewhere_text": SIMILAR_ELSEWHERE,
    }
