"""The statistics as spreadsheets, and the coordination's pseudonymised lists of households
and measures (reference, commune, action, dates, outcome, figures; never a name)."""

from collections import Counter

from django.db.models import Q

from actions.models import ArrearsReading, FollowUp, SupportMeasure
from core.spreadsheets import (
    DECIMAL_FORMAT,
    EURO_FORMAT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
)
from households.models import Household
from stats.indicators import Indicators, Period, Table, measure_months, measure_stop
from stats.templatetags.stats_format import hidden_label
from stats.territories import locate

FORMATS = {
    "count": INTEGER_FORMAT,
    "euros": EURO_FORMAT,
    "percent": PERCENT_FORMAT,
    "months": DECIMAL_FORMAT,
    "days": DECIMAL_FORMAT,
    "hours": DECIMAL_FORMAT,
    "text": None,
}


def _value(cell):
    if cell.suppressed:
        return hidden_label()
    return "" if cell.value is None else cell.value


def table_sheet(table: Table) -> tuple[list[str], list[list], list[str | None]]:
    header = [table.first_column, *table.columns]
    rows = [[row.label, *(_value(c) for c in row.cells)] for row in table.rows]
    formats = [None, *(FORMATS[u] for u in table.units)]
    if any(row.unit for row in table.rows):
        formats = [None, DECIMAL_FORMAT]
    return header, rows, formats


def headline_sheet(indicators: Indicators) -> tuple[list[str], list[list], list[str | None]]:
    rows = [[h.label, _value(h.cell)] for h in indicators.headlines]
    if indicators.households_targeted is not None:
        rows.append(["Ménages visés", indicators.households_targeted])
    return ["Chiffre", indicators.period.label], rows, [None, DECIMAL_FORMAT]


def sheet_name(title: str, suffix: str = "") -> str:
    """At most 31 characters, the suffix kept (a partner's sheets beside the programme's)."""
    return title[: 31 - len(suffix)].rstrip() + suffix


def indicator_sheets(indicators: Indicators, suffix: str = "") -> dict:
    sheets = {sheet_name("Chiffres clés", suffix): headline_sheet(indicators)}
    for table in indicators.tables:
        sheets[sheet_name(table.title, suffix)] = table_sheet(table)
    return sheets


def indicator_csv_rows(indicators: Indicators) -> list[list]:
    """Every table one under the other, each with its title, for a CSV file."""
    header, rows, _ = headline_sheet(indicators)
    lines = [["Chiffres clés"], header, *rows]
    for table in indicators.tables:
        header, rows, _ = table_sheet(table)
        lines += [[], [table.title], header, *rows]
    return lines


# --- Pseudonymised lists (coordination) ----------------------------------------------------


HOUSEHOLD_COLUMNS = [
    "Référence",
    "Situation",
    "Bailleur",
    "Commune",
    "EPCI",
    "Ouvert le",
    "Mesures dans la période",
    "Mois-mesures dans la période",
]
HOUSEHOLD_FORMATS = [None, None, None, None, None, None, INTEGER_FORMAT, DECIMAL_FORMAT]

MEASURE_COLUMNS = [
    "Référence du ménage",
    "Commune",
    "EPCI",
    "Action",
    "Bailleur",
    "Association",
    "Début",
    "Fin prévue",
    "Clôturée le",
    "Renouvellements",
    "Issue",
    "Mois-mesures dans la période",
    "Impayés au début",
    "Impayés au dernier relevé",
    "Suivis",
]
MEASURE_FORMATS = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    INTEGER_FORMAT,
    None,
    DECIMAL_FORMAT,
    EURO_FORMAT,
    EURO_FORMAT,
    INTEGER_FORMAT,
]


def active_measures(period: Period):
    return (
        SupportMeasure.objects.filter(starts_on__lte=period.end, ends_on__gt=period.start)
        .filter(Q(closed_on=None) | Q(closed_on__gte=period.start))
        .select_related("action__household", "action__landlord", "action__association")
        .order_by("action__household__reference", "starts_on")
    )


def measure_rows(period: Period) -> tuple[list[list], list[int]]:
    """One row per measure active in the period; and the households they are about."""
    measures = list(active_measures(period))
    follow_ups = Counter(
        FollowUp.objects.filter(measure__in=measures).values_list("measure_id", flat=True)
    )
    readings = {}
    for action_id, amount in (
        ArrearsReading.objects.filter(action__in=[m.action_id for m in measures])
        .order_by("read_on", "pk")
        .values_list("action_id", "amount")
    ):
        readings[action_id] = amount
    rows, households = [], []
    for m in measures:
        household = m.action.household
        commune, epci = locate(household.postcode, household.city)
        stop = measure_stop(m.starts_on, m.ends_on, m.closed_on)
        rows.append(
            [
                household.reference,
                commune,
                epci,
                m.action.get_kind_display(),
                m.action.landlord.name,
                m.action.association.name,
                m.starts_on,
                m.ends_on,
                m.closed_on or "",
                m.renewal_count,
                m.get_outcome_display() if m.outcome else "",
                round(measure_months(m.starts_on, stop, period), 1),
                m.action.arrears_at_start if m.action.arrears_at_start is not None else "",
                readings.get(m.action_id, ""),
                follow_ups[m.pk],
            ]
        )
        households.append(household.pk)
    return rows, households


def household_rows(period: Period) -> tuple[list[list], list[int]]:
    """One row per household with a measure active in the period."""
    by_household: dict[int, list] = {}
    for m in active_measures(period):
        stop = measure_stop(m.starts_on, m.ends_on, m.closed_on)
        months = measure_months(m.starts_on, stop, period)
        entry = by_household.setdefault(m.action.household_id, [0, 0])
        entry[0] += 1
        entry[1] += months
    households = Household.objects.filter(pk__in=by_household).select_related("landlord")
    rows = []
    for household in households.order_by("reference"):
        commune, epci = locate(household.postcode, household.city)
        count, months = by_household[household.pk]
        rows.append(
            [
                household.reference,
                household.get_housing_status_display(),
                household.landlord.name if household.landlord else "",
                commune,
                epci,
                household.created_at.date(),
                count,
                round(months, 1),
            ]
        )
    return rows, list(by_household)
