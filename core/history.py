"""Saving a record with its history: who changed it and why (django-simple-history).

Every state change records who, when (the history date) and why, the whole reason, never
truncated (docs/DESIGN.md section 3). Services of every app save through this; a status
changes only through core.states.transition, which saves through it."""

from django.db import models


def save_with_history(obj: models.Model, *, by, reason: str = "") -> None:
    """Save `obj`, writing `by` and `reason` on the history row the save makes."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    obj.save()
