"""What the notification centre hears from the apps below it (called once, from
notifications.apps): a co-decision opened is told to both sides; the outcomes of the
workflow (orientation decided, measure started, renewed or closed, disagreement, committee
answer, arbitration, household shared, outreach request and its withdrawal) are told to
whom they concern, and the tasks they end are marked done; the daily sweep is re-run by the
outbox relay when it did not finish."""

from django.conf import settings

from actions.events import (
    FollowUpLogged,
    LeaseReviewed,
    MeasureClosed,
    MeasureOpened,
    MeasureRenewed,
    OutreachAnswered,
    OutreachRequested,
    OutreachWithdrawn,
)
from codecision.events import (
    CoDecisionAnswered,
    CoDecisionArbitrated,
    CoDecisionCancelled,
    CoDecisionDecided,
    CoDecisionOpened,
)
from core import events, outbox
from households.events import (
    HouseholdAccessChanged,
    HouseholdOpenedDespiteDuplicates,
    HouseholdsMerged,
)
from notifications import handlers
from notifications.tasks import DAILY_SWEEP


def connect() -> None:
    events.subscribe(CoDecisionOpened, handlers.codecision_opened)
    events.subscribe(HouseholdOpenedDespiteDuplicates, handlers.household_opened_despite_duplicates)
    events.subscribe(CoDecisionAnswered, handlers.codecision_answered)
    events.subscribe(CoDecisionDecided, handlers.codecision_decided)
    events.subscribe(CoDecisionCancelled, handlers.codecision_cancelled)
    events.subscribe(CoDecisionArbitrated, handlers.codecision_arbitrated)
    events.subscribe(MeasureOpened, handlers.measure_opened)
    events.subscribe(MeasureRenewed, handlers.measure_renewed)
    events.subscribe(MeasureClosed, handlers.measure_closed)
    events.subscribe(HouseholdAccessChanged, handlers.household_shared)
    events.subscribe(HouseholdsMerged, handlers.households_merged)
    events.subscribe(OutreachRequested, handlers.outreach_requested)
    events.subscribe(OutreachAnswered, handlers.outreach_answered)
    events.subscribe(OutreachWithdrawn, handlers.outreach_withdrawn)
    events.subscribe(FollowUpLogged, handlers.follow_up_logged)
    events.subscribe(LeaseReviewed, handlers.lease_reviewed)
    # The sweep runs to the end every day: the outbox relay runs it again if it did not.
    outbox.register_daily(DAILY_SWEEP, hour=settings.REMINDER_SWEEP_HOUR)
