"""Workflow steps on the case file. Each runs in one transaction and records its history."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import events
from core.errors import DomainError
from households.duplicates import DuplicateSuspected, duplicate_report, find_similar
from households.events import HouseholdOpenedDespiteDuplicates
from households.involvement import involvement_sync
from households.models import (
    Diagnostic,
    Household,
    HouseholdMember,
    HousingStatus,
    LandlordChange,
    LandlordChangeKind,
    ReferenceCounter,
)
from partners.models import Partner, User

STALE_EDIT_MESSAGE = (
    "Ce ménage a été modifié par quelqu'un d'autre pendant que vous le modifiiez. "
    "Vos changements n'ont pas été enregistrés : rechargez la page pour voir la version "
    "actuelle, puis refaites vos modifications."
)


LANDLORD_IS_A_STEP = (
    "Le bailleur ne se modifie pas sur la fiche : il change par une mutation, un glissement "
    "de bail ou une correction motivée de la coordination (« Changer de bailleur »)."
)


def _next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"LT-{year}-{counter.last_number:04d}"


def _check_landlord(data: dict[str, Any]) -> None:
    landlord = data.get("landlord")
    # A household is a tenant unless said otherwise (the model's default).
    if (
        data.get("housing_status", HousingStatus.TENANT) == HousingStatus.TENANT
        and landlord is None
    ):
        raise DomainError("Indiquez le bailleur d'un ménage locataire.", field="landlord")
    if landlord is not None and not landlord.is_landlord:
        raise DomainError("Le bailleur choisi n'est pas un bailleur social.", field="landlord")


def _check_new_landlord(by: User, landlord) -> None:
    """A landlord named on a case file takes part in the programme; a CESF works for its own
    landlord's tenants: naming another landlord would hand the case file to it."""
    if landlord is not None and not landlord.active:
        raise DomainError("Ce bailleur ne participe plus au dispositif.", field="landlord")
    if by.is_cesf and landlord not in (None, by.partner):
        raise DomainError(
            "Un·e CESF suit les locataires de son propre bailleur.",
            field="landlord",
        )


@transaction.atomic
def household_create(
    *,
    by: User,
    data: dict[str, Any],
    members: list[dict[str, Any]] = (),
    confirm_duplicate: bool = False,
    ask_coordination: bool = False,
) -> Household:
    """Open a case file. A CESF opens one for a tenant of its own landlord, a caseworker for
    an applicant or a tenant; the creating partner and the landlord get access (the rule of
    involvement).

    Similar files are looked for first (households.duplicates): if there are any, the file
    is opened only once the user confirms (`confirm_duplicate`), otherwise
    DuplicateSuspected says what the user may know of them. Opened despite them, the
    coordination is told with both references (`ask_coordination`: the user asks it to
    check)."""
    _check_landlord(data)
    _check_new_landlord(by, data.get("landlord"))
    report = duplicate_report(by, find_similar(data, list(members)))
    if report and not confirm_duplicate:
        raise DuplicateSuspected(report)
    partner = by.partner
    household = Household(**data, created_by_partner=partner)
    household.reference = _next_reference(timezone.localdate().year)
    household._history_user = by
    household.save()
    for member in members:
        _member_save(household=household, data=member, by=by)
    involvement_sync(household=household, by=by)
    if report:
        events.publish(
            HouseholdOpenedDespiteDuplicates(
                household=household, similar_ids=report.all_ids, by=by, asked=ask_coordination
            )
        )
    return household


@transaction.atomic
def household_update(
    *,
    household: Household,
    by: User,
    data: dict[str, Any],
    expected_version: int,
    members: list[dict[str, Any]] = (),
) -> Household:
    """Save changes made from `expected_version`; refuse them if someone saved in between.
    The landlord is not changed here: a landlord change is a step of its own
    (household_landlord_change), since access follows it."""
    locked = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    if locked.version != expected_version:
        raise DomainError(STALE_EDIT_MESSAGE)
    if "landlord" in data and data["landlord"] != locked.landlord:
        raise DomainError(LANDLORD_IS_A_STEP, field="landlord")
    for field, value in data.items():
        setattr(locked, field, value)
    # The tenant/landlord rule holds on the whole record, not only on what changed.
    _check_landlord({"housing_status": locked.housing_status, "landlord": locked.landlord})
    locked.version += 1
    locked._history_user = by
    locked.save()
    for member in members:
        _member_save(household=locked, data=member, by=by)
    return locked


