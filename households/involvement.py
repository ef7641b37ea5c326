"""The rule of involvement: which partners are involved in a household, until when, and the
access rows that follow from it (docs/DESIGN.md section 5; README, « Involvement »).

The rule, in plain words:

- The current landlord of the dwelling is involved, and so is the partner that opened the
  case file, unless it is a landlord (a landlord opens a file for its tenant, and is
  involved as its landlord). A landlord the household left by a transfer or a glide is
  involved until that day; one recorded by mistake and corrected never was.
- The partners of an orientation (its action: the partner that proposed it, the association
  and the landlord named), of a co-decision (its two sides, and the partner that proposed
  it) and of a measure (its action's landlord and association) are involved while it is
  open, and for INVOLVEMENT_GRACE_DAYS after it ends (refused, cancelled or closed).
- An involved partner reads and changes the case (`view_household` and `change_household`
  on its group); during the INVOLVEMENT_GRACE_DAYS after its last involvement ended, it only
  reads it (`view_household`); afterwards it has nothing.
- A duplicate merged into another file (households.merge) involves nobody; the partner
  that opened it and its landlord are involved in the file kept.
- A partner that left the programme (inactive) is involved in nothing. Only landlords and
  associations hold rows: coordinators see every household without them, funders none.

What is open and when it ended is read by *sources*: the household itself here, and the
apps above (actions: orientations and measures; codecision: co-decisions) register theirs
in their wiring.py (`register_source`), as the layers want. `involvement_sync` is the one
service that writes the rows: every workflow step that may change the rule's answer calls
it (creation, orientation, answer, arbitration, cancellation, closure, landlord change, a
partner leaving or coming back); `involvement_repair` checks every household (the nightly
privacy task and `manage.py involvement_check`), which also withdraws what a grace period
ended, since no step happens then.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from core import events
from households.events import HouseholdAccessChanged
from households.models import (
    Household,
    HouseholdGroupObjectPermission,
    LandlordChange,
    LandlordChangeKind,
)
from households.permissions import CHANGE_PERM, VIEW_PERM
from partners.events import PartnerActivityChanged
from partners.models import Partner, PartnerKind, User

# Kinds of partner that may hold rows on a household.
ROW_PARTNER_KINDS = {PartnerKind.LANDLORD, PartnerKind.ASSOCIATION}


class Access(StrEnum):
    """What a partner may do on a household, from the rule."""

    NONE = "none"
    READ = "read"
    CHANGE = "change"

    @property
    def label(self) -> str:
        return {
            "none": "aucun accès",
            "read": "lecture seule",
            "change": "lecture et modification",
        }[self.value]


PERMS_OF = {
    Access.NONE: frozenset(),
    Access.READ: {VIEW_PERM},
    Access.CHANGE: {VIEW_PERM, CHANGE_PERM},
}


@dataclass(frozen=True)
class Involvement:
    """`partner_id` takes part in household `household_id` through `what`; `ended` is when
    that ended (None while it is open)."""

    household_id: int
    partner_id: int | None
    what: str
    ended: date | datetime | None = None


# When an involvement ended, if its record does not say (rows imported without history).
LONG_AGO = date(1900, 1, 1)

# A source: household ids (None for every household) → the involvements it knows.
Source = Callable[[list[int] | None], Iterable[Involvement]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    """An app above the households declares what involves partners in them (once)."""
    if source not in _sources:
        _sources.append(source)


def _restrict(queryset, household_ids: list[int] | None, path: str = "household_id"):
    return queryset if household_ids is None else queryset.filter(**{f"{path}__in": household_ids})


def household_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    """The current landlord, and the partner that opened the case file unless it is a
    landlord (a landlord opens a file for its tenant: it is involved as the landlord)."""
    rows = (
        _restrict(Household.objects.all(), household_ids, "pk")
        .filter(merged_into=None)
        .values_list("pk", "created_by_partner_id", "created_by_partner__kind", "landlord_id")
    )
    for pk, creator, creator_kind, landlord in rows:
        if creator_kind != PartnerKind.LANDLORD:
            yield Involvement(pk, creator, "a ouvert le dossier")
        if landlord:
            yield Involvement(pk, landlord, "bailleur du logement")
    yield from merged_source(household_ids)


def merged_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    """A duplicate merged into a file (households.merge) involves nobody any more: the
    partner that opened it and its landlord are involved in the file kept instead, as they
    were in the duplicate."""
    merged = Household.objects.exclude(merged_into=None)
    rows = _restrict(merged, household_ids, "merged_into_id").values_list(
        "merged_into_id", "created_by_partner_id", "created_by_partner__kind", "landlord_id"
    )
    for kept, creator, creator_kind, landlord in rows:
        if creator_kind != PartnerKind.LANDLORD:
            yield Involvement(kept, creator, "a ouvert un dossier fusionné dans celui-ci")
        if landlord:
            yield Involvement(kept, landlord, "bailleur d'un dossier fusionné dans celui-ci")


def former_landlord_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    """A landlord the household left by a transfer or a glide, from that day; one recorded
    by mistake (a correction) was never involved."""
    changes = LandlordChange.objects.exclude(kind=LandlordChangeKind.CORRECTION).exclude(
        previous_landlord=None
    )
    rows = _restrict(changes, household_ids).values_list(
        "household_id", "previous_landlord_id", "changed_at"
    )
    for household_id, landlord, changed_at in rows:
        yield Involvement(household_id, landlord, "ancien bailleur", changed_at)


register_source(household_source)
register_source(former_landlord_source)


def _ended_on(ended: date | datetime | None) -> date | None:
    if isinstance(ended, datetime):
        return timezone.localdate(ended)
    return ended


def access_from(involvements: Iterable[Involvement], today: date | None = None) -> Access:
    """The access the rule gives for one partner's involvements in one household."""
    today = today or timezone.localdate()
    grace = timedelta(days=settings.INVOLVEMENT_GRACE_DAYS)
    access = Access.NONE
    for involvement in involvements:
        ended = _ended_on(involvement.ended)
        if ended is None:
            return Access.CHANGE
        if today < ended + grace:
            access = Access.READ
    return access


