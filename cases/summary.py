"""What a household's PDF case summary holds, for the user who exports it.

A fixed number of queries whatever the case's length; confidential follow-ups appear only
for the author's partner, exactly as on the pages."""

from dataclasses import dataclass

from django.utils import timezone

from cases.timeline import CaseWorkflow, case_workflow
from households.models import Household


@dataclass
class CaseSummary:
    household: Household
    members: list
    diagnostic: object
    workflow: CaseWorkflow
    follow_ups: list
    exported_by: object
    exported_at: object


def case_summary(household: Household, user) -> CaseSummary:
    return CaseSummary(
        household=household,
        members=list(household.members.all()),
        diagnostic=household.diagnostics.select_related("author", "author_partner").first(),
        workflow=case_workflow(household),
        follow_ups=list(
            household.follow_ups.visible_to(user)
            .select_related("author", "author_partner")
            .order_by("happened_on", "pk")
        ),
        exported_by=user,
        exported_at=timezone.localtime(),
    )
