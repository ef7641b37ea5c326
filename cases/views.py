"""The read side of a case: the household page with everything the workflow did, the case
summary as a PDF and the right-of-access export.

These pages keep their addresses and names under households/ (« menages/<pk>/… »,
households:detail): logement_toujours/urls.py mounts them in that namespace."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from actions.permissions import can_log_follow_up, can_orient
from cases import privacy
from cases.history import case_history
from cases.summary import case_summary
from cases.timeline import case_workflow
from core.pdf import render_pdf
from households.permissions import (
    HouseholdAction,
    can,
    can_answer_right_of_access,
    ensure_can_answer_right_of_access,
    get_household_or_404,
)


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    context = {
        "household": household,
        "members": household.members.all(),
        "diagnostics": household.diagnostics.select_related("author", "author_partner"),
        "history": case_history(household),
        "workflow": case_workflow(household),
        "follow_ups": household.follow_ups.visible_to(request.user)
        .select_related("author", "author_partner")
        .order_by("-happened_on", "-pk"),
        "can_edit": can(request.user, HouseholdAction.EDIT, household),
        "can_diagnose": can(request.user, HouseholdAction.WRITE_DIAGNOSTIC, household),
        "can_orient": can_orient(request.user, household),
        "can_log_follow_up": can_log_follow_up(request.user, household),
        "can_export": can(request.user, HouseholdAction.EXPORT, household),
        "can_answer_right_of_access": can_answer_right_of_access(request.user),
    }
    return render(request, "cases/household_detail.html", context)


def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The case summary as a PDF: same access as the page, written to the access log."""
    household = get_household_or_404(request, pk, HouseholdAction.EXPORT)
    return summary_pdf_response(household, request.user)


def summary_pdf_response(household, user) -> HttpResponse:
    pdf = render_pdf("cases/case_summary.html", {"summary": case_summary(household, user)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{household.reference}.pdf"'
    return response


def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about a household, as JSON, for the coordination to hand over when
    the household asks (right of access); written to the access log as an export."""
    ensure_can_answer_right_of_access(request.user)
    household = get_household_or_404(request, pk, HouseholdAction.EXPORT)
    response = JsonResponse(
        privacy.subject_access_export(household),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{household.reference}-donnees.json"'
    return response
