"""Booking the workflow's money and the coordinators' entries; the year's figures.

The workflow books in the same transaction as its step, under a booking key that makes a
second booking of the same fee or month impossible. Nothing is edited: a correction
reverses an entry and, if needed, books the right amount."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from actions.models import SupportMeasure
from core.dates import ensure_plausible
from core.errors import DomainError
from core.text import SHORT_LINE, clip
from funding.models import (
    LEDGER_AMOUNT_MESSAGE,
    LEDGER_DATES,
    LEDGER_MAX_AMOUNT,
    FundingKind,
    FundingSource,
    LedgerEntry,
    MeasureFunding,
    YearlyBudget,
)
from partners.models import Partner, User

ZERO = Decimal("0.00")


def flat_fee(year: int) -> Decimal:
    budget = YearlyBudget.objects.filter(year=year).first()
    return budget.flat_fee if budget else Decimal(settings.FUNDING_FLAT_FEE_DEFAULT)


def _book(key: str, **fields) -> LedgerEntry | None:
    if LedgerEntry.objects.filter(booking_key=key).exists():
        return None
    return LedgerEntry.objects.create(booking_key=key, **fields)


def book_measure_fee(measure, *, by: User | None, renewal: bool = False) -> LedgerEntry | None:
    """The landlord's flat fee for a measure that starts (and for its renewal if the
    programme's setting says so)."""
    if renewal and not settings.FUNDING_RENEWAL_BOOKS_FEE:
        return None
    action = measure.action
    on = timezone.localdate() if renewal else measure.starts_on
    return _book(
        f"fee:{measure.pk}:{'renewal' if renewal else 'start'}",
        on=on,
        year=on.year,
        kind=FundingKind.FLAT_FEE,
        partner_id=action.landlord_id,
        household_id=action.household_id,
        measure=measure,
        amount=flat_fee(on.year),
        measures_count=0 if renewal else 1,
        label=f"Forfait {'renouvellement ' if renewal else ''}mesure {action.household.reference}",
        created_by=by,
    )


def book_rent_reduction(reduction, *, by: User | None) -> list[LedgerEntry]:
    """One entry per month of a rent reduction, borne by the landlord."""
    action = reduction.action
    booked = []
    for month in reduction.months():
        entry = _book(
            f"reduction:{reduction.pk}:{month:%Y-%m}",
            on=month,
            year=month.year,
            kind=FundingKind.RENT_REDUCTION,
            partner_id=action.landlord_id,
            household_id=action.household_id,
            rent_reduction=reduction,
            amount=reduction.monthly_amount,
            label=f"Minoration de loyer {month:%m/%Y} {action.household.reference}",
            created_by=by,
        )
        if entry:
            booked.append(entry)
    return booked


def _require_coordinator(by: User) -> None:
    if not by.is_coordinator:
        raise DomainError("Les écritures du budget sont saisies par la coordination.")


@transaction.atomic
def entry_add(
    *,
    by: User,
    kind: str,
    on: date,
    amount: Decimal,
    label: str,
    source: FundingSource | None = None,
    partner: Partner | None = None,
) -> LedgerEntry:
    """An entry typed by a coordinator (AVDL, grants, other money)."""
    _require_coordinator(by)
    if kind in (FundingKind.FLAT_FEE, FundingKind.RENT_REDUCTION):
        raise DomainError(
            "Forfaits et minorations sont comptés par le suivi des mesures, pas saisis.",
            field="kind",
        )
    if amount == 0:
        raise DomainError("Saisissez un montant.", field="amount")
    ensure_ledger_amount(amount)
    ensure_plausible(on, field="on", past_years=LEDGER_DATES.past_years)
    if source is not None and source.kind != kind:
        raise DomainError("La source choisie n'est pas de ce type.", field="source")
    return LedgerEntry.objects.create(
        on=on,
        year=on.year,
        kind=kind,
        amount=amount,
        label=label,
        source=source,
        partner=partner,
        created_by=by,
    )


