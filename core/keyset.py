"""Keyset pagination: a page is what comes after the last row shown, never an OFFSET, so
that the hundredth page costs what the first does. A cursor is « <value>.<id> » where the
value is an ISO date or date-time; a cursor typed by hand that does not parse is the first
page."""

from datetime import date, datetime

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

MAX_ID = 2**63 - 1


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
