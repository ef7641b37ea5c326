"""The workflow's money, booked when the workflow says what happened (actions.events), in
the same transaction as the step (subscribed in funding.wiring)."""

from actions.events import MeasureClosed, MeasureOpened, MeasureRenewed, RentReductionCreated
from funding.models import LedgerEntry
from funding.services import book_measure_fee, book_rent_reduction, end_rent_reductions


def measure_opened(event: MeasureOpened) -> None:
    book_measure_fee(event.measure, by=event.by)


def measure_renewed(event: MeasureRenewed) -> None:
    book_measure_fee(event.measure, by=event.by, renewal=True)


def measure_closed(event: MeasureClosed) -> None:
    end_rent_reductions(event.measure.action, after=event.closed_on, by=event.by)


def rent_reduction_created(event: RentReductionCreated) -> None:
    book_rent_reduction(event.reduction, by=event.by)


def ledger_held(household_ids: list[int]) -> list:
    """The ledger's lines about the households, for the right of access (cases.privacy)."""
    return [(LedgerEntry, LedgerEntry.objects.filter(household_id__in=household_ids))]
