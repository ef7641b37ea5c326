"""The household page keeps its history, workflow and involvements per state of the case
(cases.kept): an unchanged case is not read again, and whatever changes shows on the next
page at once."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.kept import case_mark
from partners import services as partner_services
from tests.factories import (
    PartnerFactory,
    both_approve,
    household_create,
    orientation_create,
)
from tests.helpers import page_text as text


def page(client, household) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == 200
    return len(queries), text(response)


def section(content: str, title: str) -> str:
    return content.split(title, 1)[1]


def test_an_unchanged_case_is_not_read_again(logged_in, cesf):
    household = household_create(by=cesf)
    first, _ = page(logged_in, household)
    again, _ = page(logged_in, household)
    # The history (one query per kind of record), the workflow and the involvements (one
    # query per source) are not read a second time.
    assert again <= first - 10


def test_each_step_of_the_workflow_shows_on_the_next_page(client, flow):
    client.force_login(flow.cesf)
    household = household_create(by=flow.cesf)
    _, before = page(client, household)
    assert "diagnostic à réaliser" in before
    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, household=household
    )
    _, oriented = page(client, household)
    assert "diagnostic à réaliser" not in oriented
    assert "en co-décision" in section(oriented, "Où en est le dossier").lower()
    assert flow.association.name in section(oriented, "Partenaires impliqués")
    both_approve(
        orientation.action.codecisions.get(),
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
    )
    _, approved = page(client, household)
    assert "Fin de la mesure d'accompagnement" in approved
    assert "modification · Co-décision" in section(approved, "Historique du dossier")


def test_a_partner_that_leaves_shows_at_once(client, flow):
    client.force_login(flow.cesf)
    household = household_create(by=flow.cesf)
    orientation_create(cesf=flow.cesf, association=flow.association, household=household)
    _, before = page(client, household)
    assert "sorti du dispositif" not in before
    partner_services.partner_update(
        partner=flow.association, by=flow.coordinator, data={"active": False}
    )
    _, after = page(client, household)
    assert f"{flow.association.name} (sorti du dispositif)" in after


def test_the_next_day_the_case_is_read_again(cesf):
    household = household_create(by=cesf)
    today = case_mark(household)
    assert case_mark(household) == today
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert case_mark(household) != today


def test_a_new_landlord_named_elsewhere_is_not_kept_stale(logged_in, cesf):
    household = household_create(by=cesf)
    page(logged_in, household)
    household.landlord = PartnerFactory(name="Bailleur du Trièves")
    household.save()
    _, content = page(logged_in, household)
    assert "Bailleur du Trièves" in section(content, "Historique du dossier")
