"""xlsx downloads read well in a French spreadsheet: amounts in euros, dates as days, a bold
header kept in view, columns as wide as their values."""

import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import EURO_FORMAT, xlsx_response
from funding import services as funding_services


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def test_amounts_dates_and_counts_each_get_their_format():
    label = "Minoration de loyer « Fondation » — relogé à Échirolles 🏠"
    response = xlsx_response(
        {
            "Registre": [
                ["Date", "Libellé", "Montant", "Ménages"],
                [date(2026, 12, 31), label, Decimal("-99999999.99"), 12],
                [],
                ["Total", "", Decimal("1234.50"), 12],
            ]
        },
        "registre.xlsx",
    )
    sheet = workbook_of(response)["Registre"]
    assert [cell.font.b for cell in sheet[1]] == [True] * 4
    assert sheet.freeze_panes == "A2"
    day, _, amount, count = sheet[2]
    assert day.number_format == "DD/MM/YYYY" and day.value.date() == date(2026, 12, 31)
    assert amount.number_format == EURO_FORMAT and amount.value == -99999999.99
    assert "€" in amount.number_format
    assert count.number_format == "General" and count.value == 12
    assert sheet["C4"].number_format == EURO_FORMAT
    # The label's column shows it whole; the other columns stay readable, none is huge.
    assert sheet.column_dimensions["B"].width >= len(label)
    assert sheet.column_dimensions["C"].width >= len("-99,999,999.99 €")
    assert all(8 <= sheet.column_dimensions[c].width <= 60 for c in "ABCD")


def test_a_very_long_text_does_not_make_a_column_wider_than_the_screen():
    response = xlsx_response({"Feuille": [["Libellé"], ["é" * 2000]]}, "x.xlsx")
    assert workbook_of(response)["Feuille"].column_dimensions["A"].width == 60


def test_the_ledger_download_shows_euros_and_days(client, demo):
    coordinator = demo["coordinator.lt"]
    funding_services.entry_add(
        by=coordinator,
        kind="grant",
        on=date(2017, 2, 3),
        amount=Decimal("15000.00"),
        label="Subvention de l'État (AVDL)",
    )
    client.force_login(coordinator)
    sheet = workbook_of(client.get(reverse("funding:ledger_export", args=[2017, "xlsx"]))).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=False))
    assert row["Montant"].value == 15000 and row["Montant"].number_format == EURO_FORMAT
    assert row["Date"].number_format == "DD/MM/YYYY"
    assert sheet.column_dimensions["E"].width >= len("Subvention de l'État (AVDL)")
