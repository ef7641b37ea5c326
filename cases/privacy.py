"""What the GDPR rules of docs/DOMAIN_RULES.md ask the application to forget, run every night,
and what a household may ask to see.

- The access log is kept ACCESS_LOG_RETENTION_DAYS (1 year by default), then deleted.
- A case is anonymised when it has been quiet long enough: with no open action,
  ANONYMISE_AFTER_CLOSURE_DAYS (2 years) after its last activity once it had actions, and
  ANONYMISE_INACTIVE_AFTER_DAYS (2 years) after its last activity when it never had one. Its
  last activity is the latest change recorded in the history of any of its records, or the
  household's own last change if later. Every field of cases.personal_data.ERASED leaves
  its records, the records the workflow and the money keep about it, the committees that
  examined it, and all their history; figures, dates, statuses and the reference stay for
  the statistics.
- A household's right of access: everything held about it, in one machine-readable export
  (subject_access_export), produced only for a recorded request (cases.services), handed
  over as a zip of that JSON and every file of its documents (subject_access_archive).
- Anonymisation also removes every file of the household's documents from the storage
  (documents.services.documents_erase_files); their titles and names are erased as the rest.
"""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncYear
from django.utils import timezone

from actions.models import (
    Action,
    Appointment,
    ArrearsReading,
    EvictionProcedure,
    FollowUp,
    LeaseReview,
    MeasureObjective,
    Orientation,
    OutreachRequest,
    RentReduction,
    SlidingLease,
    SupportMeasure,
)
from cases.history import HISTORY_TYPES
from cases.models import SubjectAccessRequest
from cases.personal_data import ERASED, history_erased
from codecision.models import CoDecision, CoDecisionAnswer, CommitteeSession
from documents.files import document_storage
from documents.models import Document, DocumentVersion
from documents.services import documents_erase_files
from households.models import (
    AccessLogEntry,
    Diagnostic,
    Household,
    HouseholdMember,
    HouseholdMerge,
    LandlordChange,
)

Records = Callable[[list[int]], list[tuple[type[models.Model], models.QuerySet]]]
# What the apps above the case keep about households (funding's ledger), declared by each in
# its wiring.py: a function of household ids → (model, its rows about them).
_records_above: list[Records] = []


def declare_records_held(records: Records) -> None:
    """An app above the case declares the records it keeps about households, so that the
    right of access finds them and anonymisation erases their fields of
    cases.personal_data.ERASED."""
    if records not in _records_above:
        _records_above.append(records)


def purge_access_log(today: date | None = None) -> int:
    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLogEntry.objects.filter(at__date__lt=limit).delete()
    return deleted


# Every record of a case, and the path from it to its household.
CASE_RECORDS: list[tuple[type[models.Model], str]] = [
    (Household, "pk"),
    (HouseholdMember, "household"),
    (LandlordChange, "household"),
    (HouseholdMerge, "kept"),
    (Diagnostic, "household"),
    (Orientation, "household"),
    (Action, "household"),
    (FollowUp, "household"),
    (Appointment, "household"),
    (OutreachRequest, "household"),
    (SupportMeasure, "action__household"),
    (MeasureObjective, "measure__action__household"),
    (SlidingLease, "action__household"),
    (LeaseReview, "lease__action__household"),
    (EvictionProcedure, "household"),
    (RentReduction, "action__household"),
    (ArrearsReading, "action__household"),
    (CoDecision, "household"),
    (CoDecisionAnswer, "codecision__household"),
    (SubjectAccessRequest, "household"),
    (Document, "household"),
    (DocumentVersion, "document__household"),
]


def _last_activity() -> Greatest:
    """The latest change recorded in the history of any record of the household, and never
    before the household's own last change (records without history, such as imported
    ones, do not make a case look older than it is)."""
    latest = [models.F("created_at"), models.F("updated_at")]
    for model, path in CASE_RECORDS:
        if not hasattr(model, "history"):
            continue
        to_household = "id" if model is Household else path
        changes = model.history.filter(**{to_household: OuterRef("pk")}).order_by("-history_date")
        latest.append(Coalesce(Subquery(changes.values("history_date")[:1]), _long_ago()))
    return Greatest(*latest)


def _long_ago():
    return models.Value(
        timezone.make_aware(datetime(1900, 1, 1)), output_field=models.DateTimeField()
    )


def households_to_anonymise(today: date | None = None):
    """Households not anonymised yet with no open action, whose last activity is older than
    ANONYMISE_AFTER_CLOSURE_DAYS if they had actions, ANONYMISE_INACTIVE_AFTER_DAYS if not."""
    today = today or timezone.localdate()
    closed_limit = today - timedelta(days=settings.ANONYMISE_AFTER_CLOSURE_DAYS)
    inactive_limit = today - timedelta(days=settings.ANONYMISE_INACTIVE_AFTER_DAYS)
    actions = Action.objects.filter(household=OuterRef("pk"))
    return (
        Household.objects.filter(anonymised_on=None)
        .exclude(Exists(actions.open()))
        .annotate(had_actions=Exists(actions), last_activity=_last_activity())
        .filter(
            Q(had_actions=True, last_activity__date__lt=closed_limit)
            | Q(had_actions=False, last_activity__date__lt=inactive_limit)
        )
    )


