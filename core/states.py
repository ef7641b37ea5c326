"""Declared state machines: the only way a status changes.

A model with a workflow status declares, next to its statuses, one table of the moves it
allows (`TRANSITIONS`: from a status — `None` for a new row — to the statuses it may reach).
`transition` checks the move against that table, sets the status and saves the row with its
history (who, when, why). Nothing else assigns a status: tests/core/test_states.py scans the
code for any other assignment, and checks every move recorded in the histories against the
tables.
"""

from collections.abc import Mapping

from django.db import models

from core.errors import DomainError
from core.history import save_with_history

Transitions = Mapping[str | None, frozenset[str]]


def allowed(model: type[models.Model], source: str | None, target: str) -> bool:
    """Whether the table of `model` allows moving from `source` (None: a new row) to `target`."""
    return target in model.TRANSITIONS.get(source, frozenset())


def initial_status(model: type[models.Model]) -> str:
    """The status a new row of `model` starts in (the single target of `None`)."""
    (status,) = model.TRANSITIONS[None]
    return status


def transition(obj: models.Model, to: str, *, by, reason: str) -> None:
    """Move `obj` to the status `to`, if its model's table allows it, and save it with who,
    when (the history date) and why. Staying in the same status is no move: the row is
    saved (an answer recorded, a field changed) with its reason."""
    model = type(obj)
    source = obj.status if obj.pk else None
    if source != to and not allowed(model, source, to):
        names = dict(model._meta.get_field("status").choices)
        raise DomainError(
            f"Passage impossible de « {names.get(source, 'nouveau')} » à « {names.get(to, to)} »."
        )
    obj.status = to
    save_with_history(obj, by=by, reason=reason)
