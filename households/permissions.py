"""Who may see and do what on a household: the one access layer (docs/DESIGN.md section 5).

Every list, page, form, export and API endpoint goes through `Household.objects.visible_to`
or `get_household_or_404`; no view filters households by hand.

- Access to a household is an object permission on a partner's group, in guardian's direct
  foreign-key table, written only by households.involvement from the rule of involvement:
  `view_household` and `change_household` while the partner is involved, `view_household`
  alone during INVOLVEMENT_GRACE_DAYS after its involvement ended, then nothing.
- Coordinators see and may correct every household.
- CESF, caseworkers and partner managers see the households their partner has access to;
  CESF and caseworkers may also change them and write diagnostics; managers read only.
- Funder viewers see no named household at all.
- An outsider asking for a household gets 404 and the attempt is written to the access log.

The access log (docs/DESIGN.md section 5) records every read of case content: a page or an
API answer about one household (`get_household_or_404`, `get_through_household_or_404`), and
each household a list shows (`access_log_reads`: one entry per household, in one insert).
Refused attempts are limited per user (`access_log_refusal`): beyond
ACCESS_REFUSALS_PER_MINUTE in the last minute, the user gets 429 and the minute's further
refusals are counted in one entry, so that nobody can bury real traces in noise.

Each decision has a `can_…` function (for pages that show or hide a button) and an
`ensure_can_…` function that raises AccessRefused with its own French message (for the
pages and the API that act).
"""

import functools
from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connections, router
from django.db.models import Exists, F, OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from core.errors import TooManyAttempts, refuse_unless
from core.keyset import Stamp, rows_of
from households.models import (
    AccessAction,
    AccessLogEntry,
    Diagnostic,
    Household,
    HouseholdGroupObjectPermission,
)
from partners.models import Role, User

VIEW_PERM = "view_household"
CHANGE_PERM = "change_household"


