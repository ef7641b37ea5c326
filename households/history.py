"""The case history shown on a household page: every creation and change, who, when, what."""

from dataclasses import dataclass
from datetime import datetime

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
    return str(value)


def case_history(household: Household) -> list[HistoryEvent]:
    """All events on the household, its members and diagnostics, newest first."""
    events = _events(
        Household,
        household.history.select_related("history_user").order_by("history_date"),
        lambda r: "Dossier",
    )
    grouped: dict[tuple, list] = {}
    members = HouseholdMember.history.filter(household_id=household.pk)
    diagnostics = Diagnostic.history.filter(household_id=household.pk)
    for queryset, model in ((members, HouseholdMember), (diagnostics, Diagnostic)):
        for record in queryset.select_related("history_user").order_by("history_date"):
            grouped.setdefault((model, record.id), []).append(record)
    for (model, _), records in grouped.items():
        if model is HouseholdMember:
            events += _events(model, records, lambda r: f"Membre {r.first_name} {r.last_name}")
        else:
            events += _events(model, records, lambda r: f"Diagnostic du {r.made_on:%d/%m/%Y}")
    return sorted(events, key=lambda event: event.at, reverse=True)
