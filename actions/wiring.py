"""What the workflow hears from the apps below it and adds to them (called once, from
actions.apps): the co-decisions' decisions, the co-decision pages' subject, the reminders,
what involves partners in a household, what rests on a diagnostic."""

from django.utils.timezone import localtime

from actions import involvement, reminders, services, subjects
from actions.models import EvictionProcedure, Orientation
from codecision import subjects as codecision_subjects
from codecision.events import CoDecisionDecided
from core import events
from core import reminders as core_reminders
from households.involvement import register_source
from households.models import Diagnostic
from households.services import register_diagnostic_use


def diagnostic_use(diagnostic: Diagnostic) -> str | None:
    """An orientation rests on it, or the household's procedure counts it as its DSF."""
    orientation = (
        Orientation.objects.filter(diagnostic=diagnostic).order_by("created_at", "pk").first()
    )
    if orientation is not None:
        return f"Ce diagnostic fonde l'orientation du {localtime(orientation.created_at):%d/%m/%Y}"
    if EvictionProcedure.objects.filter(dsf_diagnostic=diagnostic).exists():
        return "Ce diagnostic est le diagnostic social et financier de la procédure d'expulsion"
    return None


def connect() -> None:
    events.subscribe(CoDecisionDecided, services.codecision_decided)
    codecision_subjects.register(subjects.describe_codecision)
    core_reminders.register(*reminders.RULES)
    register_source(involvement.orientation_source)
    register_source(involvement.measure_source)
    register_diagnostic_use(diagnostic_use)
