"""The apps above hear what the apps below publish, in the same transaction."""

import pytest
from django.db import transaction

from actions import services as action_services
from actions.events import (
    FollowUpLogged,
    LeaseReviewed,
    MeasureClosed,
    MeasureOpened,
    MeasureRenewed,
    OutreachAnswered,
    OutreachRequested,
    OutreachWithdrawn,
    RentReductionCreated,
)
from cases import wiring as cases_wiring
from codecision.events import (
    CoDecisionAnswered,
    CoDecisionArbitrated,
    CoDecisionCancelled,
    CoDecisionDecided,
    CoDecisionOpened,
)
from core import events, reminders
from funding import handlers as funding_handlers
from funding.models import LedgerEntry
from households.events import HouseholdAccessChanged, HouseholdsMerged
from notifications import handlers as notification_handlers
from tests.factories import both_approve, orientation_create


def test_each_event_reaches_the_app_that_acts_on_it():
    # All in the step's transaction: the workflow acts on a decision before the notification
    # centre tells it (its notice reads what the workflow did); funding and notifications,
    # siblings, in either order.
    assert events.handlers(CoDecisionDecided) == [
        action_services.codecision_decided,
        notification_handlers.codecision_decided,
    ]
    assert events.handlers(CoDecisionOpened) == [notification_handlers.codecision_opened]
    assert events.handlers(CoDecisionAnswered) == [notification_handlers.codecision_answered]
    assert events.handlers(CoDecisionArbitrated) == [notification_handlers.codecision_arbitrated]
    assert events.handlers(CoDecisionCancelled) == [notification_handlers.codecision_cancelled]
    assert set(events.handlers(MeasureOpened)) == {
        funding_handlers.measure_opened,
        notification_handlers.measure_opened,
    }
    assert set(events.handlers(MeasureRenewed)) == {
        funding_handlers.measure_renewed,
        notification_handlers.measure_renewed,
    }
    assert set(events.handlers(MeasureClosed)) == {
        funding_handlers.measure_closed,
        notification_handlers.measure_closed,
    }
    assert events.handlers(RentReductionCreated) == [funding_handlers.rent_reduction_created]
    assert events.handlers(HouseholdAccessChanged) == [notification_handlers.household_shared]
    assert set(events.handlers(HouseholdsMerged)) == {
        cases_wiring.households_merged,
        notification_handlers.households_merged,
    }
    assert events.handlers(OutreachRequested) == [notification_handlers.outreach_requested]
    assert events.handlers(OutreachAnswered) == [notification_handlers.outreach_answered]
    assert events.handlers(OutreachWithdrawn) == [notification_handlers.outreach_withdrawn]
    assert events.handlers(FollowUpLogged) == [notification_handlers.follow_up_logged]
    assert events.handlers(LeaseReviewed) == [notification_handlers.lease_reviewed]


def test_every_app_registers_its_reminder_rules_once():
    assert sorted(rule.__name__ for rule in reminders.rules()) == [
        "appointment_reminders",
        "codecisions_opened",
        "codecisions_waiting",
        "energy_truce",
        "lease_reviews",
        "legal_deadlines",
        "measures_ending",
        "measures_overdue",
        "measures_without_follow_up",
        "next_step_reminders",
    ]


def test_a_handler_that_fails_undoes_the_step_that_published(flow, monkeypatch):
    """Booking the fee runs in the approval's transaction: if it fails, the co-decision is
    not approved and no measure opens."""

    def refuse(event):
        raise RuntimeError("registre indisponible")

    monkeypatch.setitem(events._handlers, MeasureOpened, [refuse])
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        both_approve(codecision, landlord_user=flow.cesf, caseworker=flow.caseworker)
    codecision.refresh_from_db()
    assert codecision.is_open
    assert not orientation.action.measures.exists()
    assert not LedgerEntry.objects.filter(household=orientation.household).exists()
