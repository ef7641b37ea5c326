"""The household page keeps its history, workflow and involvements per state of the case
(cases.kept): an unchanged case is not read again, and whatever changes shows on the next
page at once."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from cases.kept import case_mark
from documents import services as document_services
from households import services as household_services
from partners import services as partner_services
from tests.documents import samples
from tests.factories import (
    PartnerFactory,
    both_approve,
    diagnostic_create,
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


def test_a_diagnostic_corrected_or_relied_on_shows_on_the_next_page(client, flow):
    """The diagnostics and why each can no longer be corrected are kept per state of the
    case: a correction shows at once, and so does a decision that comes to rest on one."""
    client.force_login(flow.cesf)
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(
        household=household, by=flow.cesf, conclusion="Première lecture « à revoir » 🏠."
    )
    _, before = page(client, household)
    assert "Première lecture « à revoir » 🏠." in before
    assert "Corriger le diagnostic du" in before
    household_services.diagnostic_update(
        diagnostic=diagnostic, by=flow.cesf, data={"conclusion": "Lecture corrigée, élevée."}
    )
    _, corrected = page(client, household)
    shown = corrected.split("Historique du dossier")[0]  # the history tells the correction
    assert "Lecture corrigée, élevée." in shown and "Première lecture" not in shown
    action_services.orientation_create(
        household=household,
        by=flow.cesf,
        kind="energy",
        association=flow.association,
        diagnostic=diagnostic,
        reason="Logement énergivore.",
    )
    _, relied_on = page(client, household)
    assert "Corriger le diagnostic du" not in relied_on
    assert "il ne se corrige plus" in relied_on


def test_a_document_added_shows_in_the_history_at_once(client, flow):
    """A case without documents does not look for their events; the first one moves the
    case's mark and shows on the next page."""
    client.force_login(flow.cesf)
    household = household_create(by=flow.cesf)
    _, before = page(client, household)
    assert "Quittance de novembre" not in section(before, "Historique du dossier")
    document_services.document_create(
        household=household,
        by=flow.cesf,
        uploads=[SimpleUploadedFile("quittance.pdf", samples.pdf("Quittance"))],
        kind="other",
        title="Quittance de novembre",
        dated_on=timezone.localdate(),
    )
    _, after = page(client, household)
    assert "Document « Quittance de novembre »" in section(after, "Historique du dossier")
