"""What the read side of a case records: a household's request for its data, and its answer.

Each step runs in one transaction, takes the acting user as `by=`, records its history and
raises a DomainError with a French message when a rule says no."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases import privacy
from cases.models import AccessRequestBasis, SubjectAccessRequest
from core.errors import DomainError
from core.history import save_with_history
from households.models import Household
from partners.models import User


@transaction.atomic
def subject_access_request_create(
    *,
    household: Household,
    by: User,
    requester: str,
    basis: str,
    received_on: date,
    basis_detail: str = "",
) -> SubjectAccessRequest:
    """Record who asked for everything held about the household, when and on what basis;
    only a recorded request opens the export (subject_access_request_answer)."""
    if not requester.strip():
        raise DomainError("Indiquez qui fait la demande.", field="requester")
    if basis not in AccessRequestBasis.values:
        raise DomainError("Indiquez au titre de quoi la demande est faite.", field="basis")
    if received_on > timezone.localdate():
        raise DomainError(
            "La date de réception ne peut pas être dans le futur.", field="received_on"
        )
    opened_on = timezone.localdate(household.created_at)
    if received_on < opened_on:
        raise DomainError(
            f"La demande ne peut pas précéder l'ouverture du dossier ({opened_on:%d/%m/%Y}).",
            field="received_on",
        )
    request = SubjectAccessRequest(
        household=household,
        requester=requester.strip(),
        basis=basis,
        basis_detail=basis_detail,
        received_on=received_on,
        recorded_by=by,
    )
    save_with_history(request, by=by, reason="Demande d'accès du ménage enregistrée")
    return request


@transaction.atomic
def subject_access_request_answer(*, request: SubjectAccessRequest, by: User) -> dict:
    """Everything held about the household, for the recorded request: who handed it over and
    when is written on the request and its history (each export anew)."""
    request.exported_at = timezone.now()
    request.exported_by = by
    save_with_history(request, by=by, reason="Données exportées pour répondre à la demande")
    return privacy.subject_access_export(request.household, request=request)
