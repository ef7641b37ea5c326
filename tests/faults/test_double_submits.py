"""A creation sent twice is made once: a form's one-time token, the API's Idempotency-Key."""

import json
import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import FollowUp
from tests.factories import start_measure
from tests.helpers import api_for, form_token

SUMMARY = "Visite à domicile : « le chauffe-eau est réparé » 👍 — prochain rendez-vous fixé."


def token_of(page: str) -> str:
    [token] = re.findall(r'name="submit_token" value="([0-9a-f]{32})"', page)
    return token


def test_a_follow_up_form_sent_twice_is_stored_once_and_both_answers_agree(client, flow):
    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    client.force_login(flow.caseworker)
    url = reverse("actions:follow_up_create", args=[household.pk])
    page = client.get(url, {"mesure": measure.pk}).content.decode()
    data = {
        "mesure": measure.pk,
        "happened_on": timezone.localdate().isoformat(),
        "kind": "home_visit",
        "summary": SUMMARY,
        "submit_token": token_of(page),
    }
    first = client.post(url, data)
    second = client.post(url, data)  # a double click, or the browser sending it again
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert FollowUp.objects.filter(household=household, summary=SUMMARY).count() == 1
    shown = client.get(second.url).content.decode()
    assert "envoyé : il n&#x27;a été enregistré qu&#x27;une fois" in shown

    # A new form has a new token: a second follow-up on purpose is stored.
    data["submit_token"] = token_of(client.get(url, {"mesure": measure.pk}).content.decode())
    assert client.post(url, data).status_code == 302
    assert FollowUp.objects.filter(household=household, summary=SUMMARY).count() == 2


