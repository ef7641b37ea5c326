"""Two people editing the same record must not silently overwrite each other."""

from django.db import models

from core.errors import DomainError

STALE_EDIT_MESSAGE = (
    "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la modifiiez. "
    "Rechargez la page pour voir la version actuelle, puis refaites vos modifications."
)


def locked(
    model: type[models.Model],
    pk: int,
    expected_version: int | None = None,
    *,
    message: str = STALE_EDIT_MESSAGE,
):
    """Lock a row for an edit; refuse the edit if someone saved since `expected_version`."""
    row = model.objects.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and row.version != expected_version:
        raise DomainError(message)
    return row
