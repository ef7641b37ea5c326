"""Each workflow rule lives in one service or query set; the page, the form, the API and the
reminders read it, so they cannot disagree (issue: rules written two or three times)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from actions import services
from actions.models import ActionKind, SupportMeasure
from cases.timeline import case_workflow
from codecision import services as codecision_services
from codecision.models import Answer, CoDecision, CoDecisionStatus, Side
from core.errors import DomainError
from notifications.models import Notification
from notifications.sweep import sweep
from partners.models import Role
from tests.factories import (
    both_approve,
    diagnostic_create,
    household_create,
    orientation_create,
    user_create,
)
from tests.helpers import api_for

# --- The referent is an active caseworker of the association --------------------------------


@pytest.fixture
def former_caseworker(flow):
    user = user_create(Role.CASEWORKER, partner=flow.association)
    user.is_active = False
    user.save()
    return user


def test_an_inactive_referent_is_refused_by_the_service(flow, former_caseworker):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association).action
    codecision = codecision.codecisions.get()
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    with pytest.raises(DomainError, match="travailleurs sociaux en activité"):
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.caseworker,
            answer=Answer.APPROVE,
            referent=former_caseworker,
        )


def test_an_inactive_referent_is_refused_by_the_api_as_by_the_form(client, flow, former_caseworker):
    action = orientation_create(cesf=flow.cesf, association=flow.association).action
    codecision = action.codecisions.get()
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    response = api_for(flow.caseworker).post(
        f"/api/codecisions/{codecision.pk}/approve/",
        {"referent": former_caseworker.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "en activité" in str(response.data)
    assert not SupportMeasure.objects.filter(action=action).exists()
    client.force_login(flow.caseworker)
    page = client.get(reverse("codecision:detail", args=[codecision.pk])).content.decode()
    assert f'value="{flow.caseworker.pk}"' in page
    assert f'value="{former_caseworker.pk}"' not in page
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]),
        {"answer": Answer.APPROVE, "referent": former_caseworker.pk},
    )
    assert response.status_code == 400
    assert not SupportMeasure.objects.filter(action=action).exists()


# --- Who may propose which action -------------------------------------------------------------


def test_who_may_propose_which_action_is_one_rule(flow):
    tenant = household_create(by=flow.cesf)
    applicant = household_create(by=flow.caseworker)
    other_cesf = user_create(Role.CESF)
    assert services.orientation_kinds(flow.cesf, tenant) == [
        ActionKind.ENERGY,
        ActionKind.SOLVENCY,
        ActionKind.SLIDING_LEASE_EVICTION,
    ]
    assert services.orientation_kinds(flow.caseworker, applicant) == [ActionKind.SCATTERED_HOUSING]
    assert services.orientation_kinds(flow.caseworker, tenant) == []
    assert services.orientation_kinds(other_cesf, tenant) == []
    assert services.orientation_kinds(flow.coordinator, tenant) == []


def test_the_orientation_form_offers_exactly_what_the_service_accepts(client, flow):
    tenant = household_create(by=flow.cesf)
    diagnostic_create(household=tenant, by=flow.cesf)  # the form is offered with one
    client.force_login(flow.cesf)
    page = client.get(reverse("actions:orientation_create", args=[tenant.pk])).content.decode()
    for kind in ActionKind:
        offered = f'value="{kind}"' in page
        assert offered == (kind in services.orientation_kinds(flow.cesf, tenant)), kind


def test_a_caseworker_may_not_orient_a_tenant_by_page_or_api(client, flow):
    tenant = household_create(by=flow.cesf)
    orientation_create(cesf=flow.cesf, association=flow.association, household=tenant)
    client.force_login(flow.caseworker)
    response = client.get(reverse("actions:orientation_create", args=[tenant.pk]))
    assert response.status_code == 403
    response = api_for(flow.caseworker).post(
        "/api/orientations/",
        {
            "household": tenant.pk,
            "kind": ActionKind.SCATTERED_HOUSING,
            "association": flow.association.pk,
            "landlord": flow.landlord.pk,
            "reason": "Essai",
        },
        format="json",
    )
    assert response.status_code == 403


# --- Waiting for a partner's answer -----------------------------------------------------------


@pytest.fixture
def one_codecision(flow):
    return orientation_create(cesf=flow.cesf, association=flow.association)


answers = st.sampled_from(["", *Answer.values])
statuses = st.sampled_from(CoDecisionStatus.values)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(status=statuses, landlord=answers, association=answers)
def test_waiting_for_an_answer_reads_the_same_on_a_row_and_in_a_query(
    one_codecision, status, landlord, association
):
    """CoDecision.sides_waiting (a row: the case's timeline) and the query set's waiting_on
    (lists, API, reminders) are one rule. Each example sets the whole row."""
    both_approved = landlord == association == Answer.APPROVE
    assume(status != CoDecisionStatus.APPROVED or both_approved)  # a database constraint
    row = CoDecision.objects.filter(pk=one_codecision.action.codecisions.get().pk)
    row.update(status=status, landlord_answer=landlord, association_answer=association)
    codecision = row.get()
    for side in Side:
        in_query = row.waiting_on(side).exists()
        assert in_query == (side in codecision.sides_waiting())
        partner = codecision.partner_of(side)
        mine = CoDecision.objects.waiting_for(partner).filter(pk=codecision.pk).exists()
        assert mine == in_query


def test_a_side_that_refused_is_no_longer_waited_for_anywhere(client, flow):
    with time_machine.travel(date(2026, 3, 2)):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision = orientation.action.codecisions.get()
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.cesf, answer="reject", comment="Le ménage a déménagé."
        )
    household = codecision.household
    step = case_workflow(household).current_step
    assert f"en attente de {flow.association}" in step
    assert str(flow.landlord) not in step
    assert list(CoDecision.objects.waiting_for(flow.landlord)) == []
    assert list(CoDecision.objects.waiting_for(flow.association)) == [codecision]
    client.force_login(flow.cesf)
    assert household.reference not in client.get(reverse("codecision:pending")).content.decode()
    waiting = api_for(flow.cesf).get("/api/codecisions/", {"waiting": "true"}).data
    assert waiting["count"] == 0
    sweep(date(2026, 3, 20))
    assert not Notification.objects.filter(recipient=flow.cesf, kind__startswith="codecision_w")
    assert Notification.objects.filter(recipient=flow.caseworker, kind__startswith="codecision_w")


# --- Attention flags and their settings -------------------------------------------------------


def started_today(flow) -> SupportMeasure:
    action = orientation_create(cesf=flow.cesf, association=flow.association).action
    both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    return action.measures.get()


def test_a_measure_started_today_is_not_shown_without_follow_up(client, flow):
    measure = started_today(flow)
    client.force_login(flow.caseworker)
    response = client.get(reverse("actions:measure_overview"))
    [row] = [row for row in response.context["rows"] if row["measure"] == measure]
    assert not row["quiet"]
    assert "pas de suivi depuis" not in response.content.decode()


@override_settings(REMINDER_NO_FOLLOW_UP_DAYS=10, REMINDER_MEASURE_END_DAYS=[45, 7])
def test_the_overview_and_the_reminders_read_the_same_settings(client, flow):
    start = timezone.localdate() - timedelta(days=150)
    with time_machine.travel(start):
        measure = started_today(flow)
    today = timezone.localdate()
    flags = SupportMeasure.objects.with_attention(today).get(pk=measure.pk)
    assert (flags.quiet, flags.ends_soon, flags.overdue) == (True, True, False)
    client.force_login(flow.caseworker)
    page = client.get(reverse("actions:measure_overview")).content.decode()
    assert "pas de suivi depuis 10 jours" in page
    assert "fin dans moins de 45 jours" in page
    sweep(today)
    kinds = set(
        Notification.objects.filter(recipient=flow.caseworker).values_list("kind", flat=True)
    )
    assert {"no_follow_up", "measure_end_45"} <= kinds
