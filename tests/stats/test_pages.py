"""The statistics page, its exports, the pseudonymised lists, the annual report, and what a
funder can open: a crawl by each demo funder finds no household reference anywhere."""

import io
import re
import zipfile
from collections import deque
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from actions.models import SupportMeasure
from households.models import AccessAction, AccessLogEntry, Household
from stats import report
from stats.models import AnnualReport, ReportStatus, ReportText
from tests.demo_access import FUNDERS, USERS

STATISTICS = {"coordinator.lt", *FUNDERS} | {u for u in USERS if u.startswith("manager.")}
REFERENCE = re.compile(r"LT-\d{4}-\d{3,}")


def text_of_pdf(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def text_of(response) -> str:
    """Whatever a person could read in the answer: a page, a CSV, a workbook, a PDF."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return text_of_pdf(content)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist())
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_statistics(client, demo, username):
    client.force_login(demo[username])
    pages = {
        "page": reverse("stats:page", args=[2016]),
        "figures.csv": reverse("stats:figures_export", args=[2016, "csv"]),
        "figures.xlsx": reverse("stats:figures_export", args=[2016, "xlsx"]),
        "households.xlsx": reverse("stats:households_export", args=[2026, "xlsx"]),
        "measures.csv": reverse("stats:measures_export", args=[2026, "csv"]),
        "report": reverse("stats:report", args=[2016]),
    }
    outcomes = {name: client.get(url).status_code for name, url in pages.items()}
    seen = 200 if username in STATISTICS else 403
    exports = 200 if username == "coordinator.lt" else 403
    assert outcomes == {
        "page": seen,
        "figures.csv": seen,
        "figures.xlsx": seen,
        "households.xlsx": exports,
        "measures.csv": exports,
        "report": seen,
    }
    generate = client.post(reverse("stats:report_generate", args=[2016]))
    assert generate.status_code == (302 if username == "coordinator.lt" else 403)


def test_the_statistics_page_shows_the_year_the_previous_and_the_charts(client, demo):
    client.force_login(demo["coordinator.lt"])
    page = client.get(reverse("stats:page", args=[2016])).content.decode()
    assert "Statistiques 2016" in page and "2015" in page
    assert '<td class="amount" id="households-targeted">80</td>' in page
    # Households by action and money by funder; no chart of outcomes or territories where
    # the 2016 seed has none.
    assert page.count("<svg") == 2 and 'viewBox="0 0 520' in page
    assert "< 5" not in page.split("Chiffres clés")[1]  # the coordination reads every figure
    partial = client.get(reverse("stats:page", args=[2016]), {"since": "2016-03-01"})
    assert "du 01/03/2016 au 31/12/2016" in partial.content.decode()
    wrong = client.get(
        reverse("stats:page", args=[2016]), {"since": "2016-05-01", "until": "0201-01-01"}
    )
    assert wrong.status_code == 200 and "Choisissez une date entre" in wrong.content.decode()


def test_the_exports_keep_the_period_through_querystring(client, demo):
    """The export links carry the period read (Django's {% querystring %}); the view
    computes no query string of its own."""
    client.force_login(demo["coordinator.lt"])
    response = client.get(reverse("stats:page", args=[2016]), {"since": "2016-03-01"})
    assert "querystring" not in response.context
    page = response.content.decode()
    export = reverse("stats:figures_export", args=[2016, "xlsx"])
    assert f'href="{export}?since=2016-03-01"' in page
    plain = client.get(reverse("stats:page", args=[2016])).content.decode()
    assert f'href="{export}"' in plain  # no dangling "?"


def test_a_missing_target_prompts_the_coordination(client, demo):
    client.force_login(demo["coordinator.lt"])
    page = client.get(reverse("stats:page", args=[2027])).content.decode()
    assert 'id="target-missing"' in page and reverse("funding:budget_edit", args=[2027]) in page
    response = client.post(
        reverse("funding:budget_edit", args=[2027]),
        {"amount_engaged": "210000", "households_targeted": "85", "flat_fee": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("stats:page", args=[2027])).content.decode()
    assert 'id="target-missing"' not in page
    assert '<td class="amount" id="households-targeted">85</td>' in page
    dashboard = client.get(reverse("funding:dashboard", args=[2028])).content.decode()
    assert 'id="budget-missing"' in dashboard


def test_a_manager_reads_its_own_figures_beside_the_programme_under_secrecy(client, demo):
    client.force_login(demo["manager.opac38"])
    page = client.get(reverse("stats:page", args=[2026])).content.decode()
    assert '<th scope="col" class="amount">Opac38</th>' in page
    assert 'id="table-by_kind-own"' in page
    assert "&lt; 5" in page and 'id="secrecy"' in page
    from openpyxl import load_workbook

    export = client.get(reverse("stats:figures_export", args=[2026, "xlsx"]))
    names = load_workbook(io.BytesIO(export.content)).sheetnames
    programme = [n for n in names if n.startswith("Issues des mesures")]
    assert len(programme) == 2 and any(n.endswith("(vous)") for n in programme)


def test_exports_carry_number_and_euro_formats(client, demo):
    from openpyxl import load_workbook

    client.force_login(demo["funder.ddets"])
    response = client.get(reverse("stats:figures_export", args=[2016, "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    [name] = [n for n in book.sheetnames if n.startswith("Financeurs - contribution")]
    costs = book[name]
    header = [c.value for c in costs[1]]
    total = next(row for row in costs.iter_rows(min_row=2) if row[0].value == "Total")
    spent = total[header.index("Dépensé")]
    assert spent.value == 207000 and "€" in spent.number_format
    assert costs.column_dimensions["A"].width > 10
    assert "Votre contribution" in book.sheetnames
    text = client.get(reverse("stats:figures_export", args=[2016, "csv"])).content.decode()
    assert "Ménages accompagnés;80" in text
    assert "Contribution de État — DDETS de l'Isère" in text


def test_pseudonymised_exports_name_no_one_and_are_written_to_the_access_log(client, demo):
    client.force_login(demo["coordinator.lt"])
    before = AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count()
    response = client.get(reverse("stats:measures_export", args=[2026, "csv"]))
    text = response.content.decode()
    assert "Référence du ménage;Commune;EPCI;Action" in text
    nguyen = Household.objects.get(name="Nguyen")
    assert nguyen.reference in text and "Vienne;CA Vienne Condrieu" in text
    assert not any(name in text for name in Household.objects.values_list("name", flat=True))
    logged = AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() - before
    in_2026 = SupportMeasure.objects.filter(
        starts_on__lte=date(2026, 12, 31), ends_on__gte=date(2026, 1, 1)
    ).exclude(closed_on__lt=date(2026, 1, 1))
    measured = Household.objects.filter(actions__measures__in=in_2026).distinct().count()
    assert logged == measured > 0
    households = client.get(reverse("stats:households_export", args=[2026, "xlsx"]))
    assert nguyen.reference in text_of(households)


def test_the_coordination_writes_the_report_text_with_its_history(client, demo):
    client.force_login(demo["coordinator.lt"])
    url = reverse("stats:report_text", args=[2016])
    first = "Une année « fondatrice » : 80 ménages accompagnés 🏠."
    assert client.post(url, {"text": first, "version": 0}).status_code == 302
    text = ReportText.objects.get(year=2016)
    assert client.post(url, {"text": "Deuxième version.", "version": 1}).status_code == 302
    stale = client.post(url, {"text": "Écrasement", "version": 1})
    assert stale.status_code == 400 and "modifiée par quelqu" in stale.content.decode()
    text.refresh_from_db()
    assert text.text == "Deuxième version."
    assert [h.text for h in text.history.order_by("history_date")] == [first, "Deuxième version."]
    too_long = client.post(url, {"text": "x" * 20001, "version": 2})
    assert too_long.status_code == 400
    page = client.get(reverse("stats:report", args=[2016])).content.decode()
    assert "Historique du texte" in page


def test_the_2016_report_reads_the_seed_figures(client, demo, django_capture_on_commit_callbacks):
    ReportText.objects.create(
        year=2016, text="Le mot de la coordination.", updated_by=demo["coordinator.lt"]
    )
    client.force_login(demo["coordinator.lt"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stats:report_generate", args=[2016]))
    assert response.status_code == 302
    made = AnnualReport.objects.get(year=2016)
    assert made.status == ReportStatus.DONE and made.progress == 100
    page = client.get(reverse("stats:report", args=[2016])).content.decode()
    assert reverse("stats:report_download", args=[made.pk, "pdf"]) in page
    pdf = client.get(reverse("stats:report_download", args=[made.pk, "pdf"]))
    text = text_of_pdf(pdf.content)
    assert "Bilan annuel 2016" in text and "Le mot de la coordination." in text
    assert "Budget engagé 207 000,00 €" in text
    assert "Ménages accompagnés 80" in text
    assert "Coût par ménage" in text and "2 587,50 €" in text
    assert "Mois-mesures 480,0" in text
    xlsx = client.get(reverse("stats:report_download", args=[made.pk, "xlsx"]))
    assert "207000" in text_of(xlsx)


def test_a_report_in_preparation_shows_its_progress(client, demo):
    queued = AnnualReport.objects.create(year=2016, requested_by=demo["coordinator.lt"])
    client.force_login(demo["funder.fondation"])
    partial = client.get(reverse("stats:report_progress", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "en préparation" in partial
    report.generate(report_id=queued.pk)
    partial = client.get(reverse("stats:report_progress", args=[queued.pk])).content.decode()
    assert "hx-trigger" not in partial and "PDF" in partial


def crawl(client, starts: list[str], limit: int = 120) -> dict[str, str]:
    """Every page reachable from `starts` by their links (no logout, no admin):
    {path: what it reads}."""
    seen, queue, texts = set(), deque(starts), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        text = text_of(response)
        texts[url] = text
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="([^"#]+)"', text):
            path = urlsplit(link.replace("&amp;", "&"))
            if link.startswith("/") and not path.path.startswith(
                ("/deconnexion", "/admin", "/static", "/api/docs")
            ):
                queue.append(link.replace("&amp;", "&"))
    return texts


@pytest.mark.parametrize("username", sorted(FUNDERS))
def test_a_funder_opens_no_household_reference_anywhere(client, demo, username):
    AnnualReport.objects.all().delete()
    report.generate(
        report_id=AnnualReport.objects.create(year=2016, requested_by=demo["coordinator.lt"]).pk
    )
    client.force_login(demo[username])
    texts = crawl(
        client, ["/", "/budget/2016/registre/", "/statistiques/2016/bilan/", "/statistiques/2026/"]
    )
    opened = set(texts)
    assert {"/", "/statistiques/2016/bilan/"} <= opened
    assert any(url.endswith("registre.xlsx") for url in opened)
    assert any(url.endswith("chiffres.csv") for url in opened)
    assert any(url.endswith("bilan.pdf") for url in opened)
    api = APIClient()
    api.force_authenticate(demo[username])
    for url in (
        "/api/statistics/?year=2016",
        "/api/statistics/?year=2026",
        "/api/ledger/totals/?year=2016",
        "/api/ledger/totals/?year=2026",
        "/api/ledger/figures/?year=2026",
        "/api/partners/",
        "/api/notifications/",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    names = set(Household.objects.values_list("name", flat=True))
    references = set(Household.objects.values_list("reference", flat=True))
    for url, text in texts.items():
        assert not REFERENCE.search(text), url
        assert not any(reference in text for reference in references), url
        assert not [name for name in names if re.search(rf"\b{re.escape(name)}\b", text)], url
    # What a funder opens still holds its figures.
    assert "Contribution de" in texts["/statistiques/2026/"]
