"""Booking the workflow's money and the coordinators' entries; the year's figures.

The workflow books in the same transaction as its step, under a booking key that makes a
second booking of the same fee or month impossible. Nothing is edited: a correction
reverses an entry and, if needed, books the right amount."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from funding.models import FundingKind, FundingSource, LedgerEntry, YearlyBudget
from partners.errors import DomainError
from partners.models import Partner, Role, User

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
    if by.role != Role.COORDINATOR:
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
    made = [
        LedgerEntry.objects.create(
            amount=-entry.amount,
            measures_count=0,
            label=f"Annulation : {entry.label} — {reason}",
            **common,
        )
    ]
    if amount is not None:
        made.append(
            LedgerEntry.objects.create(
                amount=amount,
                measures_count=0,
                label=f"Correction : {entry.label} — {reason}",
                **common,
            )
        )
    return made


# --- Figures -----------------------------------------------------------------------------


@dataclass
class KindFigures:
    kind: str
    label: str
    committed: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO


@dataclass
class YearFigures:
    year: int
    partner: Partner | None
    engaged: Decimal
    households_targeted: int
    by_kind: list[KindFigures]
    by_partner: list[tuple[str, Decimal]]
    committed: Decimal
    spent: Decimal
    households_supported: int
    forecast: Decimal
    cost_per_household: Decimal | None = None
    notes: list[str] = field(default_factory=list)


def entries_for(year: int, partner: Partner | None = None):
    entries = LedgerEntry.objects.filter(year=year)
    return entries.filter(partner=partner) if partner is not None else entries


def year_figures(year: int, partner: Partner | None = None, today: date | None = None):
    """Engaged, committed and spent by kind and by partner, households, forecast."""
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
    by_partner_rows = (
        entries.filter(on__lte=today)
        .values("partner__name")
        .annotate(total=Sum("amount"))
        .order_by("partner__name")
    )
    by_partner = [
        (row["partner__name"] or "Hors partenaires (État, fondations…)", row["total"])
        for row in by_partner_rows
    ]
    households = (
        entries.filter(kind=FundingKind.FLAT_FEE).aggregate(n=Sum("measures_count"))["n"] or 0
    )
    spent = sum((k.spent for k in by_kind), ZERO)
    # Forecast to year end: everything booked for the year, including the months of rent
    # reductions still to come (booked, dated in the future); fees are booked when a
    # measure starts.
    forecast = entries.aggregate(total=Sum("amount"))["total"] or ZERO
    figures = YearFigures(
        year=year,
        partner=partner,
        engaged=budget.amount_engaged if budget and partner is None else ZERO,
        households_targeted=budget.households_targeted if budget else 0,
        by_kind=by_kind,
        by_partner=by_partner,
        committed=sum((k.committed for k in by_kind), ZERO),
        spent=spent,
        households_supported=households,
        forecast=forecast,
    )
    if households:
        figures.cost_per_household = (spent / households).quantize(Decimal("0.01"))
    return figures