# What a landlord change may set beside the landlord: the new dwelling.
DWELLING_FIELDS = ("tenant_number", "address", "postcode", "city")
REASON_MAX_LENGTH = 2000


@transaction.atomic
def household_landlord_change(
    *,
    household: Household,
    by: User,
    kind: str,
    landlord: Partner | None,
    reason: str,
    dwelling: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> LandlordChange:
    """Change the household's landlord by one of the three steps, with its reason, in the
    history; access follows at once (the new landlord is involved, the previous one only
    through what else involves it).

    - A transfer (mutation, or an applicant housed): by the CESF of the current landlord,
      or the coordination; the household becomes the new landlord's tenant.
    - A glide: the sliding lease passes to the household, which becomes the tenant of the
      landlord that provides the dwelling; called by the workflow's glide step, which checks
      its own rules.
    - A correction: by the coordination only, when the landlord was wrongly recorded; it may
      remove the landlord of an applicant.
    """
    locked = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    if expected_version is not None and locked.version != expected_version:
        raise DomainError(STALE_EDIT_MESSAGE)
    _check_landlord_change(locked, by=by, kind=kind, landlord=landlord)
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif du changement de bailleur.", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            f"Le motif tient en {REASON_MAX_LENGTH} caractères au plus.", field="reason"
        )
    previous = locked.landlord
    locked.landlord = landlord
    if kind != LandlordChangeKind.CORRECTION:
        locked.housing_status = HousingStatus.TENANT
    for field, value in (dwelling or {}).items():
        if field not in DWELLING_FIELDS:
            raise DomainError("Seul le logement change avec le bailleur.", field=field)
        setattr(locked, field, value)
    _check_landlord({"housing_status": locked.housing_status, "landlord": landlord})
    try:
        others = [f.name for f in Household._meta.fields if f.name not in DWELLING_FIELDS]
        locked.clean_fields(exclude=others)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from error
    locked.version += 1
    locked._history_user = by
    locked._change_reason = f"Changement de bailleur : {LandlordChangeKind(kind).label.lower()}"
    locked.save()
    change = LandlordChange(
        household=locked,
        kind=kind,
        previous_landlord=previous,
        landlord=landlord,
        reason=reason,
        changed_by=by,
    )
    change._history_user = by
    change.save()
    involvement_sync(household=locked, by=by)
    household.refresh_from_db()
    return change


def _check_landlord_change(household: Household, *, by: User, kind: str, landlord) -> None:
    if kind not in LandlordChangeKind.values:
        raise DomainError("Choisissez une mutation ou une correction.", field="kind")
    if landlord == household.landlord:
        raise DomainError("C'est déjà le bailleur de ce ménage.", field="landlord")
    if landlord is not None and not landlord.is_landlord:
        raise DomainError("Le bailleur choisi n'est pas un bailleur social.", field="landlord")
    if landlord is not None and not landlord.active:
        raise DomainError("Ce bailleur ne participe plus au dispositif.", field="landlord")
    if kind == LandlordChangeKind.CORRECTION:
        if not by.is_coordinator:
            raise DomainError("Seule la coordination corrige le bailleur d'un dossier.")
        return
    if landlord is None:
        raise DomainError("Indiquez le nouveau bailleur.", field="landlord")
    if kind == LandlordChangeKind.TRANSFER and not (
        by.is_coordinator or (by.is_cesf and household.landlord_id == by.partner.pk)
    ):
        raise DomainError(
            "Une mutation est enregistrée par la CESF du bailleur actuel ou par la coordination."
        )


NOT_A_MEMBER = "Ce membre n'appartient pas à ce ménage."


