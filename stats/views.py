"""The statistics page, its exports, the pseudonymised lists and the annual report."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.replica import replica_reads
from core.spreadsheets import csv_response, xlsx_bytes_response, xlsx_workbook
from funding.permissions import can_enter
from households.models import AccessAction
from households.permissions import access_log_reads
from stats import charts, exports, indicators, secrecy, services
from stats.forms import PeriodForm, ReportTextForm
from stats.models import AnnualReport, ReportStatus, ReportText
from stats.permissions import (
    can_export_cases,
    can_write_report,
    ensure_can_export_cases,
    ensure_can_see_statistics,
    ensure_can_write_report,
    funder_of,
    own_partner,
)
from stats.templatetags.stats_format import hidden_label

FORMATS = ("csv", "xlsx")


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 5:
        raise Http404("Année hors de la période couverte")
    return year


def index(request: HttpRequest) -> HttpResponse:
    ensure_can_see_statistics(request.user)
    return redirect("stats:page", year=timezone.localdate().year)


def _figures(request: HttpRequest, year: int):
    """The period asked for, and what the user reads of it: the programme's figures, a
    manager's own partner's, a funder's contribution (statistical secrecy applied)."""
    ensure_can_see_statistics(request.user)
    form = PeriodForm(request.GET or None, year=_year(year))
    period = form.period()
    user = request.user
    with replica_reads():  # the figures are read from the replica (core.replica)
        programme = secrecy.for_user(indicators.compute(period), user)
        partner = own_partner(user)
        own = secrecy.for_user(indicators.compute(period, partner), user) if partner else None
        funder = funder_of(user)
        contribution = (
            indicators.funder_contribution(period, funder) if funder is not None else None
        )
    if contribution is not None and not secrecy.sees_every_cell(user):
        secrecy.hide_table(contribution)
    return form, period, programme, own, contribution


def page(request: HttpRequest, year: int) -> HttpResponse:
    form, period, programme, own, contribution = _figures(request, year)
    previous = secrecy.for_user(indicators.compute(period.previous_year()), request.user)
    comparison = [
        (h.label, h.cell, p.cell, h.unit)
        for h, p in zip(programme.headlines, previous.headlines, strict=True)
    ]
    chart_list = [
        charts.bars(programme.table("by_kind"), "Ménages accompagnés"),
        charts.bars(programme.table("outcomes"), "Total"),
        charts.bars(programme.table("epci"), "Ménages accompagnés"),
        charts.bars(programme.table("costs"), "Coût par ménage"),
    ]
    this_year = timezone.localdate().year
    return render(
        request,
        "stats/page.html",
        {
            "year": year,
            "form": form,
            "period": period,
            "programme": programme,
            "own": own,
            "own_tables": {t.key: t for t in own.tables} if own else {},
            "contribution": contribution,
            "comparison": comparison,
            "previous_label": previous.period.label,
            "charts": {c["key"]: c for c in chart_list if c},
            "hidden": hidden_label(),
            "years": range(min(2016, year), this_year + 2),
            "can_set_target": can_enter(request.user),
            "can_export_cases": can_export_cases(request.user),
            "can_write_report": can_write_report(request.user),
        },
    )


def figures_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    _, period, programme, own, contribution = _figures(request, year)
    name = f"statistiques-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        rows = exports.indicator_csv_rows(programme)
        if own is not None:
            rows += [[], [f"Votre structure : {own.partner}"], *exports.indicator_csv_rows(own)]
        if contribution is not None:
            header, lines, _ = exports.table_sheet(contribution)
            rows += [[], [contribution.title], header, *lines]
        return csv_response(rows, f"{name}.csv")
    sheets = exports.indicator_sheets(programme)
    if own is not None:
        sheets |= exports.indicator_sheets(own, suffix=" (vous)")
    if contribution is not None:
        sheets["Votre contribution"] = exports.table_sheet(contribution)
    return xlsx_bytes_response(xlsx_workbook(sheets), f"{name}.xlsx")


def _cases_export(request: HttpRequest, year: int, fmt: str, what: str) -> HttpResponse:
    """A pseudonymised list (coordination): every household it shows is written to the
    access log as an export, in one insert."""
    ensure_can_export_cases(request.user)
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    period = PeriodForm(request.GET or None, year=_year(year)).period()
    with replica_reads():
        if what == "menages":
            rows, households = exports.household_rows(period)
            header, formats = exports.HOUSEHOLD_COLUMNS, exports.HOUSEHOLD_FORMATS
            title = "Ménages"
        else:
            rows, households = exports.measure_rows(period)
            header, formats, title = exports.MEASURE_COLUMNS, exports.MEASURE_FORMATS, "Mesures"
    access_log_reads(request, households, action=AccessAction.EXPORT)
    name = f"{what}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        return csv_response([header, *rows], f"{name}.csv")
    return xlsx_bytes_response(xlsx_workbook({title: (header, rows, formats)}), f"{name}.xlsx")


def households_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    return _cases_export(request, year, fmt, "menages")


def measures_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    return _cases_export(request, year, fmt, "mesures")


# --- The annual report ----------------------------------------------------------------------


def report_page(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can_see_statistics(request.user)
    year = _year(year)
    report_text = ReportText.objects.filter(year=year).first()
    form = ReportTextForm(
        initial={
            "text": report_text.text if report_text else "",
            "version": report_text.version if report_text else 0,
        }
    )
    return _report_render(request, year, report_text, form)


def _report_render(request, year, report_text, form, status=200) -> HttpResponse:
    reports = AnnualReport.objects.filter(year=year)
    return render(
        request,
        "stats/report.html",
        {
            "year": year,
            "report_text": report_text,
            "text_history": (
                report_text.history.select_related("history_user")[:20] if report_text else []
            ),
            "form": form,
            "latest": reports.filter(status=ReportStatus.DONE).first(),
            "pending": reports.filter(
                status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
            ).first(),
            "can_write_report": can_write_report(request.user),
        },
        status=status,
    )


@require_POST
def report_text_edit(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can_write_report(request.user)
    year = _year(year)
    form = ReportTextForm(request.POST)
    if form.is_valid():
        try:
            services.report_text_save(
                by=request.user,
                year=year,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, "Le texte du bilan est enregistré.")
            return redirect("stats:report", year=year)
    report_text = ReportText.objects.filter(year=year).first()
    return _report_render(request, year, report_text, form, status=400)


@require_http_methods(["POST"])
def report_generate(request: HttpRequest, year: int) -> HttpResponse:
    ensure_can_write_report(request.user)
    report = services.report_request(by=request.user, year=_year(year))
    messages.info(request, "Le bilan est en préparation : il s'affiche ici dès qu'il est prêt.")
    return redirect(f"{reverse('stats:report', args=[year])}#bilan-{report.pk}")


def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's progress, which the page asks for every second until it is ready."""
    ensure_can_see_statistics(request.user)
    report = get_object_or_404(AnnualReport, pk=pk)
    return render(request, "stats/_report_progress.html", {"report": report})


def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    ensure_can_see_statistics(request.user)
    report = get_object_or_404(AnnualReport, pk=pk, status=ReportStatus.DONE)
    if fmt == "pdf":
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bilan-{report.year}.pdf"'
        return response
    if fmt == "xlsx":
        return xlsx_bytes_response(bytes(report.xlsx), f"bilan-{report.year}.xlsx")
    raise Http404("Format inconnu")
