"""Reasons are required where a decision needs one, kept whole wherever the user wrote them,
and every typed text has one limit (core.text) that the form, the API and the database share."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import FollowUp
from codecision import services as codecision_services
from codecision.models import CoDecision, CoDecisionStatus
from core import text
from core.errors import DomainError
from core.text import BoundedTextField
from tests.factories import CoDecisionFactory, MeasureFactory, orientation_create
from tests.helpers import api_for, page_text

# Written by the application, never typed: no limit is needed.
APPLICATION_TEXTS = {"notifications.notification.text", "notifications.pendingnotice.text"}
PROJECT_APPS = {"actions", "codecision", "households", "partners", "cases", "funding"}
PROJECT_APPS |= {"notifications"}

# What people type: accents, quotes, emoji, line breaks.
SENTENCE = "L'association « Ulisse » n'a plus de place ce trimestre — désolé 😕.\n"


def typed(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


@pytest.fixture
def disagreement(flow):
    return CoDecisionFactory(cesf=flow.cesf, caseworker=flow.caseworker, disagreement=True)


@pytest.fixture
def measure(flow):
    return MeasureFactory(cesf=flow.cesf, caseworker=flow.caseworker)


# --- One limit, declared once ------------------------------------------------------------


def test_every_typed_text_column_has_a_limit_from_core_text():
    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.label_lower}.{field.name}"
            if field.name == "history_change_reason":
                assert isinstance(field, models.TextField), "a change reason is kept whole"
            elif isinstance(field, models.TextField) and name not in APPLICATION_TEXTS:
                if not isinstance(field, BoundedTextField):
                    unbounded.append(name)
            elif isinstance(field, models.CharField):
                assert field.max_length, name
    assert unbounded == []


def test_the_database_refuses_a_text_beyond_its_limit(measure, flow):
    follow_up = action_services.follow_up_create(
        household=measure.action.household,
        by=flow.caseworker,
        measure=measure,
        data={"happened_on": timezone.localdate(), "kind": "phone", "summary": "Appel."},
    )
    rows = FollowUp.objects.filter(pk=follow_up.pk)
    rows.update(summary=typed(text.ACCOUNT))  # at the limit: kept
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(summary=typed(text.ACCOUNT + 1))


def test_a_service_refuses_a_text_beyond_its_limit_in_french(measure, flow):
    with pytest.raises(DomainError, match="la limite est de 50\u202f000 caractères") as refused:
        action_services.follow_up_create(
            household=measure.action.household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": timezone.localdate(),
                "kind": "home_visit",
                "summary": typed(text.ACCOUNT + 1),
            },
        )
    assert refused.value.field == "summary"
    with pytest.raises(DomainError, match="caractère nul"):
        action_services.objective_add(measure=measure, by=flow.caseworker, text="Budget\x00")


# --- Whole reasons (issue: 130-character comment, 140 arbitration, 81 renewal) ------------


def test_long_comments_and_reasons_are_stored_whole_by_the_services(flow, disagreement, measure):
    arbitration = typed(140)
    codecision_services.codecision_arbitrate(
        codecision=disagreement, by=flow.coordinator, decision="reopen", comment=arbitration
    )
    comment = typed(130)
    codecision_services.codecision_answer(
        codecision=disagreement, by=flow.cesf, answer="adjourn", comment=comment
    )
    reasons = list(disagreement.history.values_list("history_change_reason", flat=True))
    assert any(arbitration in r for r in reasons) and any(comment in r for r in reasons)
    assert disagreement.answers.last().comment == comment
    renewal = action_services.renewal_request(
        measure=measure, by=flow.caseworker, comment=typed(81)
    )
    assert renewal.reason == typed(81) and renewal.proposed_by == flow.caseworker


def test_long_comments_and_reasons_go_through_the_pages(client, flow, disagreement, measure):
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("codecision:arbitrate", args=[disagreement.pk]),
        {"decision": "reopen", "comment": typed(140)},
    )
    assert response.status_code == 302
    client.force_login(flow.cesf)
    response = client.post(
        reverse("codecision:answer", args=[disagreement.pk]),
        {"answer": "adjourn", "comment": typed(130)},
    )
    assert response.status_code == 302
    assert disagreement.answers.last().comment == typed(130)
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:renewal_request", args=[measure.pk]), {"comment": typed(81)}
    )
    renewal = measure.renewal_codecisions.get()
    assert response.url == reverse("codecision:detail", args=[renewal.pk])
    # The renewal's co-decision shows its own proposer and reason, not the start's.
    detail = page_text(client.get(response.url))
    assert typed(81).replace("\n", "<br>") in detail
    assert "Logement énergivore" not in detail


def test_long_comments_and_reasons_go_through_the_api(flow, disagreement, measure):
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{disagreement.pk}/arbitrate/",
        {"decision": "reopen", "comment": typed(140)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["arbitration_comment"] == typed(140)
    response = api_for(flow.cesf).post(
        f"/api/codecisions/{disagreement.pk}/adjourn/", {"comment": typed(130)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["answers"][-1]["comment"] == typed(130)
    caseworker = api_for(flow.caseworker)
    response = caseworker.post(
        f"/api/measures/{measure.pk}/renewal/", {"comment": typed(81)}, format="json"
    )
    assert response.status_code == 201, response.json()
    renewal = caseworker.get(f"/api/codecisions/{response.json()['id']}/").json()
    assert renewal["reason"] == typed(81) and renewal["proposed_by"] == flow.caseworker.pk


def test_5000_character_comments_go_through_every_answer_form_and_api(client, flow, measure):
    long = typed(5000)
    start = orientation_create(cesf=flow.cesf, association=flow.association)
    start = start.action.codecisions.get()
    client.force_login(flow.cesf)
    response = client.post(
        reverse("codecision:answer", args=[start.pk]), {"answer": "reject", "comment": long}
    )
    assert response.status_code == 302
    response = api_for(flow.caseworker).post(
        f"/api/codecisions/{start.pk}/approve/",
        {"comment": long, "referent": flow.caseworker.pk},
        format="json",
    )
    assert response.status_code == 200
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{start.pk}/arbitrate/",
        {"decision": "reject", "comment": long},
        format="json",
    )
    assert response.status_code == 200
    assert [a.comment for a in start.answers.all()] == [long, long]
    start.refresh_from_db()
    assert start.status == CoDecisionStatus.REJECTED and start.arbitration_comment == long
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:follow_up_create", args=[measure.action.household.pk])
        + f"?mesure={measure.pk}",
        {"happened_on": timezone.localdate().isoformat(), "kind": "home_visit", "summary": long},
    )
    assert response.status_code == 302
    response = client.post(reverse("actions:renewal_request", args=[measure.pk]), {"comment": long})
    assert response.status_code == 302
    response = client.post(
        reverse("actions:measure_close", args=[measure.pk]),
        {"outcome": "other", "outcome_detail": long, "version": measure.version, "confirm": "1"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.outcome_detail == long
    assert CoDecision.objects.get(reason=long).purpose == "renewal"


def test_a_text_beyond_its_limit_is_refused_in_french_by_page_and_api(client, flow, disagreement):
    too_long = typed(text.REASON + 1)
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("codecision:arbitrate", args=[disagreement.pk]),
        {"decision": "reject", "comment": too_long},
    )
    assert response.status_code == 400
    assert "au plus 10000 caractères" in page_text(response)
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{disagreement.pk}/arbitrate/",
        {"decision": "reject", "comment": too_long},
        format="json",
    )
    assert response.status_code == 400
    assert "au plus 10000" in response.json()["comment"][0]
    disagreement.refresh_from_db()
    assert disagreement.status == CoDecisionStatus.DISAGREEMENT


# --- Reasons required ------------------------------------------------------------------


def test_a_refusal_needs_a_reason_in_the_service_page_and_api(client, flow):
    start = orientation_create(cesf=flow.cesf, association=flow.association)
    start = start.action.codecisions.get()
    with pytest.raises(DomainError, match="Motivez le refus"):
        codecision_services.codecision_answer(
            codecision=start, by=flow.cesf, answer="reject", comment="  "
        )
    client.force_login(flow.cesf)
    response = client.post(reverse("codecision:answer", args=[start.pk]), {"answer": "reject"})
    assert response.status_code == 400 and "Motivez le refus" in page_text(response)
    response = api_for(flow.caseworker).post(f"/api/codecisions/{start.pk}/reject/", {})
    assert response.status_code == 400 and "Motivez le refus" in str(response.json())
    start.refresh_from_db()
    assert start.status == CoDecisionStatus.PENDING and not start.answers.exists()


def test_an_arbitration_needs_a_reason_in_the_page_and_api(client, flow, disagreement):
    client.force_login(flow.coordinator)
    response = client.post(
        reverse("codecision:arbitrate", args=[disagreement.pk]), {"decision": "reject"}
    )
    assert response.status_code == 400
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{disagreement.pk}/arbitrate/",
        {"decision": "reject", "comment": " "},
        format="json",
    )
    assert response.status_code == 400
    disagreement.refresh_from_db()
    assert disagreement.status == CoDecisionStatus.DISAGREEMENT


def test_a_renewal_request_needs_a_reason_in_the_service_page_and_api(client, flow, measure):
    with pytest.raises(DomainError, match="Motivez la demande de renouvellement"):
        action_services.renewal_request(measure=measure, by=flow.caseworker, comment="")
    client.force_login(flow.caseworker)
    response = client.post(reverse("actions:renewal_request", args=[measure.pk]), {"comment": ""})
    assert response.status_code == 400
    response = api_for(flow.caseworker).post(
        f"/api/measures/{measure.pk}/renewal/", {}, format="json"
    )
    assert response.status_code == 400
    assert "Motivez la demande de renouvellement" in str(response.json())
    assert not measure.renewal_codecisions.exists()