def _case_rows(household_ids: list[int]) -> list[tuple[type[models.Model], models.QuerySet]]:
    return [
        (model, model.objects.filter(**{f"{path}__in": household_ids}))
        for model, path in CASE_RECORDS
    ]


def _held_about(household_ids: list[int]) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every record about the households: the case, what the apps above keep beside it
    (the money), and who saw or exported the file."""
    return [
        *_case_rows(household_ids),
        *(rows for records in _records_above for rows in records(household_ids)),
        (AccessLogEntry, AccessLogEntry.objects.filter(household_id__in=household_ids)),
    ]


def records_to_anonymise(
    household_ids: list[int],
) -> list[tuple[type[models.Model], models.QuerySet]]:
    """What anonymisation goes through: what is held about the households, and the
    committees that examined them (their notes may name them)."""
    examined = Q(codecisions__household_id__in=household_ids) | Q(
        answers__codecision__household_id__in=household_ids
    )
    sessions = CommitteeSession.objects.filter(
        pk__in=CommitteeSession.objects.filter(examined).values("pk")
    )
    return [*_held_about(household_ids), (CommitteeSession, sessions)]


@transaction.atomic
def anonymise_due_cases(today: date | None = None) -> int:
    """Anonymise the households whose retention is over; return how many."""
    today = today or timezone.localdate()
    ids = list(households_to_anonymise(today).values_list("pk", flat=True))
    if not ids:
        return 0
    # The files first: their names in the storage are erased with the rest just after.
    documents_erase_files(ids)
    for model, rows in records_to_anonymise(ids):
        label = model._meta.label_lower
        if label not in ERASED:
            continue
        # update() writes no history row; the history's own rows are erased just after.
        # The plain QuerySet.update: erasing personal data is the one change an append-only
        # record (the ledger) accepts — its text, never its amounts.
        if ERASED[label]:
            models.QuerySet.update(rows, **ERASED[label])
        if hasattr(model, "history"):
            model.history.filter(id__in=rows.values("pk")).update(**history_erased(label))
    # Birth dates keep their year only (ages for the statistics), in the history too.
    year_only = {"birth_date": TruncYear("birth_date", output_field=models.DateField())}
    HouseholdMember.objects.filter(household_id__in=ids).update(**year_only)
    HouseholdMember.history.filter(household_id__in=ids).update(**year_only)
    Household.objects.filter(pk__in=ids).update(anonymised_on=today)
    return len(ids)


def subject_access_export(household: Household, *, request: SubjectAccessRequest) -> dict:
    """Everything held about `household` (GDPR right of access), for a recorded request:
    each record with all its fields, its history (who changed what, when), and who saw or
    exported the file. Notes confidential to one partner are included: the household is
    entitled to them, and this export is the only place they leave their partner."""
    sections = {}
    for model, rows in _held_about([household.pk]):
        label = str(model._meta.verbose_name_plural)
        sections[label] = [
            {"id": record["pk"], **record["fields"]}
            for record in serializers.serialize("python", rows.order_by("pk"))
        ]
        if hasattr(model, "history"):
            history = model.history.filter(id__in=rows.values("pk")).order_by("history_date")
            sections[f"{label} : historique"] = [
                {
                    "id": record.id,
                    "le": record.history_date,
                    "par": str(record.history_user) if record.history_user else "système",
                    "type": HISTORY_TYPES[record.history_type],
                    "motif": record.history_change_reason or "",
                }
                for record in history.select_related("history_user")
            ]
    return {
        "ménage": household.reference,
        "demande": {
            "demandeur": request.requester,
            "au titre de": request.get_basis_display(),
            "reçue le": request.received_on,
            "enregistrée par": str(request.recorded_by),
            "réponse due avant le": request.answer_by,
        },
        "exporté le": timezone.now(),
        "conservation": {
            "journal des accès (jours)": settings.ACCESS_LOG_RETENTION_DAYS,
            "anonymisation après la clôture (jours)": settings.ANONYMISE_AFTER_CLOSURE_DAYS,
            "anonymisation d'un dossier sans action (jours)": (
                settings.ANONYMISE_INACTIVE_AFTER_DAYS
            ),
        },
        "données": sections,
    }


def _archive_name(version: DocumentVersion) -> str:
    return f"documents/{version.document_id}-v{version.number}-{version.file_name}"


def subject_access_archive(household: Household, export: dict) -> bytes:
    """The right of access handed over: a zip of the export as JSON (donnees.json) and of
    every file of the household's documents, each version, confidential ones included (as
    their notes are)."""
    versions = list(
        DocumentVersion.objects.filter(document__household_id=household.pk)
        .exclude(stored_as="")
        .order_by("document_id", "number")
    )
    export = {**export, "fichiers des documents": [_archive_name(v) for v in versions]}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        storage = document_storage()
        for version in versions:
            with storage.open(version.stored_as, "rb") as handle:
                archive.writestr(_archive_name(version), handle.read())
    return out.getvalue()
