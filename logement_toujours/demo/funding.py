"""The 2016 demo budget, from the programme's seed figures: 207,000 € engaged for 80
households, paid by the landlords (rent reductions and a 400 € flat fee per measure), by the
State (AVDL) and by a Fondation de France grant that balances the budget.

The 2016 ledger is kept per landlord and per month (the seed gives totals, not households):
each landlord's flat fees are one entry covering its number of measures. The AVDL is paid
by the State's DDETS (a funder of the demo, with its viewer), then and this year; this
year's is linked to the measures it finances."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.models import SupportMeasure
from funding import services
from funding.models import FundingKind, FundingSource, LedgerEntry, YearlyBudget
from households.models import ActionKind
from partners.models import Partner, User

YEAR = 2016
# landlord: (measures, monthly rent reductions over the year)
LANDLORDS = {
    "actis": (30, Decimal(1500)),
    "opac38": (28, Decimal(1300)),
    "pluralis": (22, Decimal(1200)),
}
FLAT_FEE = Decimal(400)
AVDL = Decimal(72000)
ENGAGED = Decimal(207000)
# This year's AVDL: the State finances the support of actions 2 and 3 (arrears, evictions).
AVDL_THIS_YEAR = Decimal(36000)
AVDL_KINDS = [ActionKind.SOLVENCY, ActionKind.SLIDING_LEASE_EVICTION]
AVDL_HOURS_PER_MEASURE = Decimal(24)


@transaction.atomic
def load(users: dict[str, User]) -> None:
    if not YearlyBudget.objects.filter(year=YEAR).exists():
        _seed_year(users)
    if not FundingSource.objects.filter(kind=FundingKind.AVDL, year__gt=YEAR).exists():
        _avdl_this_year(users)


def _avdl_this_year(users: dict[str, User]) -> None:
    """The State's AVDL of the current year, paid by the DDETS, linked to the measures it
    finances (hours of support each), with a first instalment received."""
    today = timezone.localdate()
    ddets = users["funder.ddets"].partner
    coordinator = users["coordinator.lt"]
    source = FundingSource.objects.create(
        kind=FundingKind.AVDL,
        year=today.year,
        funder=ddets,
        amount_committed=AVDL_THIS_YEAR,
        amount_received=AVDL_THIS_YEAR / 2,
        documents=f"Convention AVDL {today.year}",
    )
    services.entry_add(
        by=coordinator,
        kind=FundingKind.AVDL,
        on=date(today.year, 3, 15),
        amount=AVDL_THIS_YEAR / 2,
        label="AVDL : versement 1 / 2",
        source=source,
    )
    measures = SupportMeasure.objects.filter(
        starts_on__year__lte=today.year, action__kind__in=AVDL_KINDS
    ).order_by("starts_on", "pk")
    for measure in measures:
        if (measure.closed_on or measure.ends_on).year >= today.year:
            services.measure_funding_add(
                by=coordinator, source=source, measure=measure, hours=AVDL_HOURS_PER_MEASURE
            )


def _seed_year(users: dict[str, User]) -> None:
    coordinator = users["coordinator.lt"]
    YearlyBudget.objects.create(
        year=YEAR, amount_engaged=ENGAGED, households_targeted=80, flat_fee=FLAT_FEE
    )
    landlords = {short: Partner.objects.get(short_name=short) for short in LANDLORDS}
    reductions = fees = Decimal(0)
    for short, (measures, monthly) in LANDLORDS.items():
        landlord = landlords[short]
        reduction_source = FundingSource.objects.create(
            kind=FundingKind.RENT_REDUCTION,
            year=YEAR,
            funder=landlord,
            amount_committed=monthly * 12,
            amount_received=monthly * 12,
            documents=f"Convention {landlord} 2016, annexe minorations",
        )
        fee_source = FundingSource.objects.create(
            kind=FundingKind.FLAT_FEE,
            year=YEAR,
            funder=landlord,
            amount_committed=FLAT_FEE * measures,
            amount_received=FLAT_FEE * measures,
            documents=f"Convention {landlord} 2016, article forfait",
        )
        for month in range(1, 13):
            LedgerEntry.objects.create(
                on=date(YEAR, month, 1),
                year=YEAR,
                kind=FundingKind.RENT_REDUCTION,
                source=reduction_source,
                partner=landlord,
                amount=monthly,
                label=f"Minorations de loyer {month:02d}/{YEAR} ({landlord})",
                created_by=coordinator,
            )
        LedgerEntry.objects.create(
            on=date(YEAR, 12, 31),
            year=YEAR,
            kind=FundingKind.FLAT_FEE,
            source=fee_source,
            partner=landlord,
            amount=FLAT_FEE * measures,
            measures_count=measures,
            label=f"Forfaits de {measures} mesures ({landlord})",
            created_by=coordinator,
        )
        reductions += monthly * 12
        fees += FLAT_FEE * measures
    avdl = FundingSource.objects.create(
        kind=FundingKind.AVDL,
        year=YEAR,
        funder=users["funder.ddets"].partner,
        amount_committed=AVDL,
        amount_received=AVDL,
        documents="Convention AVDL 2016",
    )
    for month in (4, 10):
        LedgerEntry.objects.create(
            on=date(YEAR, month, 15),
            year=YEAR,
            kind=FundingKind.AVDL,
            source=avdl,
            amount=AVDL / 2,
            label=f"AVDL : versement {1 if month == 4 else 2} / 2",
            created_by=coordinator,
        )
    grant_amount = ENGAGED - reductions - fees - AVDL
    grant = FundingSource.objects.create(
        kind=FundingKind.GRANT,
        year=YEAR,
        funder=users["funder.fondation"].partner,
        amount_committed=grant_amount,
        amount_received=grant_amount,
        documents="Subvention Fondation de France 2016",
    )
    LedgerEntry.objects.create(
        on=date(YEAR, 6, 30),
        year=YEAR,
        kind=FundingKind.GRANT,
        source=grant,
        partner=grant.funder,
        amount=grant_amount,
        label="Subvention Fondation de France (équilibre du budget)",
        created_by=coordinator,
    )
