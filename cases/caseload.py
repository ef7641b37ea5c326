"""« Mes ménages »: the caseload with where each case stands — its current action, its state,
its next deadline — in a fixed number of queries, whatever the page's size, and at a cost
that follows the user's caseload, not the programme's size.

The plan is caseload-first (`caseload_page`): the partner's household ids are materialised
from its permission rows (households.permissions.visible_household_ids), the filters and the
search run inside them, the matches (capped at CASELOAD_COUNT_CAP) give the count and the
order in one query, and only the page's rows get the subqueries they show. Pages follow
each other by keyset on (updated_at, id).

Read side: it reads the workflow's tables (actions, measures) through subqueries on the
households the access layer lets the user see; it writes nothing."""

from dataclasses import dataclass, fields
from datetime import date, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.deadlines import Deadline
from actions.models import (
    Action,
    ActionStatus,
    Appointment,
    AppointmentKind,
    EvictionProcedure,
    MeasureStatus,
    SupportMeasure,
)
from core.keyset import (
    ARGUMENT,
    Stamp,
    after,
    cursor_of,
    datetime_of,
    parse_cursor,
    rows_of,
    stamp_of,
)
from households.models import Diagnostic, Household, HousingStatus, Ids
from households.permissions import visible_household_ids
from partners.models import User

OPEN_ACTION = [ActionStatus.IN_CODECISION, ActionStatus.IN_PROGRESS]


def _filtered(
    households, *, within=None, q="", housing_status="", landlord=None, kind="", referent=None
):
    if q:
        households = households.search(q, within=within)
    if housing_status:
        households = households.filter(housing_status=housing_status)
    if landlord:
        households = households.filter(landlord=landlord)
    if kind:
        open_of_kind = Action.objects.filter(
            household=OuterRef("pk"), kind=kind, status__in=OPEN_ACTION
        )
        households = households.filter(Exists(open_of_kind))
    if referent:
        households = households.filter(
            Exists(
                SupportMeasure.objects.filter(
                    action__household=OuterRef("pk"),
                    status=MeasureStatus.ACTIVE,
                    referent=referent,
                )
            )
        )
    return households


def with_standing(households: QuerySet, today: date | None = None) -> QuerySet:
    """Each household annotated with:

    - `latest_diagnostic_on`, `latest_conclusion`;
    - `current_action_kind`, `current_action_status`: its latest open action (in co-decision or
      in progress), if any;
    - `measure_ends_on`, `measure_referent`: its active measure's planned end and referent;
    - `hearing_on`: its procedure's hearing, from `today`;
    - `appointment_on`, `appointment_kind`: its next planned appointment, from `today`."""
    today = today or timezone.localdate()
    latest = Diagnostic.objects.filter(household=OuterRef("pk")).order_by("-made_on", "-pk")
    action = Action.objects.filter(household=OuterRef("pk"), status__in=OPEN_ACTION).order_by("-pk")
    measure = SupportMeasure.objects.filter(
        action__household=OuterRef("pk"), status=MeasureStatus.ACTIVE
    ).order_by("ends_on", "pk")
    hearing = EvictionProcedure.objects.filter(
        household=OuterRef("pk"), hearing_on__gte=today, ended_on=None
    )
    appointment = (
        Appointment.objects.planned()
        .filter(household=OuterRef("pk"), on__gte=today)
        .order_by("on", "at", "pk")
    )
    return households.select_related("landlord").annotate(
        latest_diagnostic_on=Subquery(latest.values("made_on")[:1]),
        latest_conclusion=Subquery(latest.values("conclusion")[:1]),
        current_action_kind=Subquery(action.values("kind")[:1]),
        current_action_status=Subquery(action.values("status")[:1]),
        measure_ends_on=Subquery(measure.values("ends_on")[:1]),
        measure_referent=Subquery(measure.values("referent")[:1]),
        hearing_on=Subquery(hearing.values("hearing_on")[:1]),
        appointment_on=Subquery(appointment.values("on")[:1]),
        appointment_kind=Subquery(appointment.values("kind")[:1]),
    )


def next_deadline(household: Household) -> Deadline | None:
    """The earliest of what `with_standing` read: the hearing, the next appointment, the
    measure's planned end (« Prochaine échéance »; « Mes échéances » lists them all)."""
    found = []
    if household.hearing_on:
        found.append(Deadline(household.hearing_on, "audience", "hearing"))
    if household.appointment_on:
        kind = AppointmentKind(household.appointment_kind).label.lower()
        found.append(Deadline(household.appointment_on, f"rendez-vous ({kind})", "appointment"))
    if household.measure_ends_on:
        found.append(Deadline(household.measure_ends_on, "fin de mesure", "measure_end"))
    return min(found, key=lambda deadline: deadline.on, default=None)


def caseload(user: User, **criteria) -> QuerySet:
    """The households `user` sees, filtered, with where each stands (`with_standing`)."""
    # A file merged into another (households.merge) is archived: its pointer is on its page.
    households = Household.objects.visible_to(user).filter(merged_into=None)
    return with_standing(_filtered(households, **{k: v for k, v in criteria.items() if v}))


@dataclass
class CaseloadRow:
    """A household as « Mes ménages » shows it: the fields of its row and where it stands
    (`with_standing`), read as plain values rather than as a model instance of thirty fields
    (50 rows: 8 ms less)."""

    pk: int
    reference: str
    name: str
    housing_status: str
    landlord: str | None  # the landlord's name
    latest_diagnostic_on: date | None
    latest_conclusion: str | None
    current_action_kind: str | None
    current_action_status: str | None
    measure_ends_on: date | None
    measure_referent: int | None
    hearing_on: date | None
    appointment_on: date | None
    appointment_kind: str | None

    def get_housing_status_display(self) -> str:
        return HousingStatus(self.housing_status).label


