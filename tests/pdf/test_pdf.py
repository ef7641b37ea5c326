"""PDF case summaries and committee minutes, rendered for real and read back."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from actions import services
from codecision.models import CommitteeSession
from households.models import AccessLogEntry, Household
from households.pdf import ExternalResourceRefused, LocalOnlyURLFetcher
from households.templatetags.fr_format import date_fr, euros
from tests.demo_access import SEES_NGUYEN, USERS
from tests.factories import both_approve, orientation_create

CONFIDENTIAL_NOTE = "Situation familiale difficile"


def pdf_text(response) -> tuple[list[str], str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Words as a reader sees them: line breaks and (narrow) no-break spaces as spaces.
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return pages, " ".join(pages)


def summary(client, user, household):
    client.force_login(user)
    return client.get(reverse("households:summary_pdf", args=[household.pk]))


def test_french_formats():
    assert euros(1234.5) == "1\u202f234,50\xa0€"
    assert euros("1234567.891") == "1\u202f234\u202f567,89\xa0€"
    assert euros(-12) == "−12,00\xa0€"
    assert date_fr(date(2027, 3, 1)) == "1er mars 2027"


def test_case_summary_holds_the_case_in_french(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    pages, text = pdf_text(summary(client, demo["caseworker.oiseaubleu"], nguyen))
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

    from codecision import services as codecision_services
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
        renewal = codecision_services.renewal_request(measure=measure, by=flow.caseworker)
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
            outcome="eviction_avoided",
            closed_on=date(2026, 8, 31),
        )
    _, text = pdf_text(summary(client, flow.caseworker, household))
    assert "Mesure du 12/01/2026 au 12/01/2027 (renouvelée une fois)" in text
    assert "clôturée le 31/08/2026, issue : expulsion évitée" in text
    assert "Impayés de loyer depuis le 01/09/2025 1 250,00 €" in text
    remaining = " ".join(euros(diagnostic.remaining_income_per_day).split())
    assert f"Reste à vivre par jour et par personne {remaining}" in text
    assert "03/07/2026 Entretien au bureau, " in text and ": Point budget." in text


def test_confidential_follow_ups_only_in_the_authors_partners_export(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    _, own = pdf_text(summary(client, demo["manager.oiseaubleu"], nguyen))
    assert CONFIDENTIAL_NOTE in own
    for username in ("cesf.opac38", "coordinator.lt"):
        _, other = pdf_text(summary(client, demo[username], nguyen))
        assert CONFIDENTIAL_NOTE not in other
        assert "Visite à domicile : relevé des consommations" in other


def test_every_export_is_written_to_the_access_log(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    before = AccessLogEntry.objects.filter(household=nguyen, action="export").count()
    summary(client, demo["cesf.opac38"], nguyen)
    entries = AccessLogEntry.objects.filter(household=nguyen, action="export")
    assert entries.count() == before + 1
    assert entries.first().user == demo["cesf.opac38"]


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_case_summary(client, demo, username):
    nguyen = Household.objects.get(name="Nguyen")
    response = summary(client, demo[username], nguyen)
    assert response.status_code == (200 if username in SEES_NGUYEN else 404)


def test_a_long_case_runs_over_pages_with_repeated_headers_and_nothing_clipped(client, flow):
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
    pages, text = pdf_text(summary(client, flow.caseworker, household))
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "Confidentiel" in page and household.reference in page
    assert all("Date Suivi : type, par, compte rendu" in page for page in pages[-3:])
    assert all(f"Suivi numéro {index:03d}" in text for index in range(300))


def test_the_fetcher_refuses_external_addresses():
    fetcher = LocalOnlyURLFetcher()
    for url in ("http://example.com/x.css", "https://example.com/", "file:///etc/passwd"):
        with pytest.raises(ExternalResourceRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("static:/css/print.css").status == 200


def test_committee_minutes(client, demo):
    session = CommitteeSession.objects.get()
    client.force_login(demo["coordinator.lt"])
    client.post(reverse("codecision:session_sign_off", args=[session.pk]), {"notes": "Relevé."})
    response = client.get(reverse("codecision:minutes_pdf", args=[session.pk]))
    _, text = pdf_text(response)
    assert f"{session.held_on:%d/%m/%Y}" in text
    assert "Lefèvre" in text and "Garcia" in text
    assert "Opac38 : Approuve" in text and "Ulisse Energie : Refuse" in text
    assert "L'Oiseau Bleu : Demande l'ajournement" in text and "Ajournée" in text
    assert "validé par" in text
    examined = {c.action.household_id for c in session.codecisions.all()}
    logged = AccessLogEntry.objects.filter(
        user=demo["coordinator.lt"], action="export", household__in=examined
    )
    assert {entry.household_id for entry in logged} == examined


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_committee_minutes(client, demo, username):
    session = CommitteeSession.objects.get()
    client.force_login(demo[username])
    response = client.get(reverse("codecision:minutes_pdf", args=[session.pk]))
    assert response.status_code == (200 if username == "coordinator.lt" else 403)


def test_the_household_page_links_the_export_for_those_allowed(client, demo):
    nguyen = Household.objects.get(name="Nguyen")
    url = reverse("households:summary_pdf", args=[nguyen.pk])
    client.force_login(demo["manager.opac38"])
    assert url in client.get(reverse("households:detail", args=[nguyen.pk])).content.decode()


def test_a_pdf_never_loads_an_outside_address(settings, tmp_path, monkeypatch):
    """The renderer itself goes through the local-only fetcher: an image from the web is
    refused there (WeasyPrint then leaves it out) and never reaches the network."""
    from weasyprint.urls import URLFetcher

    from households.pdf import render_pdf

    asked, reached = [], []
    own_fetch, base_fetch = LocalOnlyURLFetcher.fetch, URLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return own_fetch(self, url, headers)
        except ExternalResourceRefused:
            asked.append(url)
            raise

    def network(self, url, headers=None):
        reached.append(url)
        return base_fetch(self, url, headers)

    monkeypatch.setattr(LocalOnlyURLFetcher, "fetch", spy)
    monkeypatch.setattr(URLFetcher, "fetch", network)
    template = tmp_path / "outside.html"
    template.write_text('<p>Logo</p><img src="http://example.com/logo.png">')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert render_pdf("outside.html", {}).startswith(b"%PDF")
    assert asked == ["http://example.com/logo.png"]
    assert not any(url.startswith("http") for url in reached)
