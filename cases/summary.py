"""What a household's PDF case summary holds, for the user who exports it.

A fixed number of queries whatever the case's length; confidential follow-ups and documents
appear only in the internal version, for the author's partner. Documents by title only.
Appointments by kind, date, time and state: their place and subject stay on the pages."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from actions.models import AppointmentStatus
from cases.timeline import CaseWorkflow, case_workflow
from households.models import Household, SchemeStatus


class SummaryVersion(models.TextChoices):
    """Who the PDF is for. The partners' version (the default) goes to other partners, the
    CCAPEX or the judge: no confidential note at all. The internal version keeps the notes
    confidential to the exporter's own partner, as its pages show them."""

    PARTNERS = "partenaires", "Version pour les partenaires (sans notes confidentielles)"
    INTERNAL = (
        "interne",
        "Version interne complète (avec les notes confidentielles de ma structure)",
    )


@dataclass
class Procedure:
    stages: list  # (label, date) of each stage recorded, in the procedure's order
    court: str


@dataclass
class CaseSummary:
    household: Household
    members: list
    diagnostic: object
    workflow: CaseWorkflow
    follow_ups: list
    documents: list
    exported_by: object
    exported_at: object
    version: str = SummaryVersion.PARTNERS
    procedures: list | None = None
    upcoming_deadlines: list | None = None
    schemes: list | None = None  # (action pk, ["FSL : accordé", …]) for actions that have some
    appointments: list | None = None  # planned from today, and those held (not the cancelled)
    follow_ups_total: int = 0  # all the journal's follow-ups, shown or not

    @property
    def diagnostic_schemes(self) -> list[str]:
        """The support schemes the latest diagnostic records as asked for, before any action
        tracks them (a case referred to the CCAPEX has no action yet)."""
        diagnostic = self.diagnostic
        if diagnostic is None:
            return []
        return [
            f"{label} : {display().lower()}"
            for label, value, display in (
                ("FSL", diagnostic.fsl_status, diagnostic.get_fsl_status_display),
                (
                    "surendettement",
                    diagnostic.overindebtedness_status,
                    diagnostic.get_overindebtedness_status_display,
                ),
                (
                    "plan d'apurement",
                    diagnostic.repayment_plan_status,
                    diagnostic.get_repayment_plan_status_display,
                ),
            )
            if value != SchemeStatus.NONE
        ]

    @property
    def journal_truncated(self) -> bool:
        return self.follow_ups_total > len(self.follow_ups)

    @property
    def version_label(self) -> str:
        return SummaryVersion(self.version).label


def _procedures(workflow: CaseWorkflow) -> list[Procedure]:
    """The household's one procedure, whatever its action (or none)."""
    procedure = workflow.procedure
    if procedure is None:
        return []
    stages = [
        (str(field.verbose_name), getattr(procedure, field.name))
        for field in type(procedure)._meta.get_fields()
        if isinstance(field, models.DateField) and getattr(procedure, field.name, None)
    ]
    return [Procedure(stages=stages, court=procedure.court)]


def _schemes(workflow: CaseWorkflow) -> list[tuple[int, list[str]]]:
    """The support schemes each action asked for: FSL, over-indebtedness, repayment plan."""
    found = []
    for action in workflow.actions:
        schemes = [
            f"{label} : {display().lower()}"
            for label, value, display in (
                ("FSL", action.fsl_status, action.get_fsl_status_display),
                (
                    "surendettement",
                    action.overindebtedness_status,
                    action.get_overindebtedness_status_display,
                ),
            )
            if value != SchemeStatus.NONE
        ]
        if action.repayment_plan_monthly:
            start = (
                f" depuis le {action.repayment_plan_start:%d/%m/%Y}"
                if action.repayment_plan_start
                else ""
            )
            monthly = f"{action.repayment_plan_monthly:.2f}".replace(".", ",")
            schemes.append(f"plan d'apurement : {monthly} € par mois{start}")
        if schemes:
            found.append((action.pk, schemes))
    return found


def case_summary(
    household: Household, user, *, version: str = SummaryVersion.PARTNERS
) -> CaseSummary:
    follow_ups = household.follow_ups.visible_to(user)
    documents = household.documents.live().visible_to(user)
    if version != SummaryVersion.INTERNAL:
        follow_ups = follow_ups.filter(confidential=False)
        documents = documents.filter(confidential=False)
    workflow = case_workflow(household)
    today = timezone.localdate()
    return CaseSummary(
        household=household,
        members=list(household.members.all()),
        diagnostic=household.diagnostics.select_related("author", "author_partner").first(),
        workflow=workflow,
        # The latest SUMMARY_JOURNAL_MAX, oldest first; the full journal is its own export.
        follow_ups=list(
            reversed(
                follow_ups.select_related("author", "author_partner").order_by(
                    "-happened_on", "-pk"
                )[: settings.SUMMARY_JOURNAL_MAX]
            )
        ),
        follow_ups_total=follow_ups.count(),
        documents=list(documents.select_related("author_partner").order_by("dated_on", "pk")),
        exported_by=user,
        exported_at=timezone.localtime(),
        version=version,
        procedures=_procedures(workflow),
        upcoming_deadlines=[d for d in workflow.deadlines if d.on >= today],
        schemes=_schemes(workflow),
        appointments=list(
            household.appointments.exclude(status=AppointmentStatus.CANCELLED)
            .exclude(status=AppointmentStatus.PLANNED, on__lt=today)
            .order_by("on", "at", "pk")
        ),
    )