def involvements(household_ids: list[int] | None) -> dict[int, dict[int, list[Involvement]]]:
    """Every involvement the sources know, by household then partner."""
    found: dict[int, dict[int, list[Involvement]]] = defaultdict(lambda: defaultdict(list))
    for source in _sources:
        for involvement in source(household_ids):
            if involvement.partner_id is not None:
                found[involvement.household_id][involvement.partner_id].append(involvement)
    return found


def _partners() -> dict[int, tuple[int, bool]]:
    """partner id → (group id, may hold rows: active landlord or association)."""
    return {
        pk: (group, active and kind in ROW_PARTNER_KINDS)
        for pk, group, active, kind in Partner.objects.values_list(
            "pk", "group_id", "active", "kind"
        )
    }


def expected_access(
    household_ids: list[int] | None, today: date | None = None
) -> dict[tuple[int, int], Access]:
    """(household id, group id) → the access the rule gives (only where it gives some)."""
    partners = _partners()
    expected = {}
    for household_id, by_partner in involvements(household_ids).items():
        for partner_id, found in by_partner.items():
            group, may_hold = partners[partner_id]
            access = access_from(found, today) if may_hold else Access.NONE
            if access != Access.NONE:
                expected[(household_id, group)] = access
    return expected


def _permission_ids() -> dict[str, int]:
    return dict(
        Permission.objects.filter(
            content_type__app_label="households", codename__in=[VIEW_PERM, CHANGE_PERM]
        ).values_list("codename", "pk")
    )


def stored_rows(household_ids: list[int] | None) -> dict[tuple[int, int], set[int]]:
    """(household id, group id) → the ids of the permission rows stored on households."""
    rows = _restrict(
        HouseholdGroupObjectPermission.objects.all(), household_ids, "content_object_id"
    )
    stored: dict[tuple[int, int], set[int]] = defaultdict(set)
    for household_id, group, permission in rows.values_list(
        "content_object_id", "group_id", "permission_id"
    ):
        stored[(household_id, group)].add(permission)
    return stored


def stored_access(household_ids: list[int] | None) -> dict[tuple[int, int], Access]:
    """(household id, group id) → the access the stored rows give (where they give some)."""
    ids = _permission_ids()
    return {
        key: _access_of(permissions, ids) for key, permissions in stored_rows(household_ids).items()
    }


@dataclass(frozen=True)
class AccessChange:
    household_id: int
    group_id: int
    before: Access
    after: Access


def _apply(
    household_ids: list[int] | None, today: date | None, *, dry_run: bool
) -> list[AccessChange]:
    ids = _permission_ids()
    expected = expected_access(household_ids, today)
    stored = stored_rows(household_ids)
    changes = []
    to_add, to_remove = [], []
    for key in sorted(set(expected) | set(stored)):
        want = {ids[codename] for codename in PERMS_OF[expected.get(key, Access.NONE)]}
        have = stored.get(key, set())
        if want == have:
            continue
        household_id, group = key
        to_add += [(household_id, group, permission) for permission in want - have]
        to_remove += [(household_id, group, permission) for permission in have - want]
        before = _access_of(have, ids)
        changes.append(AccessChange(household_id, group, before, expected.get(key, Access.NONE)))
    if not dry_run:
        _write(to_add, to_remove)
    return changes


def _access_of(permissions: set[int], ids: dict[str, int]) -> Access:
    """What stored rows give; rows the rule never writes (a change without a view) give
    nothing as they are."""
    if permissions == {ids[VIEW_PERM], ids[CHANGE_PERM]}:
        return Access.CHANGE
    if permissions == {ids[VIEW_PERM]}:
        return Access.READ
    return Access.NONE


