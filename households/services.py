"""Workflow steps on the case file. Each runs in one transaction and records its history."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core.errors import DomainError
from households.models import (
    Diagnostic,
    Household,
    HouseholdMember,
    HousingStatus,
    ReferenceCounter,
)
from households.permissions import CHANGE_PERM, VIEW_PERM
from partners.models import Partner, User

STALE_EDIT_MESSAGE = (
    "Ce ménage a été modifié par quelqu'un d'autre pendant que vous le modifiiez. "
    "Vos changements n'ont pas été enregistrés : rechargez la page pour voir la version "
    "actuelle, puis refaites vos modifications."
)


def household_share_with_partner(
    *, household: Household, partner: Partner, can_change: bool = True
) -> None:
    """Give a partner's group access to a household (the only place that grants it)."""
    assign_perm(f"households.{VIEW_PERM}", partner.group, household)
    if can_change:
        assign_perm(f"households.{CHANGE_PERM}", partner.group, household)


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
    *, by: User, data: dict[str, Any], members: list[dict[str, Any]] = ()
) -> Household:
    """Open a case file. A CESF opens one for a tenant of its own landlord, a caseworker for
    an applicant or a tenant; the creating partner and the landlord get access."""
    _check_landlord(data)
    _check_new_landlord(by, data.get("landlord"))
    partner = by.partner
    household = Household(**data, created_by_partner=partner)
    household.reference = _next_reference(timezone.localdate().year)
    household._history_user = by
    household.save()
    for member in members:
        _member_save(household=household, data=member, by=by)
    household_share_with_partner(household=household, partner=partner)
    if household.landlord and household.landlord != partner:
        household_share_with_partner(household=household, partner=household.landlord)
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
    """Save changes made from `expected_version`; refuse them if someone saved in between."""
    locked = Household.objects.select_for_update(of=("self",)).get(pk=household.pk)
    if locked.version != expected_version:
        raise DomainError(STALE_EDIT_MESSAGE)
    if "landlord" in data and data["landlord"] != locked.landlord:
        _check_new_landlord(by, data["landlord"])
    for field, value in data.items():
        setattr(locked, field, value)
    # The tenant/landlord rule holds on the whole record, not only on what changed.
    _check_landlord({"housing_status": locked.housing_status, "landlord": locked.landlord})
    locked.version += 1
    locked._history_user = by
    locked.save()
    for member in members:
        _member_save(household=locked, data=member, by=by)
    if locked.landlord:
        household_share_with_partner(household=locked, partner=locked.landlord)
    return locked


def _member_save(*, household: Household, data: dict[str, Any], by: User) -> HouseholdMember:
    data = dict(data)
    member = data.pop("id", None) or HouseholdMember(household=household)
    if member.household_id != household.pk:
        raise DomainError("Ce membre n'appartient pas à ce ménage.")
    changed = member.pk is None
    for field, value in data.items():
        if getattr(member, field) != value:
            setattr(member, field, value)
            changed = True
    if changed:
        member._history_user = by
        member.save()
    return member


@transaction.atomic
def diagnostic_create(*, household: Household, by: User, data: dict[str, Any]) -> Diagnostic:
    """Record a social and financial diagnostic written by `by` for `household`."""
    if data.get("made_on") and data["made_on"] > timezone.localdate():
        raise DomainError("La date du diagnostic ne peut pas être dans le futur.", field="made_on")
    if data.get("rent_arrears") and not data.get("rent_arrears_since"):
        raise DomainError("Indiquez depuis quand les impayés courent.", field="rent_arrears_since")
    diagnostic = Diagnostic(household=household, author=by, author_partner=by.partner, **data)
    if reason := diagnostic.figures_out_of_range():
        raise DomainError(reason, field="rent")
    diagnostic._history_user = by
    diagnostic.save()
    Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
    return diagnostic
