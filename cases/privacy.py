"""What the GDPR rules of docs/DOMAIN_RULES.md ask the application to forget, run every night.

- The access log is kept ACCESS_LOG_RETENTION_DAYS (1 year by default), then deleted.
- A closed case is anonymised ANONYMISE_AFTER_CLOSURE_DAYS after its last action ended (2
  years by default): names, contacts and free text are removed, from the records and from
  their history; figures, dates, statuses and the reference stay for the statistics.
- A household's right of access: everything held about it, in one machine-readable export
  (subject_access_export), for the coordination to hand over.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import TruncYear
from django.utils import timezone

from actions.models import (
    Action,
    ActionStatus,
    ArrearsReading,
    EvictionProcedure,
    FollowUp,
    LeaseReview,
    MeasureObjective,
    Orientation,
    RentReduction,
    SlidingLease,
    SupportMeasure,
)
from cases.history import HISTORY_TYPES
from codecision.models import CoDecision, CoDecisionAnswer
from households.models import AccessLogEntry, Diagnostic, Household, HouseholdMember

ANONYMOUS = "Anonymisé"

Records = Callable[[list[int]], list[tuple[type[models.Model], models.QuerySet]]]
# What the apps above the case keep about households (funding's ledger), declared by each in
# its wiring.py: a function of household ids → (model, its rows about them).
_records_above: list[Records] = []


def declare_records_held(records: Records) -> None:
    """An app above the case declares the records it keeps about households, so that the
    right of access finds them (figures without names: they stay when a case is anonymised).
    """
    if records not in _records_above:
        _records_above.append(records)


def purge_access_log(today: date | None = None) -> int:
    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLogEntry.objects.filter(at__date__lt=limit).delete()
    return deleted


def households_to_anonymise(today: date | None = None):
    """Households whose every action is over (closed or rejected), the last one ended
    before the retention limit, not anonymised yet."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.ANONYMISE_AFTER_CLOSURE_DAYS)
    over = [ActionStatus.CLOSED, ActionStatus.REJECTED]
    still_open = Action.objects.exclude(status__in=over).values("household_id")
    return (
        Household.objects.filter(anonymised_on=None, actions__isnull=False)
        .exclude(pk__in=still_open)
        .annotate(ended_at=Max("actions__updated_at"))
        .filter(ended_at__date__lt=limit)
    )


def _case_rows(household_ids: list[int]) -> list[tuple[type[models.Model], models.QuerySet]]:
    in_case = Q(household_id__in=household_ids)
    through_action = Q(action__household_id__in=household_ids)
    return [
        (Household, Household.objects.filter(pk__in=household_ids)),
        (HouseholdMember, HouseholdMember.objects.filter(in_case)),
        (Diagnostic, Diagnostic.objects.filter(in_case)),
        (Orientation, Orientation.objects.filter(in_case)),
        (Action, Action.objects.filter(in_case)),
        (FollowUp, FollowUp.objects.filter(in_case)),
        (SupportMeasure, SupportMeasure.objects.filter(through_action)),
        (
            MeasureObjective,
            MeasureObjective.objects.filter(measure__action__household_id__in=household_ids),
        ),
        (SlidingLease, SlidingLease.objects.filter(through_action)),
        (LeaseReview, LeaseReview.objects.filter(lease__action__household_id__in=household_ids)),
        (CoDecision, CoDecision.objects.filter(in_case)),
        (
            CoDecisionAnswer,
            CoDecisionAnswer.objects.filter(codecision__household_id__in=household_ids),
        ),
    ]


# Names and contacts, beside every free-text field (TextField) of the case's records.
NAMES_AND_CONTACTS = {
    "households.household": {
        "name": ANONYMOUS,
        "address": "",
        "tenant_number": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    },
    "households.householdmember": {"first_name": "", "last_name": ANONYMOUS, "occupation": ""},
    "actions.slidinglease": {"address": "", "new_lease_reference": ""},
}


@transaction.atomic
def anonymise_closed_cases(today: date | None = None) -> int:
    """Anonymise the households whose retention is over; return how many."""
    today = today or timezone.localdate()
    ids = list(households_to_anonymise(today).values_list("pk", flat=True))
    if not ids:
        return 0
    for model, rows in _case_rows(ids):
        blank = {
            field.name: ""
            for field in model._meta.concrete_fields
            if isinstance(field, models.TextField)
        }
        blank.update(NAMES_AND_CONTACTS.get(model._meta.label_lower, {}))
        if blank:
            # update() writes no history row: the old values leave with the history below.
            rows.update(**blank)
        if hasattr(model, "history"):
            model.history.filter(id__in=rows.values("pk")).delete()
    # Birth dates keep their year only (ages for the statistics).
    HouseholdMember.objects.filter(household_id__in=ids).update(
        birth_date=TruncYear("birth_date", output_field=models.DateField())
    )
    Household.objects.filter(pk__in=ids).update(anonymised_on=today)
    return len(ids)


def _held_about(household_ids: list[int]) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every record about the households: the case, and what the workflow and the money
    keep beside it."""
    through_action = Q(action__household_id__in=household_ids)
    return [
        *_case_rows(household_ids),
        (EvictionProcedure, EvictionProcedure.objects.filter(through_action)),
        (RentReduction, RentReduction.objects.filter(through_action)),
        (ArrearsReading, ArrearsReading.objects.filter(through_action)),
        *(rows for records in _records_above for rows in records(household_ids)),
        (AccessLogEntry, AccessLogEntry.objects.filter(household_id__in=household_ids)),
    ]


def subject_access_export(household: Household) -> dict:
    """Everything held about `household` (GDPR right of access): each record with all its
    fields, its history (who changed what, when), and who saw or exported the file. Notes
    confidential to one partner are included: the household is entitled to them."""
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
        "exporté le": timezone.now(),
        "conservation": {
            "journal des accès (jours)": settings.ACCESS_LOG_RETENTION_DAYS,
            "anonymisation après la clôture (jours)": settings.ANONYMISE_AFTER_CLOSURE_DAYS,
        },
        "données": sections,
    }
