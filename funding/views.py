"""Budget pages: the year's dashboard, the ledger, coordinators' entries, CSV and xlsx."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.models import SupportMeasure
from core.errors import DomainError
from core.spreadsheets import csv_response, xlsx_response
from core.templatetags.fr_format import euros
from funding import services
from funding.forms import (
    BudgetForm,
    CorrectionForm,
    EntryForm,
    LedgerFilterForm,
    MeasureFundingForm,
    SourceForm,
)
from funding.models import FundingSource, LedgerEntry, YearlyBudget
from funding.permissions import (
    budget_scope,
    can_enter,
    can_see_ledger_lines,
    ensure_can_enter,
)

CHART_WIDTH = 520


def index(request: HttpRequest) -> HttpResponse:
    budget_scope(request.user)
    return redirect("funding:dashboard", year=timezone.localdate().year)


def _bars(rows: list[tuple[str, list[tuple[str, Decimal, str]]]]) -> dict:
    """Horizontal bar chart geometry, drawn as inline SVG by the template."""
    values = [value for _, bars in rows for _, value, _ in bars]
    top = max([abs(v) for v in values] + [Decimal(1)])
    groups, y = [], 0
    for label, bars in rows:
        items = []
        for name, value, css in bars:
            # Bars start after the 190 px of labels and leave room for their amount.
            width = int(abs(value) / top * (CHART_WIDTH - 190 - 130))
            items.append({"name": name, "value": value, "css": css, "y": y, "width": width})
            y += 16
        groups.append({"label": label, "bars": items, "label_y": items[0]["y"] + 11})
        y += 10
    return {"groups": groups, "height": y + 4, "width": CHART_WIDTH}


def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    partner = budget_scope(request.user)
    figures = services.year_figures(year, partner)
    chart_kinds = _bars(
        [
            (
                k.label,
                [
                    ("engagé", k.committed, "committed"),
                    ("dépensé", k.spent, "spent"),
                ],
            )
            for k in figures.by_kind
        ]
    )
    chart_partners = _bars(
        [
            (
                row.name,
                [("engagé", row.committed, "committed"), ("dépensé", row.spent, "spent")],
            )
            for row in figures.by_partner
        ]
    )
    return render(
        request,
        "funding/dashboard.html",
        {
            "figures": figures,
            "chart_kinds": chart_kinds,
            "chart_partners": chart_partners,
            "years": sorted(
                set(LedgerEntry.objects.values_list("year", flat=True).distinct())
                | {timezone.localdate().year, year}
            ),
            "can_enter": can_enter(request.user),
            "sources": FundingSource.objects.filter(year=year).select_related("funder"),
        },
    )


@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The coordination sets the year's budget and its target of households."""
    _require_entry(request)
    budget = YearlyBudget.objects.filter(year=year).first()
    initial = (
        {
            "amount_engaged": budget.amount_engaged,
            "households_targeted": budget.households_targeted,
            "flat_fee": budget.flat_fee,
        }
        if budget
        else {}
    )
    form = BudgetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.yearly_budget_set(by=request.user, year=year, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Le budget et l'objectif de {year} sont enregistrés.")
            return redirect("funding:dashboard", year=year)
    return render(
        request,
        "funding/form.html",
        {"form": form, "title": f"Budget et objectif {year}", "year": year},
    )


@require_http_methods(["GET", "POST"])
def source_measures(request: HttpRequest, pk: int) -> HttpResponse:
    """The measures a funding source finances (the State's AVDL): the coordination links
    each one, with its hours or its money."""
    _require_entry(request)
    source = get_object_or_404(FundingSource, pk=pk)
    form = MeasureFundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure = (
            SupportMeasure.objects.filter(action__household__reference=data["reference"].strip())
            .order_by("-starts_on")
            .first()
        )
        if measure is None:
            form.add_error("reference", "Aucune mesure pour cette référence.")
        else:
            try:
                services.measure_funding_add(
                    by=request.user,
                    source=source,
                    measure=measure,
                    hours=data["hours"],
                    amount=data["amount"],
                )
            except DomainError as error:
                field = "reference" if error.field == "measure" else error.field
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(request, "La mesure financée est enregistrée.")
                return redirect("funding:source_measures", pk=source.pk)
    return render(
        request,
        "funding/source_measures.html",
        {
            "source": source,
            "form": form,
            "fundings": source.measure_fundings.select_related(
                "measure__action__household", "measure__action__association"
            ),
        },
    )


def _ledger(request: HttpRequest, year: int):
    partner = budget_scope(request.user)
    entries = services.entries_for(year, partner).select_related(
        "partner", "source", "household", "corrects"
    )
    filters = LedgerFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            entries = entries.filter(kind=filters.cleaned_data["kind"])
        if filters.cleaned_data["partner"]:
            entries = entries.filter(partner=filters.cleaned_data["partner"])
    return entries, filters


def ledger(request: HttpRequest, year: int) -> HttpResponse:
    if not can_see_ledger_lines(request.user):
        return render(
            request,
            "funding/ledger_totals.html",
            {"year": year, "totals": services.ledger_totals(year, budget_scope(request.user))},
        )
    entries, filters = _ledger(request, year)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/ledger.html",
        {
            "year": year,
            "page": page,
            "filters": filters,
            "can_enter": can_enter(request.user),
        },
    )


