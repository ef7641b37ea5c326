"""The household page's pieces that change only when the case does — its history (the
documents' events aside: they depend on who reads), its workflow and who is involved in it
(the partners themselves read afresh: one that leaves shows at once) — kept in the web
process's own memory (the `pages` cache: nothing of a case leaves the process), keyed by
the case's last recorded change (cases.exports.last_change) and the day (the workflow lists
what is due from today); and its diagnostics with why each can no longer be corrected.

Every change a page shows writes a history row of its record, so a change moves the key and
the next page reads the case again; an entry also expires after CASE_PAGE_CACHE_SECONDS, so
that a name changed elsewhere (a partner, a user) shows within that time."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from cases.exports import last_change
from cases.history import HistoryEvent, case_history, document_events
from cases.timeline import CaseWorkflow, case_workflow
from households.involvement import PartnerInvolvement, involvement_of, involvements_of
from households.models import Diagnostic, Household
from households.services import diagnostics_used_in

# Bumped when what is kept changes shape: entries of an older layout are not read.
LAYOUT = 1


def case_mark(household: Household) -> str:
    """Where the case stands (one query) and the day: what the kept pieces are keyed by."""
    parts = [household.pk, last_change(household), timezone.localdate(), LAYOUT]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def _kept(household: Household, mark: str, name: str, compute):
    cache = caches["pages"]
    key = f"case:{household.pk}:{name}:{mark}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.CASE_PAGE_CACHE_SECONDS)
    return value


def kept_history(household: Household, user, mark: str) -> list[HistoryEvent]:
    """case_history(household, user), its records' part read once per state of the case."""
    events = _kept(household, mark, "history", lambda: case_history(household))
    # A document added or removed writes its history row: the mark moves with it.
    has_documents = _kept(household, mark, "has_documents", household.documents.exists)
    mine = document_events(household, user) if has_documents else []
    if not mine:
        return events
    return sorted([*events, *mine], key=lambda event: event.at, reverse=True)


def kept_workflow(household: Household, mark: str) -> CaseWorkflow:
    """case_workflow(household), read once per state of the case and day."""
    return _kept(household, mark, "workflow", lambda: case_workflow(household))


def kept_involvement(household: Household, mark: str) -> list[PartnerInvolvement]:
    """involvement_of(household), its involvements read once per state of the case and day."""
    found = _kept(household, mark, "involvement", lambda: involvements_of(household))
    return involvement_of(household, found=found)


def kept_diagnostics(household: Household, mark: str) -> list[Diagnostic]:
    """The household's diagnostics with their authors, read once per state of the case."""
    return _kept(
        household,
        mark,
        "diagnostics",
        lambda: list(household.diagnostics.select_related("author", "author_partner")),
    )


def kept_diagnostics_used(household: Household, mark: str, diagnostics) -> dict[int, str]:
    """Why each of the household's `diagnostics` can no longer be corrected
    (households.services.diagnostics_used_in: the orientations and co-decisions resting on
    it, which are the case's records), read once per state of the case: asked only when
    the reader may correct one."""
    return _kept(household, mark, "diagnostics_used", lambda: diagnostics_used_in(diagnostics))
