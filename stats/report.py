"""The annual activity report (bilan annuel): the programme, its partners, the money by
funder, households and measures, outcomes, territories and durations with charts, and the
coordination's text; as a PDF (WeasyPrint) and as a workbook. Its figures go to the funders
and the steering committee: the statistical secrecy always applies."""

import copy
import time
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from core import pdf
from core.spreadsheets import xlsx_workbook
from funding import services as funding
from partners.models import Partner, PartnerKind
from stats import charts, exports, indicators, secrecy
from stats.models import AnnualReport, ReportStatus, ReportText


def build(year: int, progress: Callable[[int], None] = lambda percent: None) -> dict:
    """Everything the report shows, computed once for both documents."""
    figures = secrecy.apply(indicators.compute(indicators.Period.year(year)))
    progress(40)
    money = funding.year_figures(year)
    report_text = ReportText.objects.filter(year=year).first()
    progress(50)
    partners = {
        label: list(Partner.objects.filter(kind=kind).order_by("name"))
        for kind, label in PartnerKind.choices
    }
    return {
        "year": year,
        "generated_at": timezone.localtime(),
        "figures": figures,
        "money": money,
        "text": report_text.text if report_text else "",
        "partners": {label: members for label, members in partners.items() if members},
        "charts": [
            chart
            for chart in (
                charts.bars(figures.table("by_kind"), "Ménages accompagnés"),
                charts.bars(figures.table("outcomes"), "Total"),
                charts.bars(figures.table("epci"), "Ménages accompagnés"),
                charts.bars(figures.table("costs"), "Dépensé"),
            )
            if chart
        ],
    }


def _printed(table):
    """A table as the PDF prints it: without the rows where nothing happened (all zero or
    empty), and not at all when nothing is left. The workbook keeps every row."""
    rows = [
        row
        for row in table.rows
        if any(cell.suppressed or (cell.value not in (None, 0, "")) for cell in row.cells)
    ]
    return copy.copy(table) if rows == table.rows else _with_rows(table, rows)


def _with_rows(table, rows):
    printed = copy.copy(table)
    printed.rows = rows
    return printed


def render_pdf(content: dict) -> bytes:
    tables = [t for t in map(_printed, content["figures"].tables) if t.rows]
    return pdf.render_pdf("stats/report_pdf.html", {**content, "tables": tables})


def render_xlsx(content: dict) -> bytes:
    money = content["money"]
    summary = [
        ["Budget engagé", money.engaged if not money.budget_missing else "non fixé"],
        ["Engagé par les financeurs", money.committed],
        ["Dépensé", money.spent],
        ["Ménages visés", money.households_targeted if money.households_targeted else ""],
    ]
    sheets = {
        "Budget": (["Rubrique", "Montant"], summary, [None, exports.FORMATS["euros"]]),
        "Par financement": (
            ["Type", "Engagé", "Reçu", "Dépensé"],
            [[k.label, k.committed, k.received, k.spent] for k in money.by_kind],
            [None, *[exports.FORMATS["euros"]] * 3],
        ),
        **exports.indicator_sheets(content["figures"]),
    }
    if content["text"]:
        sheets["Texte de la coordination"] = (["Texte"], [[content["text"]]], [None])
    return xlsx_workbook(sheets)


def generate(*, report_id: int) -> AnnualReport:
    """Make a requested report's PDF and workbook, telling its progress on the way."""
    report = AnnualReport.objects.get(pk=report_id)
    if report.status == ReportStatus.DONE:
        return report
    began = time.monotonic()

    def progress(percent: int) -> None:
        AnnualReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.RUNNING, progress=percent
        )

    progress(5)
    try:
        content = build(report.year, progress)
        report.pdf = render_pdf(content)
        progress(85)
        report.xlsx = render_xlsx(content)
    except Exception:
        AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
        raise
    report.status, report.progress = ReportStatus.DONE, 100
    report.finished_at = timezone.now()
    report.seconds = Decimal(time.monotonic() - began).quantize(Decimal("0.01"))
    report.save()
    return report