def ensure_ledger_amount(amount: Decimal) -> None:
    if abs(Decimal(amount)) > LEDGER_MAX_AMOUNT:
        raise DomainError(LEDGER_AMOUNT_MESSAGE, field="amount")


@transaction.atomic
def entry_correct(
    *, by: User, entry: LedgerEntry, reason: str, amount: Decimal | None = None
) -> list[LedgerEntry]:
    """Reverse an entry and, if `amount` is given, book the right amount in its place."""
    _require_coordinator(by)
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.corrects_id is not None:
        raise DomainError("On corrige l'écriture d'origine, pas une correction.")
    if entry.corrections.exists():
        raise DomainError("Cette écriture a déjà été corrigée.")
    if not reason.strip():
        raise DomainError("Indiquez le motif de la correction.", field="reason")
    if amount is not None:
        ensure_ledger_amount(amount)
    today = timezone.localdate()
    common = {
        "year": entry.year,
        "kind": entry.kind,
        "source": entry.source,
        "partner": entry.partner,
        "household": entry.household,
        "measure": entry.measure,
        "rent_reduction": entry.rent_reduction,
        "corrects": entry,
        "created_by": by,
        "on": today if today.year == entry.year else date(entry.year, 12, 31),
    }
    # The reversal takes back the measures the entry paid for; a corrected amount pays
    # for them again.
    made = [
        LedgerEntry.objects.create(
            amount=-entry.amount,
            measures_count=-entry.measures_count,
            label=clip(f"Annulation : {entry.label} — {reason}", SHORT_LINE),
            reason=reason,
            **common,
        )
    ]
    if amount is not None:
        made.append(
            LedgerEntry.objects.create(
                amount=amount,
                measures_count=entry.measures_count,
                label=clip(f"Correction : {entry.label} — {reason}", SHORT_LINE),
                reason=reason,
                **common,
            )
        )
    return made


def end_rent_reductions(action, *, after: date, by: User | None) -> list[LedgerEntry]:
    """The action closes: its rent reductions stop with the month of `after`; the months
    booked beyond it are reversed (the entries stay, a reversal nets each out)."""
    last_month = after.replace(day=1)
    reversed_entries = []
    for reduction in action.rent_reductions.all():
        if reduction.starts_on <= last_month < reduction.ends_on:
            reduction.ends_on = last_month
            reduction._history_user, reduction._change_reason = by, "Fin de l'action"
            reduction.save(update_fields=["ends_on"])
        beyond = (
            reduction.ledger_entries.filter(on__gt=last_month, corrects=None, amount__gt=0)
            .exclude(corrections__isnull=False)
            .order_by("on")
        )
        for entry in beyond:
            reversal = _book(
                f"{entry.booking_key}:ended",
                on=entry.on,
                year=entry.year,
                kind=entry.kind,
                partner_id=entry.partner_id,
                household_id=entry.household_id,
                rent_reduction=reduction,
                corrects=entry,
                amount=-entry.amount,
                label=clip(f"Fin de l'action le {after:%d/%m/%Y} : {entry.label}", SHORT_LINE),
                created_by=by,
            )
            if reversal:
                reversed_entries.append(reversal)
    return reversed_entries


@transaction.atomic
def yearly_budget_set(
    *,
    by: User,
    year: int,
    amount_engaged: Decimal,
    households_targeted: int,
    flat_fee: Decimal | None = None,
) -> YearlyBudget:
    """The coordination sets the year's budget and its target of households (« visés »)."""
    _require_coordinator(by)
    if households_targeted < 0 or amount_engaged < 0:
        raise DomainError("Un objectif ou un budget ne peut pas être négatif.")
    budget, _ = YearlyBudget.objects.select_for_update().get_or_create(
        year=year,
        defaults={"amount_engaged": amount_engaged, "households_targeted": households_targeted},
    )
    budget.amount_engaged, budget.households_targeted = amount_engaged, households_targeted
    if flat_fee is not None:
        budget.flat_fee = flat_fee
    budget.save()
    return budget


