"""What the workflow tells the apps above it (core.events): published by actions.services in
the step's transaction. Funding books the money of each (funding.wiring subscribes)."""

from dataclasses import dataclass
from datetime import date

from actions.models import FollowUp, LeaseReview, OutreachRequest, RentReduction, SupportMeasure
from partners.models import User


@dataclass(frozen=True)
class MeasureOpened:
    """A co-decided action started: its support measure opened."""

    measure: SupportMeasure
    by: User


@dataclass(frozen=True)
class MeasureRenewed:
    """A measure was renewed by its renewal co-decision."""

    measure: SupportMeasure
    by: User


@dataclass(frozen=True)
class MeasureClosed:
    """A measure closed with its outcome on `closed_on`; its action closed with it."""

    measure: SupportMeasure
    by: User
    closed_on: date


@dataclass(frozen=True)
class RentReductionCreated:
    """The landlord granted a monthly rent reduction (actions 1 and 2)."""

    reduction: RentReduction
    by: User


@dataclass(frozen=True)
class OutreachRequested:
    """A landlord asked an association to reach a tenant (notifications tells the
    association; its answer is a task)."""

    request: OutreachRequest
    by: User


@dataclass(frozen=True)
class OutreachAnswered:
    """The association accepted or declined an outreach request (the landlord is told)."""

    request: OutreachRequest
    by: User


@dataclass(frozen=True)
class OutreachWithdrawn:
    """The landlord withdrew a request the association had not answered yet (the
    association's task is done, and it is told)."""

    request: OutreachRequest
    by: User


@dataclass(frozen=True)
class FollowUpLogged:
    """A contact was logged (the « no follow-up » reminders of its measure are done)."""

    follow_up: FollowUp
    by: User


@dataclass(frozen=True)
class LeaseReviewed:
    """A sliding lease's 6-monthly review was recorded (its reminders are done)."""

    review: LeaseReview
    by: User
