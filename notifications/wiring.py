"""What the notification centre hears from the apps below it (called once, from
notifications.apps): a co-decision opened is told to both sides."""

from codecision.events import CoDecisionOpened
from core import events
from notifications import handlers


def connect() -> None:
    events.subscribe(CoDecisionOpened, handlers.codecision_opened)
