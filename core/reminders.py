"""Reminders: what a rule finds due, and the rules every app registers for the daily sweep.

Each app owns the rules about its own records (codecision: co-decisions waiting; actions:
measures, legal deadlines, lease reviews) and registers them in its wiring.py; the
daily sweep (notifications.sweep) runs every registered rule and sends what is due, once.

A rule is `rule(today, people) -> Iterator[list[Due]]`: it looks at the data as of `today`
with set-based queries (no query per record) and yields batches of `Due`, so that memory
stays flat whatever the number of records; `people` tells who works where
(partners.recipients.Recipients). Texts carry the household's reference, never a name: they
may go out by e-mail.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

logger = logging.getLogger(__name__)

CHUNK = 2000


@dataclass(frozen=True)
class Due:
    """A reminder a rule found due: for which object, of which kind, for which date."""

    kind: str
    object_type: str
    object_id: int
    due_on: date
    text: str
    recipients: frozenset[int]
    household_id: int | None = None
    link: str = ""
    # The reminder asks its recipients for something (an answer, a review, a follow-up):
    # its notification is a task, done when the thing is done (notifications.services).
    task: bool = False

    @property
    def key(self) -> tuple:
        return (self.kind, self.object_type, self.object_id, self.due_on)


Rule = Callable[..., Iterator[list[Due]]]
_rules: list[Rule] = []


def register(*rules: Rule) -> None:
    """Add rules to the daily sweep (each once, in the order registered)."""
    for rule in rules:
        if rule not in _rules:
            _rules.append(rule)


def rules() -> list[Rule]:
    return list(_rules)


def chunks(queryset, fields: list[str]) -> Iterator[list[dict]]:
    """Keyset pagination over a queryset ordered by pk: memory bounded by CHUNK rows."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).values(*fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def each_safely(what: str, record_id: int, compute: Callable[[], Any], default: Any) -> Any:
    """`compute()` for one record; if it fails (a date at the calendar's end, a value no rule
    foresaw), the failure is logged with the record's id and `default` returned, so that the
    sweep goes on for every other record."""
    try:
        return compute()
    except Exception:
        logger.exception("Reminder rule skipped %s #%s", what, record_id)
        return default