ROW_FIELDS = (
    "pk",
    "reference",
    "name",
    "housing_status",
    "landlord__name",
    *(field.name for field in fields(CaseloadRow)[5:]),
)

# The page rows' SQL as the ORM writes it (a dozen subqueries: 6 ms), kept per database and
# day (`with_standing` reads from today), the ids bound as one array.
_rows_sql: dict[tuple[str, date], tuple[str, list]] = {}
_IDS = [ARGUMENT]


def _rows(alias: str, ids: list[int], today: date) -> QuerySet:
    households = Household.objects.using(alias).filter(pk__any_of=Ids(ids))
    rows = with_standing(households, today).order_by("-updated_at", "-pk")
    return rows.values_list(*ROW_FIELDS)


def page_rows(ids: list[int]) -> list[CaseloadRow]:
    """The rows of `ids` with where each stands, newest change first."""
    today = timezone.localdate()
    alias = router.db_for_read(Household)
    if connections[alias].vendor != "postgresql":  # `IN (…)`: one parameter per id
        return [CaseloadRow(*row) for row in _rows(alias, ids, today)]
    written = _rows_sql.get((alias, today))
    if written is None:  # a new day: the threads of a process may each write it once
        written = _rows(alias, _IDS, today).query.sql_with_params()
        for day_before in [key for key in list(_rows_sql) if key[1] != today]:
            _rows_sql.pop(day_before, None)
        _rows_sql[alias, today] = written
    sql, params = written
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [ids if param == _IDS else param for param in params])
        return [CaseloadRow(*row) for row in cursor.fetchall()]


@dataclass
class CaseloadPage:
    households: list[CaseloadRow]
    count: int  # exact when `count_exceeds` is false; else the cap
    count_exceeds: bool  # « plus de <count> »
    next_cursor: str
    ids: list[int] | None  # the caseload's household ids; None for the coordination


def caseload_page(user: User, *, cursor: str = "", mine=False, **criteria) -> CaseloadPage:
    """One page of « Mes ménages » after `cursor` (newest change first), in four queries
    whatever the caseload or the programme's size: the caseload's ids, the matches (count
    and order, capped; none when the caseload unfiltered is the match), the page's rows with
    their standing. `mine` is visible_household_ids(user) when the caller read it already."""
    cap, size = settings.CASELOAD_COUNT_CAP, settings.HOUSEHOLDS_PER_PAGE
    criteria = {k: v for k, v in criteria.items() if v}
    if mine is False:
        mine = visible_household_ids(user)
    ids = None if mine is None else [pk for _, pk in mine]
    households = Household.objects.filter(merged_into=None)
    if ids is not None:
        households = households.filter(pk__any_of=Ids(ids))
    households = _filtered(households, within=ids, **criteria)
    order = ("-updated_at", "-pk")
    # (stamp, id) pairs: the change time as an integer (core.keyset.Stamp), as `mine` has it.
    pairs = households.order_by(*order).values_list(Stamp("updated_at"), "pk")
    # Unfiltered, the caseload is the match: counted exactly, for free.
    matches = mine if mine is not None and not criteria else rows_of(pairs[: cap + 1])
    complete = matches is mine or len(matches) <= cap
    position = parse_cursor(cursor, kind=datetime)
    if position is None:
        window = matches[: size + 1]
    else:
        at = (stamp_of(position[0]), position[1])
        window = [match for match in matches if match < at][: size + 1]
    if not complete and len(window) <= size:  # beyond the capped matches: keyset in SQL
        if position is not None:
            pairs = pairs.filter(after("updated_at", *position, descending=True))
        window = rows_of(pairs[: size + 1])
    shown = window[:size]
    last = shown[-1] if shown else None
    return CaseloadPage(
        households=page_rows([pk for _, pk in shown]) if shown else [],
        count=len(matches) if complete else cap,
        count_exceeds=not complete,
        next_cursor=cursor_of(datetime_of(last[0]), last[1]) if len(window) > size else "",
        ids=ids,
    )


def referents_of(households: QuerySet | list[int]) -> QuerySet:
    """The referents of the active measures among `households` (a queryset or ids): the
    referent filter's choices. From ids, the caseload's actions are read first, then their
    measures by action (`= ANY(ARRAY(…))`): a few thousand index reads, where a join would
    read every active measure of the programme."""
    if isinstance(households, list):
        actions = Action.objects.filter(household__pk__any_of=Ids(households)).order_by()
        of_households = Q(action__pk__any_array=actions.values("pk"))
    else:
        of_households = Q(action__household__in=households.values("pk"))
    measures = SupportMeasure.objects.filter(of_households, status=MeasureStatus.ACTIVE)
    return User.objects.filter(Q(pk__in=measures.values("referent"))).order_by(
        "last_name", "first_name"
    )


def referent_choices(user: User, ids: list[int] | None) -> list[tuple[int, str]]:
    """The referent filter's choices for `user`, whose caseload is `ids` (None: the whole
    programme): (id, name) of referents_of it, read at most REFERENT_CHOICES_SECONDS ago for
    the same partner (kept in the web process's memory)."""
    cache = caches["pages"]
    key = f"referents:{'all' if ids is None else user.partner.group_id}"
    choices = cache.get(key)
    if choices is None:
        referents = referents_of(Household.objects.all() if ids is None else ids)
        choices = [(referent.pk, str(referent)) for referent in referents]
        cache.set(key, choices, settings.REFERENT_CHOICES_SECONDS)
    return choices
