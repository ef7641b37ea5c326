"""What the workflow hears from the apps below it and adds to them (called once, from
actions.apps): the co-decisions' decisions, the co-decision pages' subject, the reminders."""

from actions import reminders, services, subjects
from codecision import subjects as codecision_subjects
from codecision.events import CoDecisionDecided
from core import events
from core import reminders as core_reminders


def connect() -> None:
    events.subscribe(CoDecisionDecided, services.codecision_decided)
    codecision_subjects.register(subjects.describe_codecision)
    core_reminders.register(*reminders.RULES)
