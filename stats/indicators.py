"""Every figure of the programme, computed in one place and read by the statistics page, its
exports, the API and the annual report.

Counting rules (README, « Statistiques »):
- a measure is active from its start to the day before its end (`ends_on`), or to its
  closure if it closed earlier; a household or a measure counts in a period when it was
  active in it, whatever the year its fee was booked;
- measure-months are the fractions of calendar months each measure was active in the
  period (15 January to 15 July is 17/31 + 5 + 14/31 = 6 months), so that a measure across
  two or three years is shared between them and adds up to its length;
- fees and rent reductions stay as booked (funding); measures typed as yearly totals before
  the application (the 2016 seed) count in the year of their fee;
- outcomes, renewals, glides, judgements and follow-ups count in the period they happened.

A figure resting on fewer than STATS_SMALL_CELL_THRESHOLD households is shown as « < 5 » to
everyone but the coordination (stats.secrecy)."""

import calendar
import statistics as stdlib_statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from actions.models import (
    Action,
    ArrearsReading,
    EvictionProcedure,
    FollowUp,
    FollowUpKind,
    JudgementOutcome,
    Orientation,
    Outcome,
    SlidingLease,
    SupportMeasure,
)
from codecision.models import CoDecision, CoDecisionStatus, Purpose
from funding import services as funding
from households.models import ActionKind
from partners.models import Partner
from stats.territories import locate

ZERO = Decimal(0)
SUCCESSFUL_OUTCOMES = [
    Outcome.STAYED,
    Outcome.TRANSFERRED,
    Outcome.LEASE_GLIDED,
    Outcome.REHOUSED,
    Outcome.EVICTION_AVOIDED,
]
RECORDED_TOTALS = "Totaux saisis (avant l'application)"
TOTAL = "Total"


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    @property
    def label(self) -> str:
        if self.is_calendar_year and self.start.year == self.end.year:
            return str(self.start.year)
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def previous_year(self) -> "Period":
        return Period(_minus_year(self.start), _minus_year(self.end))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _minus_year(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else day.day))


