"""What a co-decision tells the apps above it (core.events): published by codecision.services
in the step's transaction; the app that opened the co-decision subscribes in its ready()."""

from dataclasses import dataclass
from datetime import date

from codecision.models import CoDecision, CommitteeSession
from partners.models import Partner, User


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


@dataclass(frozen=True)
class CoDecisionAnswered:
    """One side answered (itself, or through the coordination in a committee: `session`).
    Published after the answer's status is computed: the co-decision may now be decided or
    in disagreement. Notifications mark that side's « en attente » notices done."""

    codecision: CoDecision
    side: str
    partner: Partner
    answer: str
    by: User
    session: CommitteeSession | None = None


@dataclass(frozen=True)
class CoDecisionArbitrated:
    """The coordination settled a disagreement: `decision` is "reject" or "reopen"."""

    codecision: CoDecision
    by: User
    decision: str
    comment: str


@dataclass(frozen=True)
class CoDecisionCancelled:
    """A co-decision was closed without decision (what it decided on is over)."""

    codecision: CoDecision
    by: User
