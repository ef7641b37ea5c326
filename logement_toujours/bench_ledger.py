"""The benchmark's ledger: what the workflow would have booked for its measures, in bulk."""

from decimal import Decimal

from django.conf import settings

from funding.models import FundingKind, LedgerEntry


def generate(*, measures, rng) -> int:
    fee = Decimal(settings.FUNDING_FLAT_FEE_DEFAULT)
    entries = []
    for measure in measures:
        action = measure.action
        entries.append(
            LedgerEntry(
                on=measure.starts_on,
                year=measure.starts_on.year,
                kind=FundingKind.FLAT_FEE,
                partner_id=action.landlord_id,
                household_id=action.household_id,
                measure_id=measure.pk,
                amount=fee,
                measures_count=1,
                label="Forfait mesure",
                booking_key=f"fee:{measure.pk}:start",
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    return len(entries)
