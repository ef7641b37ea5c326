"""Domain events: how a lower app tells the apps above it that something happened.

The lower app defines its events as frozen dataclasses and publishes them from its services;
an app above subscribes its handlers explicitly, in its wiring.py's connect(), which its
AppConfig.ready() calls. Handlers run at once, in the publisher's transaction: what they
write commits or rolls back with the step that caused it (a co-decision approved starts its
action; a measure opened books its fee).

    # codecision/events.py (lower)          # actions/wiring.py (higher)
    @dataclass(frozen=True)                  def connect():
    class CoDecisionDecided:                     events.subscribe(
        codecision: CoDecision                       CoDecisionDecided,
        ...                                          services.codecision_decided,
                                                 )

Nothing is published asynchronously here: a step that needs work done later enqueues a
Celery task from its handler, after commit (core.queue.enqueue_on_commit).
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[type, list[Callable]] = defaultdict(list)


def subscribe(event_type: type, handler: Callable) -> None:
    """Call `handler(event)` for every event of `event_type` published from now on (once,
    however many times it is subscribed)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event) -> None:
    """Run every handler of the event's type, in the order they subscribed."""
    for handler in list(_handlers[type(event)]):
        handler(event)


def handlers(event_type: type) -> list[Callable]:
    """The handlers subscribed to `event_type` (for the tests that check the wiring)."""
    return list(_handlers[event_type])
