"""Actions offered only when possible, with the reason when not: « Orienter » before a
diagnostic, the answer forms, the closure of a measure (a confirmation, no outcome chosen in
advance, the real end date, objectives left « À engager »)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import MeasureObjective
from codecision.models import CoDecision
from core.errors import DomainError
from tests.factories import (
    MeasureFactory,
    diagnostic_create,
    household_create,
    orientation_create,
)
from tests.helpers import page_text


def test_orienter_waits_for_a_diagnostic_and_says_so(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    page = page_text(client.get(reverse("households:detail", args=[household.pk])))
    orient_url = reverse("actions:orientation_create", args=[household.pk])
    assert orient_url not in page
    button = re.search(r"<button[^>]*disabled[^>]*>Orienter</button>", page)
    assert button and 'aria-describedby="orientation-refusal"' in button.group(0)
    assert services.NEEDS_DIAGNOSTIC in page
    form_page = page_text(client.get(orient_url))
    assert services.NEEDS_DIAGNOSTIC in form_page and 'name="kind"' not in form_page
    diagnostic_create(household=household, by=flow.cesf)
    page = page_text(client.get(reverse("households:detail", args=[household.pk])))
    assert orient_url in page and services.NEEDS_DIAGNOSTIC not in page


def test_an_association_orients_an_applicant_without_a_diagnostic(client, flow):
    household = household_create(by=flow.caseworker)
    client.force_login(flow.caseworker)
    page = page_text(client.get(reverse("households:detail", args=[household.pk])))
    assert reverse("actions:orientation_create", args=[household.pk]) in page
    assert services.orientation_refusal(flow.caseworker, household) is None


def test_the_service_refuses_with_the_same_reason(flow):
    household = household_create(by=flow.cesf)
    with pytest.raises(DomainError) as refused:
        services.orientation_create(
            household=household,
            by=flow.cesf,
            kind="energy",
            association=flow.association,
            reason="Factures élevées.",
        )
    assert refused.value.message == services.NEEDS_DIAGNOSTIC


def test_the_landlord_answers_without_referent_nor_start_and_the_form_goes_once_answered(
    client, flow
):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = codecision.action.codecisions.get()
    url = reverse("codecision:detail", args=[codecision.pk])
    client.force_login(flow.cesf)
    page = page_text(client.get(url))
    assert 'name="answer"' in page
    assert 'name="referent"' not in page and 'name="starts_on"' not in page
    response = client.post(
        reverse("codecision:answer", args=[codecision.pk]), {"answer": "approve"}
    )
    assert response.status_code == 302
    page = page_text(client.get(url))
    assert 'name="answer"' not in page
    assert "Votre structure a répondu : <strong>approuve</strong>" in page
    client.force_login(flow.caseworker)
    page = page_text(client.get(url))
    assert 'name="referent"' in page and 'name="starts_on"' in page


def test_the_arbitration_page_has_unique_ids_and_no_empty_label(client, flow):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = codecision.action.codecisions.get()
    from codecision import services as codecision_services

    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision_services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="reject", comment="Pas de place."
    )
    client.force_login(flow.coordinator)
    page = client.get(reverse("codecision:detail", args=[codecision.pk])).content.decode()
    assert 'name="decision"' in page and 'name="comment"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'for=""' not in page
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert target in ids


def active_measure(flow):
    return MeasureFactory(
        cesf=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() - timedelta(days=40),
    )


def test_closing_a_measure_asks_for_a_confirmation_and_warns(client, flow):
    measure = active_measure(flow)
    services.objective_add(measure=measure, by=flow.caseworker, text="Constituer le dossier FSL")
    client.force_login(flow.caseworker)
    measure_url = reverse("actions:measure_detail", args=[measure.pk])
    page = page_text(client.get(measure_url))
    select = re.search(r'<select name="outcome".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>Choisir l\'issue</option>', select)
    assert "Bail glissé" not in select  # not an outcome of action 1
    assert "encore « À engager »" in page
    close_url = reverse("actions:measure_close", args=[measure.pk])
    response = client.post(close_url, {"version": measure.version})
    assert response.status_code == 400 and "Issue : Ce champ est obligatoire." in page_text(
        response
    )
    today = timezone.localdate()
    response = client.post(close_url, {"outcome": "stayed", "version": measure.version})
    confirm = page_text(response)
    assert response.status_code == 200 and "Confirmer la clôture" in confirm
    assert "Constituer le dossier FSL" in confirm and "encore « À engager »" in confirm
    assert f"avant son terme prévu le {measure.ends_on:%d/%m/%Y}" in confirm
    measure.refresh_from_db()
    assert measure.status == "active"  # nothing closed before the confirmation
    response = client.post(
        close_url, {"outcome": "stayed", "version": measure.version, "confirm": "1"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "closed" and measure.closed_on == today
    page = page_text(client.get(measure_url))
    assert (
        f"au {today:%d/%m/%Y}, clôturée avant son terme prévu le {measure.ends_on:%d/%m/%Y}" in page
    )
    household_page = page_text(
        client.get(reverse("households:detail", args=[measure.action.household_id]))
    )
    assert f"au {today:%d/%m/%Y} (terme prévu le {measure.ends_on:%d/%m/%Y})" in household_page


def test_no_warning_when_every_objective_moved(flow):
    measure = active_measure(flow)
    services.objective_add(measure=measure, by=flow.caseworker, text="Budget")
    objective = MeasureObjective.objects.get(measure=measure)
    services.objective_set_status(objective=objective, by=flow.caseworker, status="achieved")
    assert services.measure_closure_warnings(measure, measure.ends_on) == []
    assert CoDecision.objects.filter(household=measure.action.household).exists()


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("solvency", ["repayment_plan_monthly", "read_on"]),
        ("sliding_lease_eviction", ["address", "glide_on", "end_reason"]),
    ],
)
def test_the_action_page_s_forms_give_no_id_twice(client, flow, kind, fields):
    """Its sections' forms are all on the page, most with a `version`: each keeps its ids."""
    from tests.factories import both_approve

    orientation = orientation_create(cesf=flow.cesf, association=flow.association, kind=kind)
    action = orientation.action
    both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    client.force_login(flow.caseworker)
    page = client.get(reverse("actions:action_detail", args=[action.pk])).content.decode()
    for field in fields:
        assert f'name="{field}"' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]*)"', page):
        assert target in ids


def test_the_procedure_page_s_two_forms_give_no_id_twice(client, flow):
    from tests.factories import both_approve

    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, kind="sliding_lease_eviction"
    )
    action = orientation.action
    both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    client.force_login(flow.caseworker)
    url = reverse("actions:procedure_detail", args=[action.household_id])
    page = client.get(url).content.decode()
    assert 'name="end_reason"' in page and page.count('name="version"') == 2
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]*)"', page):
        assert target in ids


def test_an_objective_s_unreadable_state_is_said_in_the_error_summary(client, flow):
    measure = active_measure(flow)
    services.objective_add(measure=measure, by=flow.caseworker, text="Budget")
    objective = MeasureObjective.objects.get(measure=measure)
    client.force_login(flow.caseworker)
    response = client.post(
        reverse("actions:objective_status", args=[measure.pk]),
        {"objective": objective.pk, "status": "fini"},
    )
    page = page_text(response)
    assert response.status_code == 400
    summary = page[page.index("data-error-summary") :]
    assert "Sélectionnez un choix valide" in summary[: summary.index("</div>")]
    assert "<li>status" not in page and "<li>objective" not in page
    objective.refresh_from_db()
    assert objective.status == "todo"