def test_a_form_with_errors_keeps_no_token_so_the_corrected_form_is_stored(client, flow):
    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    client.force_login(flow.caseworker)
    url = reverse("actions:follow_up_create", args=[household.pk])
    data = {
        "mesure": measure.pk,
        "kind": "home_visit",
        "summary": SUMMARY,
        "submit_token": "a" * 32,
    }
    assert client.post(url, data).status_code == 200  # the date is missing
    data["happened_on"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    assert FollowUp.objects.filter(household=household, summary=SUMMARY).count() == 1


def test_an_api_call_retried_with_the_same_idempotency_key_creates_once(flow):
    measure = start_measure(flow, date(2026, 1, 5))
    api = api_for(flow.caseworker)
    body = {
        "household": measure.action.household_id,
        "measure": measure.pk,
        "happened_on": timezone.localdate().isoformat(),
        "kind": "home_visit",
        "summary": SUMMARY,
    }
    key = {"HTTP_IDEMPOTENCY_KEY": "suivi-2026-0042-é"[:16]}
    first = api.post("/api/follow-ups/", body, format="json", **key)
    again = api.post("/api/follow-ups/", body, format="json", **key)
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert FollowUp.objects.filter(summary=SUMMARY).count() == 1
    # Without a key, or with another one, each call creates.
    assert api.post("/api/follow-ups/", body, format="json").status_code == 201
    other = {"HTTP_IDEMPOTENCY_KEY": "une-autre-cle"}
    assert api.post("/api/follow-ups/", body, format="json", **other).status_code == 201
    assert FollowUp.objects.filter(summary=SUMMARY).count() == 3
    # The same key for another address is refused, in French.
    refused = api.post(f"/api/measures/{measure.pk}/renewal/", {}, format="json", **key)
    assert refused.status_code == 400
    assert "déjà servi" in refused.json()["Idempotency-Key"][0]


def test_a_refused_api_call_keeps_no_key(flow):
    measure = start_measure(flow, date(2026, 1, 5))
    api = api_for(flow.caseworker)
    body = {"household": measure.action.household_id, "kind": "home_visit", "summary": SUMMARY}
    key = {"HTTP_IDEMPOTENCY_KEY": "corrige-puis-renvoie"}
    assert api.post("/api/follow-ups/", body, format="json", **key).status_code == 400
    body["happened_on"] = timezone.localdate().isoformat()
    assert api.post("/api/follow-ups/", body, format="json", **key).status_code == 201


def test_the_schema_documents_the_idempotency_key_on_every_post(flow):
    answer = api_for(flow.cesf).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(answer.content)
    posts = [ops["post"] for ops in schema["paths"].values() if "post" in ops]
    assert posts
    for operation in posts:
        assert "Idempotency-Key" in [p["name"] for p in operation.get("parameters", [])]


# --- A co-decision answered twice by the same side ------------------------------------------


def test_the_same_side_answers_a_codecision_once_per_round(flow):
    from codecision.models import Answer, CoDecisionAnswer
    from codecision.services import ALREADY_ANSWERED, codecision_answer
    from core.errors import DomainError
    from tests.factories import orientation_create

    codecision = orientation_create(cesf=flow.cesf, association=flow.association).action
    codecision = codecision.codecisions.get()
    codecision_answer(codecision=codecision, by=flow.cesf, answer=Answer.ADJOURN)
    codecision_answer(codecision=codecision, by=flow.cesf, answer=Answer.APPROVE)  # its 2nd
    with pytest.raises(DomainError, match=ALREADY_ANSWERED):
        codecision_answer(codecision=codecision, by=flow.cesf, answer=Answer.APPROVE)
    assert list(codecision.answers.values_list("side", "round")) == [
        ("landlord", 1),
        ("landlord", 2),
    ]
    # Two requests at once that both passed the check: the database keeps one.
    answer = codecision.answers.last()
    answer.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
    assert CoDecisionAnswer.objects.filter(codecision=codecision).count() == 2


def test_an_approval_sent_twice_through_the_api_is_stored_once(flow):
    from tests.factories import orientation_create

    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    api = api_for(flow.cesf)
    first = api.post(f"/api/codecisions/{codecision.pk}/approve/", {}, format="json")
    second = api.post(f"/api/codecisions/{codecision.pk}/approve/", {}, format="json")
    assert first.status_code == 200
    assert second.status_code == 400 and "déjà donné cette réponse" in str(second.json())
    assert codecision.answers.count() == 1


# Forms that create nothing: sent twice, the second finds the work done (or the record's
# version changed) and says so.
CREATES_NOTHING = {
    "logout",
    "actions:appointment_cancel",
    "actions:objective_status",
    "documents:delete",
    "notifications:mark_read",
    "notifications:mark_all_read",
    "calendar_feed_revoke",
    "token_revoke",
    "partners:user_unlock",
    "partners:user_second_factor_reset",
    "partners:user_deactivate",
    "partners:user_reactivate",
    # Their answer shows a secret once (new recovery codes, a calendar address): a replay
    # could not show it again, and the second one replaces the first.
    "recovery_codes_renew",
    "calendar_feed_create",
}


def test_every_form_that_creates_carries_a_one_time_token():
    from pathlib import Path

    from django.conf import settings

    untokened = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(folder).rglob("*.html"):
            source = template.read_text()
            for form in re.findall(r'<form[^>]*method="post".*?</form>', source, re.S | re.I):
                if "submit_token" in form or "_form_fields.html" in form:
                    continue
                action = re.search(r"action=\"\{% url '([\w:]+)'", form)
                if "registration/login.html" in str(template):  # a session, not a record
                    continue
                if not action or action[1] not in CREATES_NOTHING:
                    untokened.append(f"{template.name}: {action[1] if action else form[:60]}")
    assert untokened == []


def test_an_invitation_resent_by_a_double_click_goes_once(client, demo):
    from django.core import mail

    from partners.models import Role
    from partners.services import user_invite

    manager = demo["manager.actis"]
    invited = user_invite(
        partner=manager.partner, email="double@actis.example", first_name="Léa",
        last_name="Double-Clic", role=Role.CESF, by=manager,
    )  # fmt: skip
    client.force_login(manager)
    page = client.get(reverse("partners:user_detail", args=[invited.pk])).content.decode()
    url = reverse("partners:user_invitation_resend", args=[invited.pk])
    token = form_token(page, url)
    assert token, "the form carries its one-time token"
    mail.outbox.clear()
    for _ in range(2):
        assert client.post(url, {"submit_token": token}).status_code == 302
    assert [m.to for m in mail.outbox] == [["double@actis.example"]]