def _write(to_add: list[tuple[int, int, int]], to_remove: list[tuple[int, int, int]]) -> None:
    HouseholdGroupObjectPermission.objects.bulk_create(
        [
            HouseholdGroupObjectPermission(content_object_id=h, group_id=g, permission_id=p)
            for h, g, p in to_add
        ],
        ignore_conflicts=True,
    )
    by_row: dict[tuple[int, int], list[int]] = defaultdict(list)
    for household_id, group, permission in to_remove:
        by_row[(household_id, group)].append(permission)
    for (household_id, group), permissions in by_row.items():
        HouseholdGroupObjectPermission.objects.filter(
            content_object_id=household_id, group_id=group, permission_id__in=permissions
        ).delete()


def _publish(changes: list[AccessChange], by: User | None) -> None:
    if not changes:
        return
    households = Household.objects.in_bulk({change.household_id for change in changes})
    partners = {
        p.group_id: p for p in Partner.objects.filter(group_id__in={c.group_id for c in changes})
    }
    for change in changes:
        partner = partners.get(change.group_id)
        if partner is not None:
            events.publish(
                HouseholdAccessChanged(
                    household=households[change.household_id],
                    partner=partner,
                    before=change.before,
                    after=change.after,
                    by=by,
                )
            )


@transaction.atomic
def involvement_sync(*, household: Household, by: User | None = None) -> list[AccessChange]:
    """Make the household's access rows what the rule says now, granting and withdrawing
    alike; each change is published (HouseholdAccessChanged). Called by every workflow step
    that may change who is involved, at its end, in its transaction."""
    # One step at a time per household: two steps at once would both add the same rows.
    Household.objects.select_for_update(of=("self",)).filter(pk=household.pk).values_list(
        "pk"
    ).first()
    changes = _apply([household.pk], None, dry_run=False)
    _publish(changes, by)
    return changes


def partner_activity_changed(event: PartnerActivityChanged) -> None:
    """A partner left the programme: its rows go at once, in the step's transaction. It came
    back: every household is checked, since any may involve it (a rare step)."""
    if event.partner.active:
        involvement_repair(by=event.by)
        return
    households = HouseholdGroupObjectPermission.objects.filter(group_id=event.partner.group_id)
    ids = sorted(set(households.values_list("content_object_id", flat=True)))
    _publish(_apply(ids, None, dry_run=False), event.by)


def involvement_repair(
    *,
    dry_run: bool = False,
    today: date | None = None,
    batch: int = 2000,
    by: User | None = None,
) -> list[AccessChange]:
    """Check every household's rows against the rule and repair the drift (the rows of a
    grace period that ended, or rows written by anything else); return what was changed
    (with `dry_run`, what would be)."""
    changes: list[AccessChange] = []
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            found = _apply(chunk, today, dry_run=dry_run)
            if not dry_run:
                _publish(found, by)
        changes += found
    return changes


def describe(changes: list[AccessChange]) -> list[str]:
    """Each change in French: « LT-2026-0001 — Pluralis : lecture et modification → aucun
    accès »."""
    references = dict(
        Household.objects.filter(pk__in={c.household_id for c in changes}).values_list(
            "pk", "reference"
        )
    )
    names = dict(
        Partner.objects.filter(group_id__in={c.group_id for c in changes}).values_list(
            "group_id", "name"
        )
    )
    return [
        f"{references.get(c.household_id, c.household_id)} — "
        f"{names.get(c.group_id, f'groupe {c.group_id}')} : {c.before.label} → {c.after.label}"
        for c in changes
    ]


@dataclass(frozen=True)
class PartnerInvolvement:
    """One partner on a household's page: its access, and through what, open or ended."""

    partner: Partner
    access: Access
    through: list[tuple[str, date | None]]


def involvements_of(household: Household) -> dict[int, list[Involvement]]:
    """The household's involvements by partner, as plain values (kept by its page)."""
    found = involvements([household.pk]).get(household.pk, {})
    return {partner_id: list(what) for partner_id, what in found.items()}


def involvement_of(
    household: Household, today: date | None = None, *, found: dict | None = None
) -> list[PartnerInvolvement]:
    """Who is involved in the household, with what access and through what (its page);
    `found` is involvements_of(household) when the caller read it already."""
    if found is None:
        found = involvements_of(household)
    partners = Partner.objects.in_bulk(found.keys())
    rows = []
    for partner_id, what in found.items():
        partner = partners[partner_id]
        may_hold = partner.active and partner.kind in ROW_PARTNER_KINDS
        access = access_from(what, today) if may_hold else Access.NONE
        through = sorted({(i.what, _ended_on(i.ended)) for i in what}, key=str)
        rows.append(PartnerInvolvement(partner, access, through))
    return sorted(rows, key=lambda row: row.partner.name)
