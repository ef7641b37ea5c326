"""The history of accounts, shown to coordinators and, for its own people, to a partner's
manager: every change to a partner, a user or a membership, with who, when and what."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from partners.models import Membership, Partner, User

# Never shown: technical keys, and what is not an account change.
HIDDEN_FIELDS = {"id", "password", "last_login", "group"}
KIND_LABELS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: datetime
    by: User | None
    subject: str
    kind: str
    changes: list[Change]
    reason: str


def _fields(model) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in HIDDEN_FIELDS]


def _display(field, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if field.name == "partner":
        return names["partners"].get(value, str(value))
    if field.name == "user":
        return names["users"].get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _changes(record, previous, names: dict) -> list[Change]:
    changes = []
    for field in _fields(record.instance_type):
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and new in (None, "", False):
            continue
        if previous is not None and old == new:
            continue
        changes.append(
            Change(
                field=str(field.verbose_name),
                old=_display(field, old, names) if previous is not None else "",
                new=_display(field, new, names),
            )
        )
    return changes


def _subject(record, names: dict) -> str:
    model = record.instance_type
    if model is Membership:
        return f"Appartenance de {names['users'].get(record.user_id, record.user_id)}"
    if model is Partner:
        return f"Partenaire {record.name}"
    full_name = f"{record.first_name} {record.last_name}".strip()
    return f"Compte {full_name or record.username} ({record.username})"


def _rows(querysets: list[QuerySet], limit: int) -> list[HistoryRow]:
    """The latest `limit` records of these history query sets, newest first, each with the
    fields it changed since the object's previous record (all of them for a creation). A
    fixed number of queries: one per table, one for each table's previous records, and the
    names."""
    records = []
    for queryset in querysets:
        records.extend(queryset.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: (record.history_date, record.history_id), reverse=True)
    records = records[:limit]
    previous = {}
    for queryset in querysets:
        model = queryset.model
        ids = {r.id for r in records if isinstance(r, model)}
        last = {}
        history = model._default_manager.filter(id__in=ids)
        for record in history.order_by("id", "history_date", "history_id"):
            previous[(model, record.history_id)] = last.get(record.id)
            last[record.id] = record
    user_ids = {r.user_id for r in records if r.instance_type is Membership}
    names = {
        "partners": dict(Partner.objects.values_list("pk", "name")),
        "users": {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)},
    }
    return [
        HistoryRow(
            at=record.history_date,
            by=record.history_user,
            subject=_subject(record, names),
            kind=KIND_LABELS.get(record.history_type, ""),
            changes=_changes(record, previous.get((type(record), record.history_id)), names),
            reason=record.history_change_reason or "",
        )
        for record in records
    ]


def recent(limit: int = 200) -> list[HistoryRow]:
    """The latest changes to every partner, user and membership."""
    return _rows([User.history.all(), Membership.history.all(), Partner.history.all()], limit)


def of_user(user: User, limit: int = 100) -> list[HistoryRow]:
    return _rows(
        [User.history.filter(id=user.pk), Membership.history.filter(user_id=user.pk)], limit
    )
