"""The case history shown on a household page: every creation and change, who, when, what."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from actions.models import Action, MeasureObjective, SupportMeasure
from cases.models import SubjectAccessRequest
from codecision.models import CoDecision
from households.models import Diagnostic, Household, HouseholdMember

HISTORY_TYPES = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    who: str
    subject: str
    what: str
    changes: list[tuple[str, str, str]]
    reason: str


def _events(model, records, subject) -> list[HistoryEvent]:
    """Turn one object's history records (oldest first) into events with their changes."""
    events, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    (
                        str(field.verbose_name),
                        _display(field, change.old),
                        _display(field, change.new),
                    )
                )
        if record.history_type != "~" or changes:
            events.append(
                HistoryEvent(
                    at=record.history_date,
                    who=str(record.history_user) if record.history_user else "système",
                    subject=subject(record),
                    what=HISTORY_TYPES[record.history_type],
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record
    return events


def _display(field, value) -> str:
    """A value as the user typed or chose it: a choice's label, a related object's name."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else "—"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def case_history(household: Household) -> list[HistoryEvent]:
    """All events on the household, its members, diagnostics, actions, co-decisions,
    measures and objectives, and its requests for its data, newest first."""
    events = _events(
        Household,
        household.history.select_related("history_user").order_by("history_date"),
        lambda r: "Dossier",
    )
    actions = Action.objects.filter(household_id=household.pk).values("pk")
    sources = [
        (HouseholdMember, HouseholdMember.history.filter(household_id=household.pk)),
        (Diagnostic, Diagnostic.history.filter(household_id=household.pk)),
        (Action, Action.history.filter(household_id=household.pk)),
        (CoDecision, CoDecision.history.filter(household_id=household.pk)),
        (SubjectAccessRequest, SubjectAccessRequest.history.filter(household_id=household.pk)),
        (SupportMeasure, SupportMeasure.history.filter(action_id__in=actions)),
        (
            MeasureObjective,
            MeasureObjective.history.filter(
                measure_id__in=SupportMeasure.objects.filter(action_id__in=actions).values("pk")
            ),
        ),
    ]
    # Follow-ups are not in the history: a confidential one must not leak through it.
    grouped: dict[tuple, list] = {}
    for model, queryset in sources:
        for record in queryset.select_related("history_user").order_by("history_date"):
            grouped.setdefault((model, record.id), []).append(record)
    subjects = _subjects()
    for (model, _), records in grouped.items():
        events += _events(model, records, subjects[model])
    return sorted(events, key=lambda event: event.at, reverse=True)


def _subjects() -> dict:
    return {
        HouseholdMember: lambda r: f"Membre {r.first_name} {r.last_name}",
        Diagnostic: lambda r: f"Diagnostic du {r.made_on:%d/%m/%Y}",
        Action: lambda r: f"Action : {r.get_kind_display().lower()}",
        CoDecision: lambda r: f"Co-décision ({r.get_purpose_display().lower()})",
        SupportMeasure: lambda r: f"Mesure du {r.starts_on:%d/%m/%Y}",
        MeasureObjective: lambda r: f"Objectif « {r.text} »",
        SubjectAccessRequest: lambda r: (
            f"Demande d'accès du ménage ({r.requester}, reçue le {r.received_on:%d/%m/%Y})"
        ),
    }
