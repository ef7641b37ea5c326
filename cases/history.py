"""The case history shown on a household page: every creation and change, who, when, what."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Appointment, MeasureObjective, SupportMeasure
from cases.models import SubjectAccessRequest
from codecision.models import CoDecision
from documents.models import DocumentVersion
from households.models import Diagnostic, Household, HouseholdMember, LandlordChange

HISTORY_TYPES = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    who: str
    subject: str
    what: str
    changes: list[tuple[str, str, str]]
    reason: str
    link: str = ""


@dataclass
class _Pending:
    """An event whose related objects are not named yet: their names are read at once for
    the whole history, one query per related model."""

    record: object
    subject: str
    changes: list[tuple]  # (field, old, new)


def _pending_events(model, records, subject) -> list[_Pending]:
    """One object's history records (oldest first), with their changed fields."""
    pending, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                changes.append((model._meta.get_field(change.field), change.old, change.new))
        if record.history_type != "~" or changes:
            pending.append(_Pending(record, subject(record), changes))
        previous = record
    return pending


def _related_names(pending: list[_Pending]) -> dict:
    """The names of every related object a change mentions: {(model, pk): name}."""
    wanted: dict = {}
    for event in pending:
        for field, old, new in event.changes:
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    value for value in (old, new) if value not in (None, "")
                )
    names = {}
    for related_model, pks in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(pks).items():
            names[(related_model, pk)] = str(obj)
    return names


def _display(field, value, names: dict) -> str:
    """A value as the user typed or chose it: a choice's label, a related object's name."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), "—")
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _events(pending: list[_Pending]) -> list[HistoryEvent]:
    names = _related_names(pending)
    return [
        HistoryEvent(
            at=event.record.history_date,
            who=str(event.record.history_user) if event.record.history_user else "système",
            subject=event.subject,
            what=HISTORY_TYPES[event.record.history_type],
            changes=[
                (str(field.verbose_name), _display(field, old, names), _display(field, new, names))
                for field, old, new in event.changes
            ],
            reason=event.record.history_change_reason or "",
        )
        for event in pending
    ]


@cache
def historical(model):
    """The model's historical model, read once: each access to `Model.history` builds a
    manager class."""
    return model.history.model


def case_history(household: Household, user=None) -> list[HistoryEvent]:
    """All events on the household (and on the files merged into it), its members,
    diagnostics, landlord changes (with their reason), actions, co-decisions, measures and
    objectives, appointments (planned, changed, held, cancelled with the reason given), its
    requests for its data, and each document (version) `user` may see, newest first."""

    def history(model):
        return historical(model).objects

    # A file merged into this one (households.merge) brought its records here; their
    # history, written before, names the merged file: it is read too.
    ids = [
        household.pk,
        *Household.objects.filter(merged_into=household).values_list("pk", flat=True),
    ]
    actions = Action.objects.filter(household_id__in=ids).values("pk")
    sources = [
        (Household, history(Household).filter(id__in=ids)),
        (HouseholdMember, history(HouseholdMember).filter(household_id__in=ids)),
        (Diagnostic, history(Diagnostic).filter(household_id__in=ids)),
        (LandlordChange, history(LandlordChange).filter(household_id__in=ids)),
        (Action, history(Action).filter(household_id__in=ids)),
        (CoDecision, history(CoDecision).filter(household_id__in=ids)),
        (SubjectAccessRequest, history(SubjectAccessRequest).filter(household_id__in=ids)),
        (Appointment, history(Appointment).filter(household_id__in=ids)),
        (SupportMeasure, history(SupportMeasure).filter(action_id__in=actions)),
        (
            MeasureObjective,
            history(MeasureObjective).filter(
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
    pending = []
    for (model, pk), records in grouped.items():
        subject = subjects[model]
        if model is Household and pk != household.pk:
            subject = _merged_file
        pending += _pending_events(model, records, subject)
    events = _events(pending)
    if user is not None:
        events += document_events(household, user)
    return sorted(events, key=lambda event: event.at, reverse=True)


def document_events(household: Household, user) -> list[HistoryEvent]:
    """Each version of the documents `user` may see: confidential ones only for the author's
    partner (read from the documents, not their history, so that none leaks through it)."""
    versions = (
        DocumentVersion.objects.filter(document__household_id=household.pk)
        .filter(document__in=household.documents.live().visible_to(user))
        .select_related("document", "uploaded_by")
        .order_by("uploaded_at")
    )
    return [
        HistoryEvent(
            at=version.uploaded_at,
            who=str(version.uploaded_by),
            subject=(
                f"Document « {version.document.title} » "
                f"({version.document.get_kind_display().lower()})"
            ),
            what="dépôt" if version.number == 1 else f"version {version.number}",
            changes=[],
            reason="confidentiel à sa structure" if version.document.confidential else "",
            link=reverse("documents:download_version", args=[version.document_id, version.number]),
        )
        for version in versions
    ]


def _merged_file(record) -> str:
    return f"Dossier {record.reference}, fusionné dans celui-ci"


def _subjects() -> dict:
    return {
        Household: lambda r: "Dossier",
        HouseholdMember: lambda r: f"Membre {r.first_name} {r.last_name}",
        Diagnostic: lambda r: f"Diagnostic du {r.made_on:%d/%m/%Y}",
        LandlordChange: lambda r: (
            f"Changement de bailleur ({r.get_kind_display().lower()}) : {r.reason}"
        ),
        Action: lambda r: f"Action : {r.get_kind_display().lower()}",
        CoDecision: lambda r: f"Co-décision ({r.get_purpose_display().lower()})",
        SupportMeasure: lambda r: f"Mesure du {r.starts_on:%d/%m/%Y}",
        Appointment: lambda r: (
            f"Rendez-vous ({r.get_kind_display().lower()}) du {r.on:%d/%m/%Y}"
            + (f" à {r.at:%H:%M}" if r.at else "")
        ),
        MeasureObjective: lambda r: f"Objectif « {r.text} »",
        SubjectAccessRequest: lambda r: (
            f"Demande d'accès du ménage ({r.requester}, reçue le {r.received_on:%d/%m/%Y})"
        ),
    }
