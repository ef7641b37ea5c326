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


def diagnostic_uses(diagnostics: list[Diagnostic]) -> dict[int, str]:
    """The co-decisions resting on them (the first one named)."""
    rows = (
        CoDecision.objects.filter(diagnostic__in=diagnostics)
        .order_by("-opened_at", "-pk")
        .values_list("diagnostic_id", "opened_at")
    )
    return {
        pk: f"Ce diagnostic fonde la co-décision du {localtime(opened_at):%d/%m/%Y}"
        for pk, opened_at in rows
    }


def connect() -> None:
    core_reminders.register(*reminders.RULES)
    register_source(involvement.codecision_source)
    register_diagnostic_use(diagnostic_uses)