def _require_entry(request: HttpRequest) -> None:
    budget_scope(request.user)
    ensure_can_enter(request.user)


@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, year: int) -> HttpResponse:
    _require_entry(request)
    form = EntryForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_add(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "L'écriture est enregistrée.")
            return redirect("funding:ledger", year=form.cleaned_data["on"].year)
    return render(
        request, "funding/form.html", {"form": form, "title": "Nouvelle écriture", "year": year}
    )


@require_http_methods(["GET", "POST"])
def source_create(request: HttpRequest, year: int) -> HttpResponse:
    _require_entry(request)
    form = SourceForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        source = form.save()
        messages.success(request, "La source de financement est enregistrée.")
        return redirect("funding:dashboard", year=source.year)
    return render(
        request,
        "funding/form.html",
        {"form": form, "title": "Nouvelle source de financement", "year": year},
    )


@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, pk: int) -> HttpResponse:
    _require_entry(request)
    entry = get_object_or_404(LedgerEntry, pk=pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_correct(by=request.user, entry=entry, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "La correction est enregistrée.")
            return redirect("funding:ledger", year=entry.year)
    return render(
        request,
        "funding/form.html",
        {
            "form": form,
            "title": f"Corriger : {entry.label} ({euros(entry.amount)})",
            "year": entry.year,
        },
    )


# --- Exports -------------------------------------------------------------------------------

LEDGER_COLUMNS = ["Date", "Type", "Partenaire", "Ménage", "Libellé", "Montant", "Corrige"]


def _ledger_rows(entries):
    for entry in entries:
        yield [
            entry.on,
            entry.get_kind_display(),
            entry.partner.name if entry.partner else "",
            entry.household.reference if entry.household else "",
            entry.label,
            entry.amount,
            entry.corrects_id or "",
        ]


def _figure_rows(figures):
    yield ["Rubrique", "Engagé", "Reçu", "Dépensé"]
    for kind in figures.by_kind:
        yield [kind.label, kind.committed, kind.received, kind.spent]
    yield ["Total", figures.committed, "", figures.spent]
    yield []
    yield ["Partenaire", "Engagé", "", "Dépensé"]
    for row in figures.by_partner:
        yield [row.name, row.committed, "", row.spent]
    yield []
    yield ["Budget engagé", figures.engaged if not figures.budget_missing else "non fixé"]
    yield [
        "Ménages visés",
        figures.households_targeted if figures.households_targeted is not None else "non fixé",
    ]
    yield ["Forfaits inscrits (mesures)", figures.fees_booked]
    yield ["Prévision fin d'année", figures.forecast]


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Format inconnu")


TOTALS_COLUMNS = ["Mois", "Type", "Partenaire", "Écritures", "Montant"]


def ledger_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    if can_see_ledger_lines(request.user):
        entries, _ = _ledger(request, year)
        rows = [LEDGER_COLUMNS, *_ledger_rows(entries)]
    else:
        totals = services.ledger_totals(year, budget_scope(request.user))
        rows = [
            TOTALS_COLUMNS,
            *([t.month, t.kind_label, t.partner, t.entries, t.amount] for t in totals),
        ]
    if fmt == "csv":
        return csv_response(rows, f"registre-{year}.csv")
    return xlsx_response({"Registre": rows}, f"registre-{year}.xlsx")


def figures_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    figures = services.year_figures(year, budget_scope(request.user))
    rows = list(_figure_rows(figures))
    if fmt == "csv":
        return csv_response(rows, f"budget-{year}.csv")
    return xlsx_response({"Budget": rows}, f"budget-{year}.xlsx")
