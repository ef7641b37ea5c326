"""What the workflow hears from the apps below it and adds to them (called once, from
actions.apps): the co-decisions' decisions, the co-decision pages' subject, the reminders,
what involves partners in a household."""

from actions import involvement, reminders, services, subjects
from codecision import subjects as codecision_subjects
from codecision.events import CoDecisionDecided
from core import events
from core import reminders as core_reminders
from households.involvement import register_source


def connect() -> None:
    events.subscribe(CoDecisionDecided, services.codecision_decided)
    codecision_subjects.register(subjects.describe_codecision)
    core_reminders.register(*reminders.RULES)
    register_source(involvement.orientation_source)
    register_source(involvement.measure_source)
    register_source(involvement.outreach_source)
