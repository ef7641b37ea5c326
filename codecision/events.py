"""What a co-decision tells the apps above it (core.events): published by codecision.services
in the step's transaction; the app that opened the co-decision subscribes in its ready()."""

from dataclasses import dataclass
from datetime import date

from codecision.models import CoDecision
from partners.models import User


@dataclass(frozen=True)
class CoDecisionOpened:
    """A co-decision waits for both sides' answers (notifications tells them)."""

    codecision: CoDecision


@dataclass(frozen=True)
class CoDecisionDecided:
    """Both sides approved, or the co-decision was refused (both sides, or arbitration).

    `referent` is the measure's referent the association named when approving a start;
    `starts_on` the first day of the measure the answer gave (None: the day it is decided)."""

    codecision: CoDecision
    by: User
    decided_on: date
    starts_on: date | None = None
    referent: User | None = None
