"""What co-decisions add to the apps below them (called once, from codecision.apps): their
reminder rules."""

from codecision import reminders
from core import reminders as core_reminders


def connect() -> None:
    core_reminders.register(*reminders.RULES)
