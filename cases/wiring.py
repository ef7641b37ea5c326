"""What the read side hears from the apps below it (called once, from cases.apps): two
files merged, the summaries kept of the merged one are removed (cases.exports)."""

from cases.exports import summaries_forget
from core import events
from households.events import HouseholdsMerged


def households_merged(event: HouseholdsMerged) -> None:
    summaries_forget(event.merged.pk)


def connect() -> None:
    events.subscribe(HouseholdsMerged, households_merged)
