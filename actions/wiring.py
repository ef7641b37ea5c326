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


def diagnostic_uses(diagnostics: list[Diagnostic]) -> dict[int, str]:
    """An orientation rests on them, or the household's procedure counts one as its DSF."""
    reasons = {}
    orientations = (
        Orientation.objects.filter(diagnostic__in=diagnostics)
        .order_by("-created_at", "-pk")
        .values_list("diagnostic_id", "created_at")
    )
    for pk, created_at in orientations:  # the first orientation wins, written last
        reasons[pk] = f"Ce diagnostic fonde l'orientation du {localtime(created_at):%d/%m/%Y}"
    procedures = EvictionProcedure.objects.filter(dsf_diagnostic__in=diagnostics)
    for pk in procedures.values_list("dsf_diagnostic_id", flat=True):
        reasons.setdefault(
            pk, "Ce diagnostic est le diagnostic social et financier de la procédure d'expulsion"
        )
    return reasons


def connect() -> None:
    events.subscribe(CoDecisionDecided, services.codecision_decided)
    codecision_subjects.register(subjects.describe_codecision)
    core_reminders.register(*reminders.RULES)
    register_source(involvement.orientation_source)
    register_source(involvement.measure_source)
    register_diagnostic_use(diagnostic_uses)
    register_source(involvement.outreach_source)
