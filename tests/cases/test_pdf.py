"""PDF case summaries, rendered for real and read back."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from actions import services
from core.templatetags.fr_format import euros
from households.models import AccessLogEntry, Household
from tests.demo_access import SEES_NGUYEN, USERS
from tests.factories import both_approve, household_create, orientation_create
from tests.helpers import pdf_text, summary_pdf

CONFIDENTIAL_NOTE = "Situation familiale difficile"


def test_case_summary_holds_the_case_in_french(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    pages, text = pdf_text(summary_pdf(client, demo["caseworker.oiseaubleu"], nguyen))
    assert nguyen.reference in text and "NGUYEN" in text
    assert "Confidentiel" in pages[0] and "Le logement toujours" in pages[0]
    assert f"page 1 / {len(pages)}" in pages[0]
    assert "Exporté le" in text and "Oiseau Bleu" in text
    assert "Ressources 1 430,00 €" in text
    assert "Taux d'effort 31,8 %" in text
    assert "Opac38 : approuve" in text and "L'Oiseau Bleu : approuve" in text
    assert "Objectif : Demander une mutation" in text
    assert "Visite à domicile" in text


def test_a_renewed_then_closed_case_shows_its_dates_outcome_and_figures(client, flow):
    from decimal import Decimal

    from tests.factories import diagnostic_create, household_create

    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(
        household=household,
        by=flow.cesf,
        made_on=date(2026, 1, 5),
        rent_arrears=Decimal("1250.00"),
        rent_arrears_since=date(2025, 9, 1),
    )
    with time_machine.travel(date(2026, 1, 10)):
        orientation = orientation_create(
            cesf=flow.cesf, association=flow.association, household=household
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=date(2026, 1, 12),
        )
    measure = orientation.action.measures.get()
    with time_machine.travel(date(2026, 6, 20)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
    with time_machine.travel(date(2026, 9, 1)):
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={"happened_on": date(2026, 7, 3), "kind": "office", "summary": "Point budget."},
        )
        services.measure_close(
            measure=measure,
            by=flow.caseworker,
            outcome="stayed",
            closed_on=date(2026, 8, 31),
        )
    _, text = pdf_text(summary_pdf(client, flow.caseworker, household))
    # Closed before its term: the real end, then the term it had.
    assert (
        "Mesure du 12/01/2026 au 31/08/2026 (terme prévu le 12/01/2027, renouvelée une fois)"
        in text
    )
    assert "clôturée le 31/08/2026, issue : maintien dans le logement" in text
    assert "Impayés de loyer depuis le 01/09/2025 1 250,00 €" in text
    remaining = " ".join(euros(diagnostic.remaining_income_per_day).split())
    assert f"Reste à vivre par jour et par personne {remaining}" in text
    assert "03/07/2026 Entretien au bureau, " in text and ": Point budget." in text


def test_confidential_follow_ups_only_in_the_authors_partners_internal_export(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    _, own = pdf_text(summary_pdf(client, demo["manager.oiseaubleu"], nguyen, "interne"))
    assert CONFIDENTIAL_NOTE in own
    assert "Version interne complète" in own
    for username in ("cesf.opac38", "coordinator.lt"):
        _, other = pdf_text(summary_pdf(client, demo[username], nguyen, "interne"))
        assert CONFIDENTIAL_NOTE not in other
        assert "Visite à domicile : relevé des consommations" in other


@pytest.mark.parametrize("version", [None, "partenaires"])
def test_the_partners_version_holds_no_confidential_note_even_the_exporters_own(
    client, demo, version
):
    """It goes to the CCAPEX or the judge: the author's own partner exports it clean."""
    nguyen = Household.objects.get(name="Nguyen")
    _, text = pdf_text(summary_pdf(client, demo["caseworker.oiseaubleu"], nguyen, version))
    assert CONFIDENTIAL_NOTE not in text
    assert "Version pour les partenaires" in text
    assert "Visite à domicile : relevé des consommations" in text


