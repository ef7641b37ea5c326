"""CSV and xlsx downloads, safe to open in a spreadsheet.

A text cell that starts with = + - @ (or a tab or a carriage return) would be read as a
formula by Excel or LibreOffice: a label typed as `=HYPERLINK(…)` would become a live link,
or worse. Such text gets a leading apostrophe, which spreadsheets show as plain text.
Numbers stay numbers (a negative amount is no formula).

In xlsx, cells are typed for French readers: a `Decimal` is an amount in euros (shown
« 1 234,50 € »), a `date` a day (« 31/12/2026 »), an int or float a plain number; the first
row of each sheet is its header (bold, kept in view), and each column is as wide as its
longest value (within bounds)."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Number formats are stored in the file in the spreadsheet's own neutral notation; the
# reader's locale shows them with French separators.
EURO_FORMAT = '#,##0.00\\ "€"'
DATE_FORMAT = "DD/MM/YYYY"
COLUMN_WIDTH = (8, 60)  # in characters: at least, at most


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
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        widths: dict[int, int] = {}
        for index, row in enumerate(rows):
            row = list(row)
            sheet.append([float(v) if isinstance(v, Decimal) else safe_text(v) for v in row])
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=index + 1, column=column)
                if index == 0:
                    cell.font = Font(bold=True)
                if isinstance(value, Decimal):
                    cell.number_format = EURO_FORMAT
                    shown = f"{value:,.2f} €"
                elif isinstance(value, date | datetime):
                    cell.number_format = DATE_FORMAT
                    shown = "00/00/0000"
                else:
                    shown = "" if value is None else str(value)
                widths[column] = max(widths.get(column, 0), len(shown))
        sheet.freeze_panes = "A2"
        low, high = COLUMN_WIDTH
        for column, width in widths.items():
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = min(max(width + 2, low), high)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Number formats of a formatted workbook's columns (xlsx_workbook).
EURO_FORMAT = '#,##0.00 "€"'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.0" %"'
DATE_FORMAT = "DD/MM/YYYY"


def xlsx_workbook(sheets: dict[str, tuple[list[str], Iterable[list], list[str | None]]]) -> bytes:
    """A workbook whose sheets each have a bold header row, a number format per column
    (None: text) and columns as wide as their longest content (within reason)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows, formats) in sheets.items():
        # A sheet's name has at most 31 characters and none of : \ / ? * [ ].
        name = "".join("-" if c in ":\\/?*[]" else c for c in title)
        sheet = workbook.create_sheet(" ".join(name.split())[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in header]
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else safe_text(v) for v in row])
            for index, value in enumerate(row):
                if index < len(widths):
                    widths[index] = max(widths[index], len(str(value)) + 2)
        for index, number_format in enumerate(formats, start=1):
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, int | float):
                        cell.number_format = number_format
                    elif hasattr(cell.value, "year"):
                        cell.number_format = DATE_FORMAT
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
