"""The case summary off the request path: rendered by a Celery task on the `exports` queue,
kept as a file keyed by (household, its last change, version, exporter's partner, exporter),
so that a second download of an unchanged case is a file read.

The key moves with every recorded change of what the summary shows (each history row of the
household, its members, diagnostics, orientations, actions, co-decisions, measures and their
objectives, sliding leases and their reviews, procedure, outreach requests, appointments,
follow-ups and documents, landlord changes and the household's requests for its data, and
each document version), with the day (the summary lists what is planned and due from
today), with the summary's layout (SUMMARY_LAYOUT_VERSION) and with whoever exports it: the
PDF names its exporter and shows what that partner may see. Files older than
SUMMARY_CACHE_HOURS are removed when the same household's summary is rendered again, and
nightly. The household page keys its history and workflow on the same change
(cases.kept)."""

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from actions.models import (
    Action,
    Appointment,
    EvictionProcedure,
    FollowUp,
    LeaseReview,
    MeasureObjective,
    Orientation,
    OutreachRequest,
    SlidingLease,
    SupportMeasure,
)
from cases.history import historical
from cases.models import SubjectAccessRequest
from cases.summary import case_summary
from codecision.models import CoDecision
from core.keyset import written_once
from core.pdf import render_pdf
from core.queue import enqueue_on_commit
from documents.models import Document, DocumentVersion
from households.models import Diagnostic, Household, HouseholdMember, LandlordChange

# Bumped when the summary's template or contents change: older files are not served.
SUMMARY_LAYOUT_VERSION = 2
PENDING = ".pending"


def _last_history(model, **lookup) -> Subquery:
    rows = historical(model).objects.filter(**lookup).order_by("-history_id")
    return Subquery(rows.values("history_id")[:1])


def last_change(household: Household) -> str:
    """Where the case stands, in one query: the newest history row of each of its records."""
    return repr(_marks(household.pk))


def _marks_of(pk: int):
    here = OuterRef("pk")
    actions = Action.objects.filter(household_id=OuterRef(OuterRef("pk"))).values("pk")
    measures = SupportMeasure.objects.filter(action__household_id=OuterRef(OuterRef("pk"))).values(
        "pk"
    )
    leases = SlidingLease.objects.filter(action__household_id=OuterRef(OuterRef("pk"))).values("pk")
    marks = (
        Household.objects.filter(pk=pk)
        .annotate(
            mark_household=_last_history(Household, id=here),
            mark_members=_last_history(HouseholdMember, household_id=here),
            mark_diagnostics=_last_history(Diagnostic, household_id=here),
            mark_orientations=_last_history(Orientation, household_id=here),
            mark_actions=_last_history(Action, household_id=here),
            mark_codecisions=_last_history(CoDecision, household_id=here),
            mark_measures=_last_history(SupportMeasure, action_id__in=actions),
            mark_objectives=_last_history(MeasureObjective, measure_id__in=measures),
            mark_leases=_last_history(SlidingLease, action_id__in=actions),
            mark_reviews=_last_history(LeaseReview, lease_id__in=leases),
            mark_outreach=_last_history(OutreachRequest, household_id=here),
            mark_appointments=_last_history(Appointment, household_id=here),
            mark_procedure=_last_history(EvictionProcedure, household_id=here),
            mark_follow_ups=_last_history(FollowUp, household_id=here),
            mark_documents=_last_history(Document, household_id=here),
            mark_landlord_changes=_last_history(LandlordChange, household_id=here),
            mark_access_requests=_last_history(SubjectAccessRequest, household_id=here),
            mark_versions=Subquery(
                DocumentVersion.objects.filter(document__household_id=here)
                .order_by("-pk")
                .values("pk")[:1]
            ),
        )
        .values_list(
            "updated_at",
            "mark_household",
            "mark_members",
            "mark_diagnostics",
            "mark_orientations",
            "mark_actions",
            "mark_codecisions",
            "mark_measures",
            "mark_objectives",
            "mark_leases",
            "mark_reviews",
            "mark_outreach",
            "mark_appointments",
            "mark_procedure",
            "mark_follow_ups",
            "mark_documents",
            "mark_versions",
            "mark_landlord_changes",
            "mark_access_requests",
        )
        .order_by()[:1]
    )
    return marks


# Written by the ORM once per process (18 subqueries): it is read on every household page.
_marks = written_once(Household, _marks_of)


def summary_key(household: Household, user, version: str) -> str:
    parts = [
        household.pk,
        last_change(household),
        timezone.localdate(),
        version,
        user.partner.pk if user.partner else 0,
        user.pk,
        SUMMARY_LAYOUT_VERSION,
        settings.SUMMARY_JOURNAL_MAX,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def _directory(household_pk: int) -> Path:
    return Path(settings.SUMMARY_CACHE_DIR) / str(household_pk)


def summary_file(household_pk: int, key: str) -> Path:
    return _directory(household_pk) / f"{key}.pdf"


def summary_ready(household_pk: int, key: str) -> Path | None:
    path = summary_file(household_pk, key)
    return path if path.exists() else None


def summary_render(household: Household, user, version: str, key: str | None = None) -> Path:
    """Render the summary and keep it (written whole then renamed: a reader never sees half
    a file); older files of the household are removed."""
    key = key or summary_key(household, user, version)
    pdf = render_pdf(
        "cases/case_summary.html", {"summary": case_summary(household, user, version=version)}
    )
    directory = _directory(household.pk)
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    path = summary_file(household.pk, key)
    os.replace(temporary, path)
    (directory / f"{key}{PENDING}").unlink(missing_ok=True)
    _forget_old(directory)
    return path


def summary_request(household: Household, user, version: str) -> tuple[str, bool]:
    """(key, ready): a summary already kept is ready; otherwise its rendering is queued once
    (on the `exports` queue) and the page polls until it is."""
    key = summary_key(household, user, version)
    if summary_ready(household.pk, key):
        return key, True
    directory = _directory(household.pk)
    directory.mkdir(parents=True, exist_ok=True)
    pending = directory / f"{key}{PENDING}"
    stale = time.time() - settings.SUMMARY_RENDER_TIMEOUT_SECONDS
    if not pending.exists() or pending.stat().st_mtime < stale:
        pending.touch()
        from cases.tasks import render_summary  # the task calls this module

        enqueue_on_commit(render_summary, household.pk, user.pk, version)
    return key, False


def _forget_old(directory: Path) -> int:
    cutoff = time.time() - settings.SUMMARY_CACHE_HOURS * 3600
    removed = 0
    for path in directory.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def forget_old_summaries() -> int:
    """Nightly: the kept summaries older than SUMMARY_CACHE_HOURS (they hold personal data)."""
    root = Path(settings.SUMMARY_CACHE_DIR)
    if not root.exists():
        return 0
    return sum(_forget_old(directory) for directory in root.iterdir() if directory.is_dir())


def summaries_forget(household_pk: int) -> None:
    """The summaries kept of a household that is no more followed as such (merged into
    another file: its rows are the file kept's now, whose own summaries are keyed on its
    changes). They hold personal data: removed at once rather than at the nightly purge."""
    shutil.rmtree(_directory(household_pk), ignore_errors=True)
