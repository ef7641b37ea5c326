"""What co-decisions add to the apps below them (called once, from codecision.apps): their
reminder rules, what involves partners in a household, the co-decisions that rest on a
diagnostic."""

from django.utils.timezone import localtime

from codecision import involvement, reminders
from codecision.models import CoDecision
from core import reminders as core_reminders
from households.involvement import register_source
from households.models import Diagnostic
from households.services import register_diagnostic_use


def diagnostic_use(diagnostic: Diagnostic) -> str | None:
    codecision = CoDecision.objects.filter(diagnostic=diagnostic).order_by("opened_at").first()
    if codecision is None:
        return None
    return f"Ce diagnostic fonde la co-décision du {localtime(codecision.opened_at):%d/%m/%Y}"


def connect() -> None:
    core_reminders.register(*reminders.RULES)
    register_source(involvement.codecision_source)
    register_diagnostic_use(diagnostic_use)
