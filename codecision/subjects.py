"""What a co-decision decides on, as the app that opened it describes it for the pages.

A co-decision knows its household, the action kind proposed and its two parties, not the
action it would start nor the measure it would renew. The app that keeps that link (actions)
registers a describer in its wiring.py; the co-decision page shows the links and
facts the describers give (« Suivi de l'action », « Mesure : … »)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from codecision.models import CoDecision


@dataclass
class Subject:
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (term, value)


_describers: list[Callable[[CoDecision, Subject], None]] = []


def register(describer: Callable[[CoDecision, Subject], None]) -> None:
    """`describer(codecision, subject)` adds what it knows of the co-decision's subject."""
    if describer not in _describers:
        _describers.append(describer)


def describe(codecision: CoDecision) -> Subject:
    subject = Subject()
    for describer in _describers:
        describer(codecision, subject)
    return subject
