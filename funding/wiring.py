"""What the money hears from the apps below it (called once, from funding.apps): each
measure opened, renewed or closed and each rent reduction is booked in the same transaction;
the ledger's lines about a household are part of its right of access."""

from actions.events import MeasureClosed, MeasureOpened, MeasureRenewed, RentReductionCreated
from cases.privacy import declare_records_held
from core import events
from funding import handlers


def connect() -> None:
    events.subscribe(MeasureOpened, handlers.measure_opened)
    events.subscribe(MeasureRenewed, handlers.measure_renewed)
    events.subscribe(MeasureClosed, handlers.measure_closed)
    events.subscribe(RentReductionCreated, handlers.rent_reduction_created)
    declare_records_held(handlers.ledger_held)
