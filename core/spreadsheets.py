"""CSV and xlsx downloads, safe to open in a spreadsheet.

A text cell that starts with = + - @ (or a tab or a carriage return) would be read as a
formula by Excel or LibreOffice: a label typed as `=HYPERLINK(…)` would become a live link,
or worse. Such text gets a leading apostrophe, which spreadsheets show as plain text.
Numbers stay numbers (a negative amount is no formula)."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value):
    """The value, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows: Iterable[list], filename: str) -> HttpResponse:
    """Semicolons and decimal commas, as French spreadsheets expect; UTF-8 with a BOM so that
    accents are read right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow(
            [str(v).replace(".", ",") if isinstance(v, Decimal) else safe_text(v) for v in row]
        )
    return response


def xlsx_response(sheets: dict[str, Iterable[list]], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else safe_text(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
