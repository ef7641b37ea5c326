"""A page's list of the latest rows: what a worker reads first, the rest one link away, so
that a case with years of follow-ups costs its page what a young one does."""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Latest:
    rows: list
    total: int

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def first_of(rows: list, shown: int, *, everything: bool = False) -> Latest:
    """The first `shown` of rows already read (a history built in Python)."""
    return Latest(rows if everything else rows[:shown], len(rows))


def latest(queryset: QuerySet, shown: int, *, everything: bool = False) -> Latest:
    """The first `shown` rows of an ordered queryset and how many there are in all: one query
    when they all fit, a count more when they do not; every row when `everything`."""
    if everything:
        rows = list(queryset)
        return Latest(rows, len(rows))
    rows = list(queryset[: shown + 1])
    if len(rows) <= shown:
        return Latest(rows, len(rows))
    return Latest(rows[:shown], queryset.count())
