"""Who may see, add and delete documents (docs/DESIGN.md section 5, like follow-ups).

A document is reached through its household (households.permissions: 404 for outsiders,
logged); then:
- See and download: whoever sees the household, except that a confidential document never
  leaves the author's partner, coordinators included (Document.objects.visible_to); another
  partner's confidential document is not found (404), as for an outsider.
- Add a document or a version: a CESF or caseworker of a partner working on the household
  (its change permission), as for follow-ups.
- Delete: a CESF or caseworker of the author's partner, still working on the household.
Every download is written to the access log as an export.
"""

from django.http import Http404, HttpRequest

from core.errors import refuse_unless
from documents.models import Document
from households.models import AccessAction, Household
from households.permissions import (
    HouseholdAction,
    can,
    get_through_household_or_404,
)
from partners.models import User


def visible_documents(user: User, household: Household):
    """The live documents of `household` that `user` may see (it already sees the household)."""
    return Document.objects.filter(household=household).live().visible_to(user)


def can_add_document(user: User, household: Household) -> bool:
    return user.is_social_worker and can(user, HouseholdAction.EDIT, household)


def ensure_can_add_document(user: User, household: Household) -> None:
    refuse_unless(
        can_add_document(user, household),
        "Les documents sont déposés par les travailleurs sociaux qui accompagnent le ménage.",
    )


def can_delete_document(user: User, document: Document) -> bool:
    return user.partner.pk == document.author_partner_id and can_add_document(
        user, document.household
    )


def ensure_can_delete_document(user: User, document: Document) -> None:
    refuse_unless(
        can_delete_document(user, document),
        "Un document est supprimé par la structure qui l'a déposé.",
    )


def get_document_or_404(request: HttpRequest, pk: int, log_as: str = AccessAction.VIEW) -> Document:
    """A live document the user may see, through its household (404 otherwise, logged)."""
    queryset = (
        Document.objects.live()
        .visible_to(request.user)
        .select_related("household", "author", "author_partner")
    )
    return get_through_household_or_404(request, queryset, pk, "household", log_as)


def get_version_for_download(request: HttpRequest, pk: int, number: int | None = None):
    """The version to download (the latest without `number`); the download is written to
    the access log as an export of the household's case."""
    document = get_document_or_404(request, pk, AccessAction.EXPORT)
    versions = document.versions.exclude(stored_as="")
    version = (
        versions.filter(number=number).first() if number else versions.order_by("number").last()
    )
    if version is None:
        raise Http404("Version introuvable")
    return document, version
