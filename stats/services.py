"""The coordination's writes on the statistics: the year's report text, and asking for the
annual report, generated in the background (stats.tasks) and stored."""

from django.db import transaction

from core.errors import DomainError
from core.history import save_with_history
from core.locking import locked
from core.queue import enqueue_on_commit
from partners.models import User
from stats.models import AnnualReport, ReportStatus, ReportText
from stats.permissions import ensure_can_write_report
from stats.tasks import report_generate_task

TEXT_MAX = 20000


@transaction.atomic
def report_text_save(
    *, by: User, year: int, text: str, expected_version: int | None = None
) -> ReportText:
    """The coordination's text for the year; each version is kept in the history."""
    ensure_can_write_report(by)
    if len(text) > TEXT_MAX:
        raise DomainError(f"Le texte du bilan compte au plus {TEXT_MAX} caractères.", field="text")
    current = ReportText.objects.filter(year=year).first()
    if current is None:
        if expected_version not in (None, 0):
            raise DomainError(
                "Ce texte a été supprimé entre-temps. Rechargez la page.", field="text"
            )
        report_text = ReportText(year=year, text=text, updated_by=by)
        save_with_history(report_text, by=by, reason="Texte du bilan rédigé")
        return report_text
    report_text = locked(ReportText, current.pk, expected_version)
    report_text.text, report_text.updated_by = text, by
    report_text.version += 1
    save_with_history(report_text, by=by, reason="Texte du bilan modifié")
    return report_text


@transaction.atomic
def report_request(*, by: User, year: int) -> AnnualReport:
    """Ask for the year's report; a worker makes it once the request is saved."""
    ensure_can_write_report(by)
    waiting = AnnualReport.objects.filter(
        year=year, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).first()
    if waiting is not None:
        return waiting
    report = AnnualReport.objects.create(year=year, requested_by=by)
    enqueue_on_commit(report_generate_task, report.pk)
    return report
