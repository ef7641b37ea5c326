"""What the notification centre hears from the apps below it (called once, from
notifications.apps): a co-decision opened is told to both sides; the daily sweep is
re-run by the outbox relay when it did not finish."""

from django.conf import settings

from codecision.events import CoDecisionOpened
from core import events, outbox
from households.events import HouseholdOpenedDespiteDuplicates
from notifications import handlers
from notifications.tasks import DAILY_SWEEP


def connect() -> None:
    events.subscribe(CoDecisionOpened, handlers.codecision_opened)
    events.subscribe(HouseholdOpenedDespiteDuplicates, handlers.household_opened_despite_duplicates)
    # The sweep runs to the end every day: the outbox relay runs it again if it did not.
    outbox.register_daily(DAILY_SWEEP, hour=settings.REMINDER_SWEEP_HOUR)