@transaction.atomic
def measure_funding_add(
    *,
    by: User,
    source: FundingSource,
    measure: SupportMeasure,
    hours: Decimal | None = None,
    amount: Decimal | None = None,
) -> MeasureFunding:
    """Link a measure to the source that finances it (the State's AVDL hours or money)."""
    _require_coordinator(by)
    if not (hours and hours > 0) and not (amount and amount > 0):
        raise DomainError("Indiquez les heures ou le montant financés.", field="hours")
    stop = measure.closed_on or measure.ends_on
    if measure.starts_on.year > source.year or stop.year < source.year:
        raise DomainError(
            f"Cette mesure n'est pas en cours en {source.year}, l'année de la source.",
            field="measure",
        )
    if MeasureFunding.objects.filter(source=source, measure=measure).exists():
        raise DomainError("Cette mesure est déjà financée par cette source.", field="measure")
    return MeasureFunding.objects.create(
        source=source, measure=measure, hours=hours, amount=amount, created_by=by
    )


def recorded_totals(year: int) -> dict[str, int]:
    """Measures paid by fees typed as totals, without a household (the years before the
    application: the 2016 seed), by landlord: {landlord's name: measures}."""
    rows = (
        LedgerEntry.objects.filter(year=year, kind=FundingKind.FLAT_FEE, household=None)
        .values("partner__name")
        .annotate(n=Sum("measures_count"))
        .values_list("partner__name", "n")
    )
    return {name or OUTSIDE_BODIES: n for name, n in rows if n}


@dataclass
class FunderFigures:
    """One funder's contribution to a year: what it committed, paid and what was spent of
    it; the measures it finances by name (AVDL) if any."""

    name: str
    partner_id: int | None
    committed: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO
    hours: Decimal = ZERO
    measure_ids: set[int] | None = None


def funder_figures(year: int, today: date | None = None) -> list[FunderFigures]:
    """Every funder of the year: a partner (a landlord, the State's DDETS, a foundation) or
    an outside body by name. A landlord also funds what the workflow books on its lines
    (flat fees, rent reductions)."""
    today = today or timezone.localdate()
    funders: dict[tuple, FunderFigures] = {}

    def row(partner_id, name) -> FunderFigures:
        key = (partner_id, "" if partner_id else name)
        return funders.setdefault(key, FunderFigures(name=name, partner_id=partner_id))

    for source in FundingSource.objects.filter(year=year).select_related("funder"):
        funder = row(source.funder_id, source.funder.name if source.funder else source.funder_name)
        funder.committed += source.amount_committed
        funder.received += source.amount_received
    spent = LedgerEntry.objects.filter(year=year, on__lte=today)
    for partner_id, name, outside, total in (
        spent.exclude(source=None)
        .values("source__funder", "source__funder__name", "source__funder_name")
        .annotate(total=Sum("amount"))
        .values_list("source__funder", "source__funder__name", "source__funder_name", "total")
    ):
        row(partner_id, name or outside).spent += total
    for partner_id, name, total in (
        spent.filter(source=None, kind__in=[FundingKind.FLAT_FEE, FundingKind.RENT_REDUCTION])
        .values("partner", "partner__name")
        .annotate(total=Sum("amount"))
        .values_list("partner", "partner__name", "total")
    ):
        row(partner_id, name).spent += total
    for partner_id, name, outside, measure_id, hours in MeasureFunding.objects.filter(
        source__year=year
    ).values_list(
        "source__funder", "source__funder__name", "source__funder_name", "measure", "hours"
    ):
        funder = row(partner_id, name or outside)
        funder.measure_ids = (funder.measure_ids or set()) | {measure_id}
        funder.hours += hours or ZERO
    return sorted(funders.values(), key=lambda f: f.name)


@dataclass
class MonthTotal:
    month: date
    kind: str
    kind_label: str
    partner: str
    amount: Decimal
    entries: int


