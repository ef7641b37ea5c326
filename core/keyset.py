"""Keyset pagination: a page is what comes after the last row shown, never an OFFSET, so
that the hundredth page costs what the first does. A cursor is « <value>.<id> » where the
value is an ISO date or date-time; a cursor typed by hand that does not parse is the first
page."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.db import connections, router
from django.db.models import BigIntegerField, Func, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

MAX_ID = 2**63 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class Stamp(Func):
    """A date-time as whole microseconds since 1970 (a bigint), exactly: what a list that
    materialises thousands of (date-time, id) pairs to page them in Python reads, because
    the database driver turns integers into Python values many times faster than it turns
    date-times (households.permissions.visible_household_ids)."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps « YYYY-MM-DD HH:MM:SS[.ffffff] » in UTC: the whole seconds (rounded
        # from the Julian day, a float), then the fraction's digits.
        template = (
            "(CAST(ROUND((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400)"
            " AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s || '.000000', 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def rows_of(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset read straight from the database cursor: for a
    list of thousands of plain values (ids, stamps), without the ORM's work on each row."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# No id is negative: this one stands for the argument while the ORM writes a query's SQL.
ARGUMENT = -4_611_686_018_427_387_847


def written_once(model, build: Callable[[int], QuerySet]) -> Callable[[int], tuple | None]:
    """A query the ORM writes once per process and database, then runs for any id: for a
    wide query (a dozen subqueries) read on every page, whose writing costs the ORM several
    times what the database takes to answer it. `build(pk)` gives the `values_list`
    queryset of `model` for one id; the function returned gives its first row (or None),
    read straight from the cursor."""
    written: dict[str, tuple] = {}

    def run(pk: int) -> tuple | None:
        alias = router.db_for_read(model)
        if alias not in written:
            written[alias] = build(ARGUMENT).using(alias).query.sql_with_params()
        sql, params = written[alias]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [pk if param == ARGUMENT else param for param in params])
            return cursor.fetchone()

    return run


def stamp_of(value: datetime) -> int:
    """The `Stamp` of a date-time, in Python (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - EPOCH) // MICROSECOND


def datetime_of(stamp: int) -> datetime:
    return EPOCH + stamp * MICROSECOND


def cursor_of(value: date | datetime, pk: int) -> str:
    return f"{value.isoformat()}.{pk}"


def parse_cursor(cursor: str, *, kind: type = datetime) -> tuple | None:
    """(value, id) from a cursor, or None for anything that is not one."""
    stamp, _, pk = (cursor or "")[:80].rpartition(".")
    try:
        value = parse_datetime(stamp) if kind is datetime else parse_date(stamp)
        number = int(pk)
    except (ValueError, TypeError):
        return None
    if value is None or not 0 < number <= MAX_ID:
        return None
    return value, number


def after(field: str, value, pk: int, *, descending: bool) -> Q:
    """The rows after (value, pk) in the order (field, pk), both descending or ascending.

    The bound on `field` alone (<= or >=) says the same as the OR below it, but PostgreSQL
    reads only it as an index condition: without it, an index scan starts at the first row
    and filters out every row before the cursor, and a deep page costs its depth."""
    op = "lt" if descending else "gt"
    bound = Q(**{f"{field}__{op}e": value})
    return bound & (Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))
