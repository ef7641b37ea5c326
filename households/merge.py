"""Merging two case files of the same household (the coordination, households.views.merge).

Everything that belongs to the duplicate is moved to the file that is kept: every row of
every model that points to a household, whichever app it belongs to (members, diagnostics,
landlord changes, orientations, actions, co-decisions, measures through their action,
follow-ups, documents, requests for access, the ledger, notifications, the access log, and
what apps added later point to). The apps above the households are not imported: the rows
are found by Django's relation introspection (`Household._meta` reverse relations).

What is not moved:

- the history (django-simple-history rows): it stays as it was written; the case history of
  the kept file reads the files merged into it too (cases.history);
- the access rows (guardian): the rule of involvement writes them again for both files
  (households.involvement: the partners of the duplicate are involved in the kept file, the
  duplicate itself involves nobody);
- the record of earlier merges (HouseholdMerge).

The duplicate is never deleted: it is marked `merged_into` the kept file (a pointer, shown on
its page, which only the coordination still sees), with a line in its history and in the
kept one's, and a HouseholdMerge record (who, when, why, how many rows of each kind).
A household has one eviction procedure: two files each with one cannot be merged until the
coordination ends one of them, and any such conflict is refused with its French message.
"""

from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from core import events
from core.errors import DomainError
from households.events import HouseholdsMerged
from households.involvement import involvement_sync
from households.models import (
    Household,
    HouseholdGroupObjectPermission,
    HouseholdMerge,
    HouseholdUserObjectPermission,
)
from partners.models import User

REASON_MAX_LENGTH = 2000
# Rows that are not moved (see above).
NOT_MOVED = {HouseholdGroupObjectPermission, HouseholdUserObjectPermission, HouseholdMerge}


def household_relations() -> list[ForeignObjectRel]:
    """Every foreign key to a household, of every installed app, except the history's and
    the ones listed in NOT_MOVED."""
    return [
        relation
        for relation in Household._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and not relation.many_to_many
        and relation.related_model not in NOT_MOVED
        # django-simple-history's historical models: the history stays as written.
        and not hasattr(relation.related_model, "instance_type")
    ]


def _check(kept: Household, merged: Household, by: User) -> None:
    if not by.is_coordinator:
        raise DomainError("Seule la coordination fusionne deux dossiers.")
    if kept.pk == merged.pk:
        raise DomainError("Choisissez un autre dossier que celui-ci.", field="other")
    for household in (kept, merged):
        if household.merged_into_id:
            raise DomainError(
                f"Le dossier {household.reference} a déjà été fusionné dans un autre.",
                field="other",
            )
        if household.anonymised_on:
            raise DomainError(
                f"Le dossier {household.reference} est anonymisé : il ne se fusionne plus.",
                field="other",
            )


@transaction.atomic
def household_merge(
    *, kept: Household, merged: Household, by: User, reason: str, expected_versions=None
) -> HouseholdMerge:
    """Merge `merged` into `kept`: move every row that points to `merged`, archive it with a
    pointer to `kept`, and record the merge. `expected_versions` (kept, merged): the versions
    the coordinator read; a change made since is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Indiquez pourquoi ces deux dossiers sont le même ménage.", field="reason"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            f"Le motif tient en {REASON_MAX_LENGTH} caractères au plus.", field="reason"
        )
    # Both locked, in id order (two merges at once never wait for each other in a circle).
    locked = {
        h.pk: h
        for h in Household.objects.select_for_update(of=("self",))
        .filter(pk__in=[kept.pk, merged.pk])
        .order_by("pk")
    }
    kept_now, merged_now = locked.get(kept.pk), locked.get(merged.pk)
    if kept_now is None or merged_now is None:
        raise DomainError("Ce dossier n'existe plus.", field="other")
    if expected_versions is not None and (kept_now.version, merged_now.version) != tuple(
        expected_versions
    ):
        raise DomainError(
            "Un des deux dossiers a été modifié pendant que vous prépariez la fusion : "
            "relisez-les puis confirmez à nouveau."
        )
    _check(kept_now, merged_now, by)
    moved = {}
    for relation in household_relations():
        model, name = relation.related_model, relation.field.name
        try:
            with transaction.atomic():
                count = model._base_manager.filter(**{name: merged_now}).update(**{name: kept_now})
        except IntegrityError as error:
            raise DomainError(
                f"Les deux dossiers ont chacun un enregistrement « {model._meta.verbose_name} » "
                "qui ne peut exister qu'une fois par ménage : clôturez ou corrigez l'un des deux "
                "avant de fusionner."
            ) from error
        if count:
            label = str(model._meta.verbose_name_plural)
            moved[label] = moved.get(label, 0) + count
    now = timezone.now()
    merged_now.merged_into = kept_now
    merged_now.merged_at = now
    merged_now.version += 1
    merged_now._history_user = by
    merged_now._change_reason = f"Fusionné dans {kept_now.reference} : {reason}"
    merged_now.save()
    kept_now.version += 1
    kept_now._history_user = by
    kept_now._change_reason = f"Le dossier {merged_now.reference} y est fusionné : {reason}"
    kept_now.save()
    record = HouseholdMerge.objects.create(
        kept=kept_now,
        merged=merged_now,
        kept_reference=kept_now.reference,
        merged_reference=merged_now.reference,
        reason=reason,
        moved=moved,
        merged_by=by,
        merged_at=now,
    )
    involvement_sync(household=kept_now, by=by)
    involvement_sync(household=merged_now, by=by)
    events.publish(HouseholdsMerged(kept=kept_now, merged=merged_now, by=by))
    kept.refresh_from_db()
    merged.refresh_from_db()
    return record