def test_the_version_taken_is_in_the_access_log_and_an_unknown_one_refused(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    user = demo["manager.oiseaubleu"]
    summary_pdf(client, user, nguyen, "interne")
    summary_pdf(client, user, nguyen, "partenaires")
    actions = list(
        AccessLogEntry.objects.filter(household=nguyen, user=user)
        .order_by("-pk")
        .values_list("action", flat=True)[:2]
    )
    assert actions == ["export", "export_internal"]
    before = AccessLogEntry.objects.count()
    assert summary_pdf(client, user, nguyen, "tout").status_code == 400
    assert AccessLogEntry.objects.count() == before
    api = client.get(f"/api/households/{nguyen.pk}/resume-pdf/", {"version": "interne"})
    assert api.status_code == 200
    assert AccessLogEntry.objects.filter(user=user).latest("pk").action == "export_internal"


def test_the_summary_gives_the_procedure_its_deadlines_and_the_schemes(client, flow):
    household = household_create(by=flow.cesf, name="Procédure")
    orientation = orientation_create(
        cesf=flow.cesf,
        association=flow.association,
        kind="sliding_lease_eviction",
        household=household,
    )
    action = orientation.action
    both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    today = date.today()
    action.refresh_from_db()
    procedure = action.household.procedure
    services.procedure_update(
        procedure=procedure,
        by=flow.caseworker,
        data={"payment_order_on": today - timedelta(days=20), "court": "Tribunal de Grenoble"},
        expected_version=procedure.version,
    )
    services.action_update_tracking(
        action=action,
        by=flow.caseworker,
        data={"fsl_status": "requested", "overindebtedness_status": "none"},
        expected_version=action.version,
    )
    _, text = pdf_text(summary_pdf(client, flow.caseworker, household))
    assert "Procédure d'expulsion" in text
    assert f"{today - timedelta(days=20):%d/%m/%Y} — Commandement de payer" in text
    assert "Tribunal : Tribunal de Grenoble" in text
    assert "Échéances à venir" in text
    assert "FSL : demandé" in text
    assert "surendettement" not in text
    # One date format throughout: no date in words.
    assert " janvier " not in text and " février " not in text and "1er " not in text


def test_a_case_with_no_action_yet_gives_the_diagnostic_s_procedure_and_schemes(client, flow):
    """Before any action (a CCAPEX referral), the diagnostic is all the PDF can tell."""
    from tests.factories import diagnostic_create

    household = household_create(by=flow.cesf, name="Avantaction")
    diagnostic_create(
        household=household,
        by=flow.cesf,
        made_on=date(2026, 3, 2),
        procedure_stage="summons",
        procedure_stage_on=date(2026, 2, 20),
        hearing_on=date(2026, 4, 14),
        fsl_status="requested",
        repayment_plan_status="granted",
    )
    _, text = pdf_text(summary_pdf(client, flow.cesf, household))
    assert "Procédure au diagnostic : Assignation le 20/02/2026 ; audience le 14/04/2026" in text
    assert "FSL : demandé" in text and "plan d'apurement : accordé" in text
    assert "Taux d'effort énergétique" in text


def test_every_export_is_written_to_the_access_log(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    before = AccessLogEntry.objects.filter(household=nguyen, action="export").count()
    summary_pdf(client, demo["cesf.opac38"], nguyen)
    entries = AccessLogEntry.objects.filter(household=nguyen, action="export")
    assert entries.count() == before + 1
    assert entries.first().user == demo["cesf.opac38"]


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_case_summary(client, demo, username):
    nguyen = Household.objects.get(name="Nguyen")
    response = summary_pdf(client, demo[username], nguyen)
    assert response.status_code == (200 if username in SEES_NGUYEN else 404)


def test_a_long_case_runs_over_pages_with_repeated_headers_and_nothing_clipped(
    client, flow, settings
):
    settings.SUMMARY_JOURNAL_MAX = 400  # the whole journal in the PDF, for this test
    with time_machine.travel(date(2025, 11, 10)):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
        )
    measure = orientation.action.measures.get()
    household = orientation.household
    for index in range(300):
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": date(2025, 11, 10) + timedelta(days=index),
                "kind": "phone",
                "summary": f"Suivi numéro {index:03d} : point budget, démarches et rendez-vous "
                "à venir avec le ménage, compte rendu volontairement long pour occuper la ligne.",
            },
        )
    pages, text = pdf_text(summary_pdf(client, flow.caseworker, household))
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "Confidentiel" in page and household.reference in page
    assert all("Date Suivi : type, par, compte rendu" in page for page in pages[-3:])
    assert all(f"Suivi numéro {index:03d}" in text for index in range(300))


def test_the_household_page_links_the_export_for_those_allowed(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    url = reverse("households:summary_export", args=[nguyen.pk])
    client.force_login(demo["manager.opac38"])
    page = client.get(reverse("households:detail", args=[nguyen.pk])).content.decode()
    assert url in page
    assert '<option value="partenaires">' in page and '<option value="interne">' in page