def ledger_totals(year: int, partner: Partner | None = None) -> list[MonthTotal]:
    """The ledger as funders read it: per month, kind and partner, never line by line (a
    line names a household's reference and its monthly amount)."""
    labels = dict(FundingKind.choices)
    rows = (
        entries_for(year, partner)
        .annotate(month=TruncMonth("on"))
        .values("month", "kind", "partner__name")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("month", "kind", "partner__name")
    )
    return [
        MonthTotal(
            month=r["month"],
            kind=r["kind"],
            kind_label=labels.get(r["kind"], r["kind"]),
            partner=r["partner__name"] or OUTSIDE_BODIES,
            amount=r["total"],
            entries=r["n"],
        )
        for r in rows
    ]


# --- Figures -----------------------------------------------------------------------------


@dataclass
class KindFigures:
    kind: str
    label: str
    committed: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO


OUTSIDE_BODIES = "Hors partenaires (État, fondations…)"


@dataclass
class PartnerFigures:
    name: str
    committed: Decimal = ZERO
    spent: Decimal = ZERO


@dataclass
class YearFigures:
    year: int
    partner: Partner | None
    engaged: Decimal
    households_targeted: int | None
    by_kind: list[KindFigures]
    by_partner: list[PartnerFigures]
    committed: Decimal
    spent: Decimal
    fees_booked: int
    forecast: Decimal
    budget_missing: bool = False


def entries_for(year: int, partner: Partner | None = None):
    entries = LedgerEntry.objects.filter(year=year)
    return entries.filter(partner=partner) if partner is not None else entries


def year_figures(year: int, partner: Partner | None = None, today: date | None = None):
    """Engaged, committed and spent by kind and by partner, fees booked, forecast. Households
    and measures are counted by what was active in the year (stats.indicators), not here."""
    today = today or timezone.localdate()
    budget = YearlyBudget.objects.filter(year=year).first()
    entries = entries_for(year, partner)
    # Spent: what is dated today or before.
    spent_by_kind = dict(
        entries.filter(on__lte=today)
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    sources = FundingSource.objects.filter(year=year)
    if partner is not None:
        sources = sources.filter(funder=partner)
    committed = defaultdict(lambda: ZERO)
    received = defaultdict(lambda: ZERO)
    for kind, amount_committed, amount_received in sources.values_list(
        "kind", "amount_committed", "amount_received"
    ):
        committed[kind] += amount_committed
        received[kind] += amount_received
    by_kind = [
        KindFigures(
            kind=kind,
            label=label,
            committed=committed[kind],
            received=received[kind],
            spent=spent_by_kind.get(kind) or ZERO,
        )
        for kind, label in FundingKind.choices
    ]
    # By partner: what each funder committed (outside bodies together) and what was spent
    # on each partner's lines.
    partners: dict[str, PartnerFigures] = {}
    for name, amount in sources.values_list("funder__name", "amount_committed"):
        row = partners.setdefault(name or OUTSIDE_BODIES, PartnerFigures(name or OUTSIDE_BODIES))
        row.committed += amount
    for name, total in (
        entries.filter(on__lte=today)
        .values("partner__name")
        .annotate(total=Sum("amount"))
        .values_list("partner__name", "total")
    ):
        row = partners.setdefault(name or OUTSIDE_BODIES, PartnerFigures(name or OUTSIDE_BODIES))
        row.spent += total
    by_partner = sorted(partners.values(), key=lambda row: (row.name == OUTSIDE_BODIES, row.name))
    fees = entries.filter(kind=FundingKind.FLAT_FEE).aggregate(n=Sum("measures_count"))["n"]
    spent = sum((k.spent for k in by_kind), ZERO)
    # Forecast to year end: everything booked for the year, including the months of rent
    # reductions still to come (booked, dated in the future); fees are booked when a
    # measure starts.
    forecast = entries.aggregate(total=Sum("amount"))["total"] or ZERO
    return YearFigures(
        year=year,
        partner=partner,
        engaged=budget.amount_engaged if budget and partner is None else ZERO,
        households_targeted=budget.households_targeted if budget else None,
        by_kind=by_kind,
        by_partner=by_partner,
        committed=sum((k.committed for k in by_kind), ZERO),
        spent=spent,
        fees_booked=fees or 0,
        forecast=forecast,
        budget_missing=budget is None,
    )