def _member_save(*, household: Household, data: dict[str, Any], by: User) -> HouseholdMember:
    data = dict(data)
    member = data.pop("id", None) or HouseholdMember(household=household)
    if member.household_id != household.pk:
        raise DomainError(NOT_A_MEMBER)
    changed = member.pk is None
    for field, value in data.items():
        if getattr(member, field) != value:
            setattr(member, field, value)
            changed = True
    if changed:
        member._history_user = by
        member.save()
    return member


def _diagnostic_check(diagnostic: Diagnostic) -> None:
    if diagnostic.made_on and diagnostic.made_on > timezone.localdate():
        raise DomainError("La date du diagnostic ne peut pas être dans le futur.", field="made_on")
    if diagnostic.rent_arrears and not diagnostic.rent_arrears_since:
        raise DomainError("Indiquez depuis quand les impayés courent.", field="rent_arrears_since")
    if reason := diagnostic.figures_out_of_range():
        raise DomainError(reason, field="rent")


@transaction.atomic
def diagnostic_create(*, household: Household, by: User, data: dict[str, Any]) -> Diagnostic:
    """Record a social and financial diagnostic written by `by` for `household`."""
    diagnostic = Diagnostic(household=household, author=by, author_partner=by.partner, **data)
    _diagnostic_check(diagnostic)
    diagnostic._history_user = by
    diagnostic.save()
    Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
    return diagnostic


# A diagnostic is corrected until a decision rests on it (an orientation, a co-decision, the
# procedure's DSF): then it is the record of what was decided on, and a new diagnostic is
# written instead. The apps above say what uses diagnostics (their wiring.py registers a
# function that takes diagnostics and gives, by id, the French reason for those in use), as
# the layers want.
DiagnosticUse = Callable[[list[Diagnostic]], dict[int, str]]
_diagnostic_uses: list[DiagnosticUse] = []


def register_diagnostic_use(use: DiagnosticUse) -> None:
    if use not in _diagnostic_uses:
        _diagnostic_uses.append(use)


def diagnostics_used_in(diagnostics: list[Diagnostic]) -> dict[int, str]:
    """Why each of `diagnostics` can no longer be corrected (the decision resting on it), by
    id; those absent may be. The household page, the edit page and diagnostic_update all
    read this one rule (a few queries, whatever the number of diagnostics)."""
    reasons: dict[int, str] = {}
    for use in _diagnostic_uses:
        for pk, reason in use(diagnostics).items():
            reasons.setdefault(
                pk,
                f"{reason} : il ne se corrige plus. Rédigez un nouveau diagnostic pour "
                "décrire la situation actuelle.",
            )
    return reasons


def diagnostic_used_in(diagnostic: Diagnostic) -> str | None:
    return diagnostics_used_in([diagnostic]).get(diagnostic.pk)


STALE_DIAGNOSTIC_MESSAGE = (
    "Ce diagnostic a été corrigé par quelqu'un d'autre pendant que vous le corrigiez. Vos "
    "changements n'ont pas été enregistrés : relisez-le, puis refaites vos corrections."
)


@transaction.atomic
def diagnostic_update(
    *,
    diagnostic: Diagnostic,
    by: User,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Diagnostic:
    """Correct a diagnostic, unless a decision rests on it (diagnostic_used_in); the previous
    figures stay in its history (who, when, what changed). `expected_version`: the version
    read (the API); a correction saved since is not overwritten (core.locking)."""
    locked = Diagnostic.objects.select_for_update(of=("self",)).get(pk=diagnostic.pk)
    if expected_version is not None and locked.version != expected_version:
        raise DomainError(STALE_DIAGNOSTIC_MESSAGE)
    if reason := diagnostic_used_in(locked):
        raise DomainError(reason)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.version += 1
    _diagnostic_check(locked)
    locked._history_user = by
    locked._change_reason = "Correction du diagnostic"
    locked.save()
    Household.objects.filter(pk=locked.household_id).update(updated_at=timezone.now())
    return locked
