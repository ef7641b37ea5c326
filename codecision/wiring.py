"""What co-decisions add to the apps below them (called once, from codecision.apps): their
reminder rules, what involves partners in a household."""

from codecision import involvement, reminders
from core import reminders as core_reminders
from households.involvement import register_source


def connect() -> None:
    core_reminders.register(*reminders.RULES)
    register_source(involvement.codecision_source)