def local_date(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def measure_stop(starts_on: date, ends_on: date, closed_on: date | None) -> date:
    """The first day the measure is no longer active."""
    if closed_on is not None:
        return max(starts_on, min(ends_on, closed_on + timedelta(days=1)))
    return ends_on


def measure_months(start: date, stop: date, period: Period) -> Decimal:
    """Fractions of calendar months of [start, stop) that fall in the period."""
    first, last = max(start, period.start), min(stop - timedelta(days=1), period.end)
    months = ZERO
    day = first.replace(day=1)
    while day <= last:
        length = calendar.monthrange(day.year, day.month)[1]
        month_end = day.replace(day=length)
        covered = (min(last, month_end) - max(first, day)).days + 1
        if covered > 0:
            months += Decimal(covered) / Decimal(length)
        day = month_end + timedelta(days=1)
    return months


def one_decimal(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- What the pages read -------------------------------------------------------------------


@dataclass
class Cell:
    """One figure and the number of households it rests on (None: no household, e.g. money
    committed by a funder). `suppressed` is set by stats.secrecy."""

    value: int | Decimal | None
    base: int | None = None
    suppressed: bool = False

    @property
    def counts_households(self) -> bool:
        return self.base is not None


@dataclass
class Row:
    label: str
    cells: list[Cell]
    unit: str | None = None  # the unit of every cell of the row, when not the columns'


@dataclass
class Table:
    key: str
    title: str
    first_column: str
    columns: list[str]
    units: list[str]  # per column: "count", "months", "days", "euros", "percent", "hours"
    rows: list[Row]
    note: str = ""
    # Cells that add up to a total (shown in the table, or elsewhere when None): in each
    # row, (total column, part columns); in each column, (total row, part rows). Where one
    # part is hidden, stats.secrecy hides a second so that it cannot be worked out.
    column_groups: list[tuple[int | None, list[int]]] = field(default_factory=list)
    row_groups: list[tuple[int | None, list[int]]] = field(default_factory=list)

    def units_of(self, row: "Row") -> list[str]:
        return [row.unit] * len(self.columns) if row.unit else self.units

    def row(self, label: str) -> Row:
        return next(r for r in self.rows if r.label == label)

    def value(self, row: str, column: str):
        return self.row(row).cells[self.columns.index(column)].value


@dataclass
class Headline:
    key: str
    label: str
    cell: Cell
    unit: str = "count"


@dataclass
class Indicators:
    period: Period
    partner: Partner | None
    headlines: list[Headline]
    tables: list[Table]
    households_targeted: int | None = None
    eviction_public_cost: Decimal = ZERO
    eviction_public_cost_source: str = ""
    suppressed: bool = False
    notes: list[str] = field(default_factory=list)

    def headline(self, key: str) -> Cell:
        return next(h.cell for h in self.headlines if h.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def count(value: int) -> Cell:
    return Cell(value, base=value)


def rests_on(value, households: int) -> Cell:
    return Cell(value, base=households)


def money(value) -> Cell:
    return Cell(value)


# --- The computation -----------------------------------------------------------------------


@dataclass
class _Measure:
    pk: int
    household_id: int
    action_id: int
    kind: str
    landlord: str
    association: str
    starts_on: date
    ends_on: date
    closed_on: date | None
    outcome: str
    renewal_count: int
    postcode: str
    city: str

    @property
    def stop(self) -> date:
        return measure_stop(self.starts_on, self.ends_on, self.closed_on)


def _measures(
    partner: Partner | None, period: Period | None = None, closed_in: Period | None = None
) -> list[_Measure]:
    measures = SupportMeasure.objects.all()
    if partner is not None:
        measures = measures.filter(Q(action__landlord=partner) | Q(action__association=partner))
    if closed_in is not None:
        measures = measures.filter(closed_on__gte=closed_in.start, closed_on__lte=closed_in.end)
    if period is not None:
        measures = measures.filter(starts_on__lte=period.end).filter(
            Q(closed_on=None, ends_on__gt=period.start)
            | Q(closed_on__gte=period.start, ends_on__gt=period.start)
        )
    return [
        _Measure(*row)
        for row in measures.values_list(
            "pk",
            "action__household_id",
            "action_id",
            "action__kind",
            "action__landlord__name",
            "action__association__name",
            "starts_on",
            "ends_on",
            "closed_on",
            "outcome",
            "renewal_count",
            "action__household__postcode",
            "action__household__city",
        )
    ]


def _partner_q(partner: Partner | None, prefix: str = "") -> Q:
    if partner is None:
        return Q()
    return Q(**{f"{prefix}landlord": partner}) | Q(**{f"{prefix}association": partner})


KINDS = list(ActionKind.choices)


def compute(
    period: Period, partner: Partner | None = None, today: date | None = None
) -> Indicators:
    """Every indicator of the period, for the whole programme or one partner's share (the
    measures, orientations and co-decisions it is a party to). Not yet suppressed: see
    stats.secrecy.for_user."""
    today = today or timezone.localdate()
    active = [m for m in _measures(partner, period) if m.stop > period.start]
    closed = _measures(partner, closed_in=period)
    started = [m for m in active if period.contains(m.starts_on)]
    recorded = _recorded_totals(period, partner)

    orientations = list(
        Orientation.objects.filter(
            created_at__date__gte=period.start, created_at__date__lte=period.end
        )
        .filter(_partner_q(partner) | (Q(proposed_by_partner=partner) if partner else Q()))
        .values_list(
            "household_id",
            "kind",
            "landlord__name",
            "association__name",
            "created_at",
            "diagnostic__made_on",
        )
    )
    decisions = list(
        CoDecision.objects.filter(
            purpose=Purpose.START,
            status__in=[CoDecisionStatus.APPROVED, CoDecisionStatus.REJECTED],
            decided_at__date__gte=period.start,
            decided_at__date__lte=period.end,
        )
        .filter(_partner_q(partner))
        .values_list(
            "household_id",
            "kind",
            "landlord__name",
            "association__name",
            "status",
            "opened_at",
            "decided_at",
        )
    )
    months_by_measure = {m.pk: measure_months(m.starts_on, m.stop, period) for m in active}
    total_months = sum(months_by_measure.values(), ZERO) + sum(recorded.values()) * (
        settings.MEASURE_DURATION_MONTHS
    )
    households_supported = len({m.household_id for m in active}) + sum(recorded.values())
    renewals = _renewals(period, partner)
    successes = [m for m in closed if m.outcome in SUCCESSFUL_OUTCOMES]

    headlines = [
        Headline(
            "households_oriented", "Ménages orientés", count(len({o[0] for o in orientations}))
        ),
        Headline(
            "households_decided",
            "Ménages dont l'orientation est décidée",
            count(len({d[0] for d in decisions})),
        ),
        Headline("households_supported", "Ménages accompagnés", count(households_supported)),
        Headline(
            "measures_active", "Mesures en cours", count(len(active) + sum(recorded.values()))
        ),
        Headline("measures_started", "Mesures commencées", count(len(started))),
        Headline(
            "measure_months",
            "Mois-mesures",
            rests_on(one_decimal(total_months), households_supported),
            "months",
        ),
        Headline("renewals", "Renouvellements accordés", count(renewals["approved"])),
        Headline("measures_closed", "Mesures closes", count(len(closed))),
        Headline("successful_outcomes", "Issues favorables", count(len(successes))),
    ]
    indicators = Indicators(
        period=period,
        partner=partner,
        headlines=headlines,
        tables=[
            _by_kind(orientations, decisions, active, months_by_measure, recorded),
            _by_partner(orientations, decisions, active, months_by_measure, recorded, partner),
            _outcomes(closed),
            _arrears(closed),
            _glides(period, partner, closed),
            _durations(orientations, decisions, started),
            _renewals_table(renewals, closed),
            _follow_ups(period, partner, active),
            _procedures(period, partner, closed),
            *_territories(active),
        ],
        eviction_public_cost=Decimal(settings.STATS_EVICTION_PUBLIC_COST),
        eviction_public_cost_source=settings.STATS_EVICTION_PUBLIC_COST_SOURCE,
    )
    if partner is None:
        indicators.tables.append(_costs(period, active, closed, recorded, today))
        indicators.tables.append(_public_cost(indicators))
        years = list(period.years)
        if len(years) == 1:
            targeted = funding.year_figures(years[0], today=today).households_targeted
            indicators.households_targeted = targeted
    return indicators


def _recorded_totals(period: Period, partner: Partner | None) -> dict[str, int]:
    """Measures typed as yearly totals, counted when the period overlaps their year."""
    totals: dict[str, int] = Counter()
    for year in period.years:
        for name, n in funding.recorded_totals(year).items():
            if partner is None or partner.name == name:
                totals[name] += n
    return dict(totals)


def _by_kind(orientations, decisions, active, months, recorded) -> Table:
    columns = [
        "Ménages orientés",
        "Ménages décidés",
        "dont acceptés",
        "dont refusés",
        "Ménages accompagnés",
        "Mesures",
        "Mois-mesures",
    ]
    rows = []
    for kind, label in KINDS:
        kind_measures = [m for m in active if m.kind == kind]
        households = len({m.household_id for m in kind_measures})
        rows.append(
            Row(
                label,
                [
                    count(len({o[0] for o in orientations if o[1] == kind})),
                    count(len({d[0] for d in decisions if d[1] == kind})),
                    count(len({d[0] for d in decisions if d[1] == kind and d[4] == "approved"})),
                    count(len({d[0] for d in decisions if d[1] == kind and d[4] == "rejected"})),
                    count(households),
                    count(len(kind_measures)),
                    rests_on(
                        one_decimal(sum((months[m.pk] for m in kind_measures), ZERO)), households
                    ),
                ],
            )
        )
    if recorded:
        n = sum(recorded.values())
        rows.append(
            Row(
                RECORDED_TOTALS,
                [
                    count(0),
                    count(0),
                    count(0),
                    count(0),
                    count(n),
                    count(n),
                    rests_on(Decimal(n * settings.MEASURE_DURATION_MONTHS), n),
                ],
            )
        )
    return Table(
        "by_kind",
        "Par action",
        "Action",
        columns,
        ["count"] * 6 + ["months"],
        rows,
        note="Un ménage compte une fois par action, même avec plusieurs mesures.",
        column_groups=[(1, [2, 3])],
        row_groups=[(None, list(range(len(rows))))],
    )


def _by_partner(orientations, decisions, active, months, recorded, partner) -> Table:
    names = sorted(
        {o[2] for o in orientations}
        | {o[3] for o in orientations}
        | {d[2] for d in decisions}
        | {d[3] for d in decisions}
        | {m.landlord for m in active}
        | {m.association for m in active}
        | set(recorded)
    )
    if partner is not None:
        names = [partner.name]
    rows = []
    for name in names:
        mine = [m for m in active if name in (m.landlord, m.association)]
        households = len({m.household_id for m in mine}) + recorded.get(name, 0)
        rows.append(
            Row(
                name,
                [
                    count(len({o[0] for o in orientations if name in (o[2], o[3])})),
                    count(len({d[0] for d in decisions if name in (d[2], d[3])})),
                    count(households),
                    count(len(mine) + recorded.get(name, 0)),
                    rests_on(
                        one_decimal(
                            sum((months[m.pk] for m in mine), ZERO)
                            + recorded.get(name, 0) * settings.MEASURE_DURATION_MONTHS
                        ),
                        households,
                    ),
                ],
            )
        )
    return Table(
        "by_partner",
        "Par partenaire",
        "Partenaire",
        ["Ménages orientés", "Ménages décidés", "Ménages accompagnés", "Mesures", "Mois-mesures"],
        ["count"] * 4 + ["months"],
        rows,
        note="Une mesure compte pour son bailleur et pour son association.",
    )


def _outcomes(closed) -> Table:
    outcomes = list(Outcome.choices)
    grid = Counter((m.kind, m.outcome) for m in closed)
    rows = []
    for kind, label in KINDS:
        cells = [count(grid[(kind, outcome)]) for outcome, _ in outcomes]
        rows.append(Row(label, [*cells, count(sum(c.value for c in cells))]))
    totals = [count(sum(r.cells[i].value for r in rows)) for i in range(len(outcomes) + 1)]
    rows.append(Row(TOTAL, totals))
    return Table(
        "outcomes",
        "Issues des mesures closes, par action",
        "Action",
        [label for _, label in outcomes] + [TOTAL],
        ["count"] * (len(outcomes) + 1),
        rows,
        column_groups=[(len(outcomes), list(range(len(outcomes))))],
        row_groups=[(len(rows) - 1, list(range(len(rows) - 1)))],
    )


def _arrears(closed) -> Table:
    """Arrears when the action started and at the last reading before the measure closed."""
    by_action = {m.action_id: m for m in closed}
    at_start = dict(
        Action.objects.filter(pk__in=by_action, arrears_at_start__isnull=False).values_list(
            "pk", "arrears_at_start"
        )
    )
    last_reading: dict[int, tuple[date, Decimal]] = {}
    for action_id, read_on, amount in ArrearsReading.objects.filter(
        action_id__in=at_start
    ).values_list("action_id", "read_on", "amount"):
        if read_on <= by_action[action_id].closed_on and (
            action_id not in last_reading or read_on >= last_reading[action_id][0]
        ):
            last_reading[action_id] = (read_on, amount)
    rows = []
    for kind, label in KINDS:
        pairs = [
            (at_start[a], last_reading[a][1])
            for a, m in by_action.items()
            if m.kind == kind and a in at_start and a in last_reading
        ]
        if not pairs:
            continue
        n = len(pairs)
        start = sum((p[0] for p in pairs), ZERO)
        end = sum((p[1] for p in pairs), ZERO)
        rows.append(
            Row(
                label,
                [
                    count(n),
                    rests_on(cents(start), n),
                    rests_on(cents(end), n),
                    rests_on(one_decimal((end - start) / start * 100) if start else None, n),
                ],
            )
        )
    return Table(
        "arrears",
        "Impayés au début et à la clôture",
        "Action",
        ["Ménages", "Impayés au début", "Impayés à la clôture", "Évolution (%)"],
        ["count", "euros", "euros", "percent"],
        rows,
        note="Mesures closes dans la période dont les impayés au début et un relevé avant la "
        "clôture sont saisis.",
    )


def _glides(period, partner, closed) -> Table:
    leases = SlidingLease.objects.filter(_partner_q(partner, "action__"))
    glided = list(
        leases.filter(glide_on__gte=period.start, glide_on__lte=period.end).values_list(
            "action__kind", "glide_on", "sublease_signed_on", "entry_on", "action__household_id"
        )
    )
    failed_actions = {m.action_id for m in closed if m.kind in {k for k, _ in KINDS[2:]}} - set(
        leases.exclude(glide_on=None).values_list("action_id", flat=True)
    )
    failed = Counter(
        SlidingLease.objects.filter(action_id__in=failed_actions)
        .exclude(sublease_signed_on=None)
        .values_list("action__kind", flat=True)
    )
    rows = []
    for kind, label in KINDS[2:]:
        mine = [g for g in glided if g[0] == kind]
        delays = [
            Decimal((g[1] - (g[2] or g[3])).days) / Decimal("30.4375") for g in mine if g[2] or g[3]
        ]
        ended = len(mine) + failed[kind]
        rows.append(
            Row(
                label,
                [
                    count(len(mine)),
                    count(failed[kind]),
                    rests_on(
                        one_decimal(Decimal(len(mine)) / ended * 100) if ended else None, ended
                    ),
                    rests_on(
                        one_decimal(sum(delays, ZERO) / len(delays)) if delays else None,
                        len(delays),
                    ),
                ],
            )
        )
    return Table(
        "glides",
        "Baux glissants : glissements",
        "Action",
        ["Baux glissés", "Fins sans glissement", "Taux de glissement (%)", "Délai moyen (mois)"],
        ["count", "count", "percent", "months"],
        rows,
        note="Taux : baux glissés dans la période ÷ baux glissés ou terminés sans glissement "
        "dans la période ; délai : de la sous-location (ou de l'entrée) au glissement.",
    )


def _days_row(label: str, days: list[int]) -> Row:
    n = len(days)
    return Row(
        label,
        [
            count(n),
            rests_on(one_decimal(Decimal(sum(days)) / n) if n else None, n),
            rests_on(one_decimal(Decimal(stdlib_statistics.median(days))) if n else None, n),
        ],
    )


def _durations(orientations, decisions, started) -> Table:
    to_orientation = [
        (local_date(created_at) - made_on).days
        for *_, created_at, made_on in orientations
        if made_on is not None
    ]
    to_decision = [(local_date(d[6]) - local_date(d[5])).days for d in decisions]
    start_of = {}
    for action_id, decided_at, made_on in CoDecision.objects.filter(
        action_link__action_id__in=[m.action_id for m in started],
        action_link__measure=None,
        status=CoDecisionStatus.APPROVED,
    ).values_list(
        "action_link__action_id",
        "decided_at",
        "action_link__action__orientation__diagnostic__made_on",
    ):
        start_of[action_id] = (local_date(decided_at), made_on)
    to_start = [
        (m.starts_on - start_of[m.action_id][0]).days for m in started if m.action_id in start_of
    ]
    whole = [
        (m.starts_on - start_of[m.action_id][1]).days
        for m in started
        if m.action_id in start_of and start_of[m.action_id][1] is not None
    ]
    return Table(
        "durations",
        "Délais",
        "Étape",
        ["Ménages", "Moyenne (jours)", "Médiane (jours)"],
        ["count", "days", "days"],
        [
            _days_row("Du diagnostic à l'orientation", to_orientation),
            _days_row("De l'orientation à la décision", to_decision),
            _days_row("De la décision au début de la mesure", to_start),
            _days_row("Du diagnostic au début de la mesure", whole),
        ],
        note="Chaque délai est compté pour les étapes franchies dans la période : orientations, "
        "décisions, débuts de mesure.",
    )


def _renewals(period, partner) -> dict:
    rows = list(
        CoDecision.objects.filter(
            purpose=Purpose.RENEWAL,
            status__in=[CoDecisionStatus.APPROVED, CoDecisionStatus.REJECTED],
            decided_at__date__gte=period.start,
            decided_at__date__lte=period.end,
        )
        .filter(_partner_q(partner))
        .values_list("kind", "status")
    )
    return {
        "rows": rows,
        "approved": sum(1 for _, status in rows if status == CoDecisionStatus.APPROVED),
    }


def _renewals_table(renewals, closed) -> Table:
    rows = []
    for kind, label in KINDS:
        mine = [m for m in closed if m.kind == kind]
        rows.append(
            Row(
                label,
                [
                    count(sum(1 for k, s in renewals["rows"] if k == kind and s == "approved")),
                    count(sum(1 for k, s in renewals["rows"] if k == kind and s == "rejected")),
                    count(sum(1 for m in mine if m.renewal_count)),
                    count(sum(1 for m in mine if m.closed_on + timedelta(days=1) < m.ends_on)),
                    count(len(mine)),
                ],
            )
        )
    return Table(
        "renewals",
        "Renouvellements et clôtures",
        "Action",
        [
            "Renouvellements accordés",
            "Renouvellements refusés",
            "Mesures closes après renouvellement",
            "Clôtures avant l'échéance",
            "Mesures closes",
        ],
        ["count"] * 5,
        rows,
    )


def _follow_ups(period, partner, active) -> Table:
    follow_ups = FollowUp.objects.filter(happened_on__gte=period.start, happened_on__lte=period.end)
    if partner is not None:
        follow_ups = follow_ups.filter(
            Q(measure__action__landlord=partner)
            | Q(measure__action__association=partner)
            | Q(author_partner=partner)
        )
    grid = Counter(
        (kind, measure_id is not None)
        for kind, measure_id in follow_ups.values_list("kind", "measure_id")
    )
    households = Counter(
        kind for kind, _ in follow_ups.values_list("kind", "household_id").distinct()
    )
    measures = len(active)
    rows = []
    for kind, label in FollowUpKind.choices:
        in_measure = grid[(kind, True)]
        rows.append(
            Row(
                label,
                [
                    rests_on(in_measure, households[kind]),
                    rests_on(grid[(kind, False)], households[kind]),
                    rests_on(
                        one_decimal(Decimal(in_measure) / measures) if measures else None, measures
                    ),
                ],
            )
        )
    total_in = sum(v for (k, m), v in grid.items() if m)
    total_out = sum(v for (k, m), v in grid.items() if not m)
    n = follow_ups.values("household_id").distinct().count()
    rows.append(
        Row(
            TOTAL,
            [
                rests_on(total_in, n),
                rests_on(total_out, n),
                rests_on(one_decimal(Decimal(total_in) / measures) if measures else None, measures),
            ],
        )
    )
    return Table(
        "follow_ups",
        "Suivis, par type (aller-vers compris)",
        "Type",
        ["Dans une mesure", "Hors mesure", "Par mesure en cours"],
        ["count", "count", "months"],
        rows,
        row_groups=[(len(rows) - 1, list(range(len(rows) - 1)))],
    )


def _procedures(period, partner, closed) -> Table:
    """Procedures are the household's (one each, whatever its action): a partner's share is
    the procedures of the households whose actions it is a party to."""
    procedures = EvictionProcedure.objects.all()
    if partner is not None:
        procedures = procedures.filter(
            household__in=Action.objects.filter(_partner_q(partner)).values("household_id")
        )
    summons = procedures.filter(summons_on__gte=period.start, summons_on__lte=period.end)
    judged = procedures.filter(judgement_on__gte=period.start, judgement_on__lte=period.end)
    with_procedure = set(procedures.exclude(summons_on=None).values_list("household_id", flat=True))
    police = set(
        procedures.exclude(police_assistance_requested_on=None).values_list(
            "household_id", flat=True
        )
    )
    avoided = {
        m.household_id
        for m in closed
        if m.outcome in SUCCESSFUL_OUTCOMES
        and (m.household_id in with_procedure or m.outcome == Outcome.EVICTION_AVOIDED)
    }
    carried_out = {
        m.household_id for m in closed if m.household_id in police and m.outcome == Outcome.LEFT
    }

    def households(queryset) -> int:
        return queryset.values("household_id").distinct().count()

    rows = [
        Row("Assignations", [count(households(summons))]),
        Row(
            "Jugements : expulsion prononcée",
            [count(households(judged.filter(judgement_outcome=JudgementOutcome.EVICTION)))],
        ),
        Row(
            "Jugements : sans expulsion (délais, rejet)",
            [
                count(
                    households(
                        judged.filter(
                            judgement_outcome__in=[
                                JudgementOutcome.PAYMENT_PLAN,
                                JudgementOutcome.DISMISSED,
                            ]
                        )
                    )
                )
            ],
        ),
        Row(
            "Jugements : issue non saisie",
            [count(households(judged.filter(judgement_outcome="")))],
        ),
        Row("Expulsions évitées", [count(len(avoided))]),
        Row("Expulsions réalisées", [count(len(carried_out))]),
    ]
    return Table(
        "procedures",
        "Procédures d'expulsion",
        "Étape",
        ["Ménages"],
        ["count"],
        rows,
        note="Évitée : mesure close dans la période sur une issue favorable, pour un ménage "
        "assigné ou dont l'issue est « Expulsion évitée ». Réalisée : concours de la force "
        "publique demandé et sortie du dispositif.",
    )


def _territories(active) -> list[Table]:
    households: dict[int, tuple[str, str]] = {}
    measures_by_place: Counter = Counter()
    for m in active:
        place = locate(m.postcode, m.city)
        households[m.household_id] = place
        measures_by_place[place] += 1
    by_epci: dict[str, set] = defaultdict(set)
    by_commune: dict[tuple[str, str], set] = defaultdict(set)
    for household_id, (commune, epci) in households.items():
        by_epci[epci].add(household_id)
        by_commune[(commune, epci)].add(household_id)
    epci_measures = Counter()
    for (_, epci), n in measures_by_place.items():
        epci_measures[epci] += n
    communes = sorted(by_commune.items())
    groups: dict[str, list[int]] = defaultdict(list)
    for index, ((_, epci), _) in enumerate(communes):
        groups[epci].append(index)
    return [
        Table(
            "epci",
            "Par intercommunalité (EPCI)",
            "EPCI",
            ["Ménages accompagnés", "Mesures"],
            ["count", "count"],
            [
                Row(epci, [count(len(ids)), count(epci_measures[epci])])
                for epci, ids in sorted(by_epci.items())
            ],
            note="L'EPCI vient du code postal et de la commune (table des communes de l'Isère).",
            row_groups=[(None, list(range(len(by_epci))))],
        ),
        Table(
            "communes",
            "Par commune",
            "Commune",
            ["EPCI", "Ménages accompagnés"],
            ["text", "count"],
            [Row(commune, [Cell(epci), count(len(ids))]) for (commune, epci), ids in communes],
            row_groups=[(None, rows) for rows in groups.values()],
        ),
    ]


def _costs(period, active, closed, recorded, today) -> Table:
    """What each funder gave, and what it cost per household supported and per favourable
    outcome: a funder that names the measures it finances (AVDL) is divided by their
    households; the others by every household of the year (their money is pooled)."""
    rows = []
    households_all = len({m.household_id for m in active}) + sum(recorded.values())
    successes_all = [m for m in closed if m.outcome in SUCCESSFUL_OUTCOMES]
    total = {"committed": ZERO, "received": ZERO, "spent": ZERO}
    for year in period.years:
        for funder in funding.funder_figures(year, today=today):
            if funder.measure_ids:
                households = len({m.household_id for m in active if m.pk in funder.measure_ids})
                successes = len([m for m in successes_all if m.pk in funder.measure_ids])
            else:
                households, successes = households_all, len(successes_all)
            rows.append(_cost_row(funder.name, funder, households, successes))
            for key in total:
                total[key] += getattr(funder, key)
    rows.append(
        _cost_row(
            TOTAL,
            funding.FunderFigures(name=TOTAL, partner_id=None, **total),
            households_all,
            len(successes_all),
        )
    )
    return Table(
        "costs",
        "Financeurs : contribution et coût par ménage",
        "Financeur",
        [
            "Engagé",
            "Reçu",
            "Dépensé",
            "Heures AVDL",
            "Ménages financés",
            "Coût par ménage",
            "Issues favorables",
            "Coût par issue favorable",
        ],
        ["euros", "euros", "euros", "hours", "count", "euros", "count", "euros"],
        rows,
        note="Dépensé : écritures du registre datées de la période. Un financeur qui désigne "
        "les mesures qu'il finance (AVDL) est rapporté à leurs ménages ; les autres à tous les "
        "ménages accompagnés.",
    )


def _cost_row(name, funder, households: int, successes: int) -> Row:
    return Row(
        name,
        [
            money(cents(funder.committed)),
            money(cents(funder.received)),
            money(cents(funder.spent)),
            money(one_decimal(funder.hours)) if funder.hours else money(None),
            count(households),
            rests_on(cents(funder.spent / households) if households else None, households),
            count(successes),
            rests_on(cents(funder.spent / successes) if successes else None, successes),
        ],
    )


def _public_cost(indicators: Indicators) -> Table:
    avoided = indicators.table("procedures").value("Expulsions évitées", "Ménages")
    per_eviction = indicators.eviction_public_cost
    spent = indicators.table("costs").value(TOTAL, "Dépensé")
    households = indicators.headline("households_supported").value
    return Table(
        "public_cost",
        "Coût public évité",
        "Chiffre",
        ["Valeur"],
        ["euros"],
        [
            Row("Coût public d'une expulsion (estimation)", [money(per_eviction)]),
            Row("Expulsions évitées", [count(avoided)]),
            Row("Coût public évité", [rests_on(per_eviction * avoided, avoided)]),
            Row(
                "Coût du programme par ménage accompagné",
                [rests_on(cents(spent / households) if households else None, households)],
            ),
        ],
        note=f"Source du coût d'une expulsion : {indicators.eviction_public_cost_source}",
    )


def funder_contribution(period: Period, funder: Partner, today: date | None = None) -> Table:
    """What one funder committed, paid and what was spent of it in the period, and what it
    financed: the measures it names (AVDL), or the whole programme's when it names none."""
    today = today or timezone.localdate()
    committed = received = spent = hours = ZERO
    measure_ids: set[int] | None = None
    for year in period.years:
        for row in funding.funder_figures(year, today=today):
            if row.partner_id == funder.pk:
                committed += row.committed
                received += row.received
                spent += row.spent
                hours += row.hours
                if row.measure_ids:
                    measure_ids = (measure_ids or set()) | row.measure_ids
    active = [m for m in _measures(None, period) if m.stop > period.start]
    closed = _measures(None, closed_in=period)
    recorded = sum(_recorded_totals(period, None).values())
    if measure_ids is not None:
        active = [m for m in active if m.pk in measure_ids]
        closed = [m for m in closed if m.pk in measure_ids]
        recorded = 0
    households = len({m.household_id for m in active}) + recorded
    months = sum((measure_months(m.starts_on, m.stop, period) for m in active), ZERO)
    successes = sum(1 for m in closed if m.outcome in SUCCESSFUL_OUTCOMES)
    rows = [
        Row("Engagé", [money(cents(committed))], "euros"),
        Row("Versé (reçu par le programme)", [money(cents(received))], "euros"),
        Row("Dépensé dans la période", [money(cents(spent))], "euros"),
    ]
    if hours:
        rows.append(Row("Heures AVDL financées", [money(one_decimal(hours))], "hours"))
    months = one_decimal(months + recorded * settings.MEASURE_DURATION_MONTHS)
    rows += [
        Row("Mesures financées", [count(len(active) + recorded)], "count"),
        Row("Ménages financés", [count(households)], "count"),
        Row("Mois-mesures financés", [rests_on(months, households)], "months"),
        Row("Issues favorables", [count(successes)], "count"),
        Row(
            "Coût par ménage",
            [rests_on(cents(spent / households) if households else None, households)],
            "euros",
        ),
    ]
    return Table(
        "contribution",
        f"Contribution de {funder.name}",
        "Chiffre",
        ["Valeur"],
        ["text"],
        rows,
        note=(
            "Mesures désignées par vos financements (AVDL)."
            if measure_ids is not None
            else "Votre financement va à l'ensemble du programme : tous ses ménages accompagnés."
        ),
    )