class HouseholdAction(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    WRITE_DIAGNOSTIC = "write_diagnostic"
    EXPORT = "export"


# Role → what it may do on a household its partner has access to.
ROLE_ACTIONS: dict[str, set[HouseholdAction]] = {
    Role.COORDINATOR: {HouseholdAction.VIEW, HouseholdAction.EDIT, HouseholdAction.EXPORT},
    Role.CESF: set(HouseholdAction),
    Role.CASEWORKER: set(HouseholdAction),
    Role.MANAGER: {HouseholdAction.VIEW, HouseholdAction.EXPORT},
    Role.FUNDER_VIEWER: set(),
}
# Roles that have a caseload ("Mes ménages") and roles that may open a new case file.
CASELOAD_ROLES = {Role.COORDINATOR, Role.CESF, Role.CASEWORKER, Role.MANAGER}
CREATE_ROLES = {Role.CESF, Role.CASEWORKER}
# Actions that need the partner's change permission on the object, not only the view one.
CHANGE_ACTIONS = {HouseholdAction.EDIT, HouseholdAction.WRITE_DIAGNOSTIC}


def visible_households_filter(queryset, user: User, household: str = "pk"):
    """Restrict `queryset` to what `user` may see: a join on the partner group's permission
    rows (never guardian's get_objects_for_user on a list). `household` is the path from
    the queryset's rows to their household ("pk" for households themselves)."""
    if not user.is_authenticated or user.role is None:
        return queryset.none()
    if user.is_coordinator:
        return queryset
    if user.role not in CASELOAD_ROLES:
        return queryset.none()
    return queryset.filter(_group_has_perm(user, VIEW_PERM, household))


def visible_household_ids(user: User) -> list[tuple] | None:
    """The caseload materialised first: (stamp of updated_at, id) of every household `user`
    may see, newest first, read from the partner group's permission rows (one query whose
    cost follows the caseload, not the programme); None for the coordination, who sees every
    household (its lists page the households' own index). The change time is read as
    microseconds since 1970 (core.keyset.Stamp): two integers a row, where a date-time
    costs the driver ten times more to read, thousands of times a page."""
    if not user.is_authenticated or user.role is None or user.role not in CASELOAD_ROLES:
        return []
    if user.is_coordinator:
        return None
    rows = rows_of(
        HouseholdGroupObjectPermission.objects.filter(
            group_id=user.partner.group_id,
            permission__codename=VIEW_PERM,
            permission__content_type__app_label="households",
            # A file merged into another is archived (households.merge): out of every list.
            content_object__merged_into=None,
        ).values_list(Stamp("content_object__updated_at"), "content_object_id")
    )
    return sorted(rows, reverse=True)


def _group_has_perm(user: User, codename: str, household: str = "pk") -> Exists:
    # The permission id is a scalar subquery evaluated once, so that the probe is an
    # index-only scan on guardian's (group, permission, object) unique index.
    permission_id = Subquery(
        Permission.objects.filter(codename=codename, content_type__app_label="households").values(
            "pk"
        )[:1]
    )
    return Exists(
        HouseholdGroupObjectPermission.objects.filter(
            group_id=user.partner.group_id,
            permission_id=permission_id,
            content_object=OuterRef(household),
        )
    )


def can_open_caseload(user: User) -> bool:
    """Named households at all (« Mes ménages », co-decisions, measures): not funders."""
    return user.role in CASELOAD_ROLES


def ensure_can_open_caseload(user: User) -> None:
    refuse_unless(can_open_caseload(user), "Votre rôle ne donne pas accès aux dossiers nominatifs.")


def can_read_access_log(user: User) -> bool:
    return user.is_coordinator


def ensure_can_read_access_log(user: User) -> None:
    refuse_unless(can_read_access_log(user), "Le journal d'accès est réservé à la coordination.")


def can_merge_households(user: User) -> bool:
    """Two files of the same household are merged by the coordination (households.merge)."""
    return user.is_coordinator


def ensure_can_merge_households(user: User) -> None:
    refuse_unless(can_merge_households(user), "Seule la coordination fusionne deux dossiers.")


def can_create_household(user: User) -> bool:
    return user.role in CREATE_ROLES


def ensure_can_create_household(user: User) -> None:
    refuse_unless(can_create_household(user), "Votre rôle ne permet pas d'ouvrir un dossier.")


def can(user: User, action: HouseholdAction, household: Household) -> bool:
    """May `user` do `action` on a household it can already see?"""
    if action not in ROLE_ACTIONS.get(user.role, set()):
        return False
    if action in CHANGE_ACTIONS and not user.is_coordinator:
        return _partner_may_change(user, household)
    return True


def ensure_can(user: User, action: HouseholdAction, household: Household) -> None:
    refuse_unless(
        can(user, action, household), "Votre rôle ne permet pas cette action sur ce ménage."
    )


def correctable_diagnostics(user: User, household: Household, diagnostics) -> set[int]:
    """Which of `household`'s diagnostics `user` may correct: those its partner wrote, with
    the right to write diagnostics on the household (whether a decision already rests on one
    is the domain's rule: households.services.diagnostic_used_in)."""
    if user.partner is None or not can(user, HouseholdAction.WRITE_DIAGNOSTIC, household):
        return set()
    return {d.pk for d in diagnostics if d.author_partner_id == user.partner.pk}


def can_correct_diagnostic(user: User, diagnostic: Diagnostic) -> bool:
    return diagnostic.pk in correctable_diagnostics(user, diagnostic.household, [diagnostic])


def ensure_can_correct_diagnostic(user: User, diagnostic: Diagnostic) -> None:
    refuse_unless(
        can_correct_diagnostic(user, diagnostic),
        "Un diagnostic est corrigé par la structure qui l'a rédigé.",
    )


def can_change_landlord(user: User, household: Household) -> bool:
    """A landlord change is a step (households.services.household_landlord_change): a
    transfer recorded by the CESF of the current landlord, or the coordination's transfer or
    correction. Nobody else, and never by editing the case file."""
    if user.is_coordinator:
        return True
    return (
        user.is_cesf
        and household.landlord_id == user.partner.pk
        and can(user, HouseholdAction.EDIT, household)
    )


def ensure_can_change_landlord(user: User, household: Household) -> None:
    refuse_unless(
        can_change_landlord(user, household),
        "Le bailleur change par une mutation que la CESF du bailleur actuel enregistre, ou par "
        "une correction de la coordination.",
    )


def _partner_may_change(user: User, household: Household) -> bool:
    """The partner's change permission on the household: one indexed lookup, remembered on
    the household object for the rest of the request (a page asks several times)."""
    known = household.__dict__.setdefault("_partner_may_change", {})
    group = user.partner.group_id
    if group not in known:
        known[group] = (
            Household.objects.filter(pk=household.pk)
            .filter(_group_has_perm(user, CHANGE_PERM))
            .exists()
        )
    return known[group]


def get_household_or_404(
    request: HttpRequest,
    pk: int,
    action: HouseholdAction,
    *,
    export_as: str = AccessAction.EXPORT,
) -> Household:
    """Fetch a household through the access layer.

    404 (logged) when the user may not see it; 403 when it may see it but not do `action`.
    A successful read (page shown or export) is written to the access log; an export as
    `export_as` (which version of a summary was taken).
    """
    user = request.user
    household = (
        (Household.objects.visible_to(user).select_related("landlord", "created_by_partner"))
        .filter(pk=pk)
        .first()
    )
    if household is None:
        access_log_refusal(user=user, household_pk=pk, path=request.path)
        raise Http404("Ménage introuvable")
    ensure_can(user, action, household)
    if action == HouseholdAction.EXPORT:
        access_log_record(user=user, household_pk=pk, action=export_as, path=request.path)
    elif request.method == "GET":
        access_log_record(user=user, household_pk=pk, action=AccessAction.VIEW, path=request.path)
    return household


def _entry(*, user: User, household_pk: int, action: str, path: str, exists: bool = True):
    return AccessLogEntry(
        user=user,
        partner=user.partner,
        household_id=household_pk if exists else None,
        household_pk=household_pk,
        action=action,
        path=path[:300],
    )


def access_log_record(*, user: User, household_pk: int, action: str, path: str) -> None:
    exists = action != AccessAction.DENIED or Household.objects.filter(pk=household_pk).exists()
    _entry(user=user, household_pk=household_pk, action=action, path=path, exists=exists).save()


def access_log_reads(
    request: HttpRequest,
    household_ids: Iterable[int | None],
    action: str = AccessAction.LIST,
    *,
    user: User | None = None,
    path: str | None = None,
) -> None:
    """A page or an API answer showed these households' records (a list): one access-log
    entry per household, in one insert whatever the number of rows. `user` and `path` stand
    for the request's when it carries no session (a calendar feed read by its secret address,
    which the log must not keep)."""
    ids = list(dict.fromkeys(pk for pk in household_ids if pk is not None))
    user = user or request.user
    path = path or request.path
    if not ids:
        return
    connection = connections[router.db_for_write(AccessLogEntry)]
    if connection.vendor != "postgresql":  # the embedded SQLite
        AccessLogEntry.objects.bulk_create(
            [_entry(user=user, household_pk=pk, action=action, path=path) for pk in ids]
        )
        return
    # The rows made by the database from the ids bound as one array: no model instance per
    # row nor the ORM's writing of each value (a page of 50 households: 10 → 3 ms).
    partner = user.partner
    with connection.cursor() as cursor:
        cursor.execute(
            _reads_insert(),
            [timezone.now(), user.pk, partner.pk if partner else None, action, path[:300], ids],
        )


@functools.cache
def _reads_insert() -> str:
    table = connections["default"].ops.quote_name(AccessLogEntry._meta.db_table)
    column = {field.name: field.column for field in AccessLogEntry._meta.concrete_fields}
    names = ("at", "user", "partner", "household", "household_pk", "action", "path", "count")
    return (
        f"INSERT INTO {table} ({', '.join(column[name] for name in names)}) "
        "SELECT %s, %s, %s, shown, shown, %s, %s, 1 FROM unnest(%s::bigint[]) AS shown"
    )


REFUSALS_MESSAGE = (
    "Trop d'accès refusés en une minute : vos demandes de dossiers hors de votre périmètre "
    "sont suspendues un moment. Réessayez dans une minute."
)


def access_log_refusal(*, user: User, household_pk: int, path: str) -> None:
    """A refused attempt (404): written to the access log, ACCESS_REFUSALS_PER_MINUTE at
    most in the last minute for one user. Beyond it, TooManyAttempts (429) is raised and the
    attempt is counted in the minute's one THROTTLED entry rather than written alone."""
    since = timezone.now() - timedelta(minutes=1)
    mine = AccessLogEntry.objects.filter(user=user, at__gte=since)
    limit = settings.ACCESS_REFUSALS_PER_MINUTE
    recent = mine.filter(action=AccessAction.DENIED).values("pk")[:limit]
    if len(recent) < limit:
        access_log_record(
            user=user, household_pk=household_pk, action=AccessAction.DENIED, path=path
        )
        return
    counted = mine.filter(action=AccessAction.THROTTLED).order_by("-at").values("pk")[:1]
    if not AccessLogEntry.objects.filter(pk__in=counted).update(count=F("count") + 1):
        _entry(
            user=user,
            household_pk=household_pk,
            action=AccessAction.THROTTLED,
            path=path,
            exists=Household.objects.filter(pk=household_pk).exists(),
        ).save()
    raise TooManyAttempts(REFUSALS_MESSAGE, retry_after=60)


def get_through_household_or_404(
    request: HttpRequest, queryset, pk: int, household: str, log_as: str = AccessAction.VIEW
):
    """Fetch a record of a household's case (an action, a measure, a co-decision) only if its
    household is visible to the user; `household` is the path from the record to it. Its page
    shows the household's case: a read (GET) is written to the access log, as for the
    household (`log_as`: a file downloaded is an export); an outsider gets 404, logged."""
    visible = Household.objects.visible_to(request.user)
    obj = queryset.filter(pk=pk, **{f"{household}__in": visible}).first()
    if obj is None:
        household_pk = queryset.filter(pk=pk).values_list(household, flat=True).first()
        access_log_refusal(user=request.user, household_pk=household_pk or 0, path=request.path)
        raise Http404("Introuvable")
    if request.method == "GET":
        access_log_record(
            user=request.user,
            household_pk=_household_id(obj, household),
            action=log_as,
            path=request.path,
        )
    return obj


def _household_id(obj, path: str) -> int:
    """The household id at the end of `path` ("action__household"), from what is loaded."""
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id")
