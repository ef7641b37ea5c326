"""Documents of a case file: add one (several files at once), add a version, delete softly,
purge the deleted ones, erase a household's files when it is anonymised.

Files are checked by documents.files before anything is saved; the file is written to the
storage inside the step's transaction and removed again if the transaction fails."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from actions.models import EvictionProcedure
from core.errors import DomainError
from core.history import save_with_history
from documents import files
from documents.models import OLDEST_DATE, Document, DocumentVersion
from households.models import Household
from partners.models import User


def _check_links(household: Household, links: dict[str, Any]) -> None:
    """Each record a document is about must be of the document's household."""
    paths = {
        "action": lambda o: o.household_id,
        "measure": lambda o: o.action.household_id,
        "follow_up": lambda o: o.household_id,
        "procedure": lambda o: o.household_id,
    }
    for field, household_of in paths.items():
        obj = links.get(field)
        if obj is not None and household_of(obj) != household.pk:
            raise DomainError("Cet élément concerne un autre ménage.", field=field)
    if links.get("procedure_step") and links.get("procedure") is None:
        raise DomainError(
            "Ce ménage n'a pas de procédure d'expulsion : ouvrez-la avant d'y rattacher "
            "un document.",
            field="procedure_step",
        )


def _check_date(dated_on: date) -> None:
    if dated_on > timezone.localdate():
        raise DomainError("La date du document ne peut pas être dans le futur.", field="dated_on")
    if dated_on < OLDEST_DATE:
        raise DomainError("La date du document est antérieure à 1900.", field="dated_on")


def _new_version(document: Document, checked: files.CheckedFile, by: User, number: int, stored):
    stored_as = files.store(checked, document.household_id)
    stored.append(stored_as)
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        stored_as=stored_as,
        file_name=checked.file_name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=by,
    )


class _Stored(list):
    """The files a step wrote: erased again if the step fails, so that no file is left
    without its record."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if error is not None:
            for stored_as in self:
                files.erase(stored_as)
        return False


def document_create(
    *,
    household: Household,
    by: User,
    uploads: list,
    kind: str,
    title: str,
    dated_on: date,
    confidential: bool = False,
    links: dict[str, Any] | None = None,
) -> list[Document]:
    """Add one document per file (several files at once: one document each, the title
    numbered). Every file is checked before any is saved: one refused, none is kept."""
    links = {key: value for key, value in (links or {}).items() if value}
    if links.get("procedure_step"):
        # A stage of the household's one procedure (actions.models.EvictionProcedure).
        links["procedure"] = EvictionProcedure.objects.filter(household=household).first()
    if not uploads:
        raise DomainError("Choisissez au moins un fichier.", field="files")
    _check_date(dated_on)
    _check_links(household, links)
    try:
        checked = [files.check_upload(uploaded) for uploaded in uploads]
    except DomainError as error:
        raise DomainError(error.message, field="files") from None
    title = title.strip()
    documents = []
    with _Stored() as stored, transaction.atomic():
        for index, one in enumerate(checked, start=1):
            name = title or one.file_name.rsplit(".", 1)[0]
            if title and len(checked) > 1:
                name = f"{title} ({index}/{len(checked)})"
            document = Document(
                household=household,
                kind=kind,
                title=name[:200],
                dated_on=dated_on,
                confidential=confidential,
                author=by,
                author_partner=by.partner,
                **links,
            )
            save_with_history(document, by=by, reason="Document déposé")
            _new_version(document, one, by, 1, stored)
            documents.append(document)
        Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
    return documents


def document_add_version(*, document: Document, by: User, upload) -> DocumentVersion:
    """A new file for the document; the previous versions stay."""
    checked = files.check_upload(upload)
    with _Stored() as stored, transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if document.deleted_at is not None:
            raise DomainError("Ce document a été supprimé.")
        number = (
            document.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = _new_version(document, checked, by, number, stored)
        save_with_history(document, by=by, reason=f"Version {number} déposée")
    return version


@transaction.atomic
def document_delete(*, document: Document, by: User) -> Document:
    """Delete softly: hidden at once, purged with its files DOCUMENTS_DELETED_KEEP_DAYS
    later by the nightly task (documents_purge_deleted)."""
    document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    if document.deleted_at is not None:
        raise DomainError("Ce document est déjà supprimé.")
    document.deleted_at = timezone.now()
    document.deleted_by = by
    save_with_history(document, by=by, reason="Document supprimé")
    return document


def documents_purge_deleted(now=None) -> int:
    """Remove for good the documents deleted more than DOCUMENTS_DELETED_KEEP_DAYS ago:
    their files from the storage, their versions, their history and their rows."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.DOCUMENTS_DELETED_KEEP_DAYS)
    due = list(Document.objects.filter(deleted_at__lt=limit).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            versions = DocumentVersion.objects.filter(document_id=pk)
            names = list(versions.values_list("stored_as", flat=True))
            versions.delete()
            Document.objects.filter(pk=pk).delete()
            Document.history.filter(id=pk).delete()
            for name in names:
                files.erase(name)
    return len(due)


def documents_erase_files(household_ids: list[int]) -> int:
    """Remove from the storage every file of these households' documents (anonymisation);
    the rows stay, their text erased by cases.privacy. Returns how many files."""
    versions = DocumentVersion.objects.filter(document__household_id__in=household_ids).exclude(
        stored_as=""
    )
    names = list(versions.values_list("stored_as", flat=True))
    for name in names:
        files.erase(name)
    versions.update(stored_as="")
    return len(names)
