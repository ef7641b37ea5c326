"""The read side of a case: the household page with everything the workflow did, the case
summary as a PDF, and a household's requests for its data with their export.

These pages keep their addresses and names under households/ (« menages/<pk>/… »,
households:detail): logement_toujours/urls.py mounts them in that namespace."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.models import ActionStatus
from actions.permissions import can_log_follow_up, can_orient, can_request_outreach
from cases import services
from cases.caseload import caseload, referents_of
from cases.forms import CaseloadFilterForm, SubjectAccessRequestForm
from cases.history import case_history
from cases.privacy import subject_access_archive
from cases.summary import SummaryVersion, case_summary
from cases.timeline import case_workflow
from core.errors import DomainError
from core.pdf import render_pdf
from documents.permissions import can_add_document
from households.involvement import involvement_of
from households.models import AccessAction, ActionKind, Household, HousingStatus
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    can,
    can_answer_right_of_access,
    can_change_landlord,
    can_create_household,
    ensure_can_answer_right_of_access,
    ensure_can_open_caseload,
    get_household_or_404,
)
from partners.models import Partner


def household_list(request: HttpRequest) -> HttpResponse:
    """« Mes ménages »: the caseload, searchable and filtered, with where each case stands;
    paginated; the households of the page shown are written to the access log (one insert)."""
    ensure_can_open_caseload(request.user)
    referents = referents_of(Household.objects.visible_to(request.user))
    filters = CaseloadFilterForm(request.GET or None, referents=referents)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    households = caseload(request.user, **{k: v for k, v in criteria.items() if v})
    page = Paginator(households, settings.HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    referent_names = {user.pk: str(user) for user in referents}
    for household in page:
        household.case_state = _case_state(household)
        household.current_action = (
            ActionKind(household.current_action_kind).label.split(" — ")[0]
            if household.current_action_kind
            else ""
        )
        household.referent_name = referent_names.get(household.measure_referent, "")
    access_log_reads(request, (household.pk for household in page))
    context = {
        "page": page,
        "filters": filters,
        "filter_values": {name: request.GET.get(name, "") for name in filters.fields},
        "housing_statuses": HousingStatus.choices,
        "landlords": Partner.objects.landlords().values_list("pk", "name"),
        "kinds": ActionKind.choices,
        "referents": [(user.pk, str(user)) for user in referents],
        "can_create": can_create_household(request.user),
    }
    template = "households/_household_table.html" if request.htmx else "households/list.html"
    return render(request, template, context)


def _case_state(household) -> str:
    if household.measure_ends_on:
        return "Mesure en cours"
    if household.current_action_status == ActionStatus.IN_CODECISION:
        return "En co-décision"
    if household.current_action_status == ActionStatus.IN_PROGRESS:
        return "Action en cours"
    return "Sans action en cours"


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    can_answer = can_answer_right_of_access(request.user)
    context = {
        "household": household,
        "members": household.members.all(),
        "diagnostics": household.diagnostics.select_related("author", "author_partner"),
        "history": case_history(household, request.user),
        "involved": involvement_of(household),
        "grace_days": settings.INVOLVEMENT_GRACE_DAYS,
        "workflow": case_workflow(household),
        "follow_ups": household.follow_ups.visible_to(request.user)
        .select_related("author", "author_partner")
        .order_by("-happened_on", "-pk"),
        "can_edit": can(request.user, HouseholdAction.EDIT, household),
        "can_diagnose": can(request.user, HouseholdAction.WRITE_DIAGNOSTIC, household),
        "can_orient": can_orient(request.user, household),
        "can_request_outreach": can_request_outreach(request.user, household),
        "can_log_follow_up": can_log_follow_up(request.user, household),
        "can_add_document": can_add_document(request.user, household),
        "can_export": can(request.user, HouseholdAction.EXPORT, household),
        "summary_versions": SummaryVersion.choices,
        "can_change_landlord": can_change_landlord(request.user, household),
        "can_answer_right_of_access": can_answer,
        "access_requests": (
            household.access_requests.select_related("recorded_by", "exported_by")
            if can_answer
            else []
        ),
    }
    return render(request, "cases/household_detail.html", context)


def summary_version(request: HttpRequest) -> str:
    """The version asked for (`?version=partenaires` or `interne`); the partners' one when
    none is named. An unknown one is a 400."""
    version = request.GET.get("version") or SummaryVersion.PARTNERS
    if version not in SummaryVersion.values:
        raise SuspiciousOperation("Version de résumé inconnue.")
    return version


def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The case summary as a PDF: same access as the page; written to the access log with
    the version taken."""
    version = summary_version(request)
    household = get_household_or_404(
        request, pk, HouseholdAction.EXPORT, export_as=SUMMARY_LOG_ACTION[version]
    )
    return summary_pdf_response(household, request.user, version=version)


SUMMARY_LOG_ACTION = {
    SummaryVersion.PARTNERS: AccessAction.EXPORT,
    SummaryVersion.INTERNAL: AccessAction.EXPORT_INTERNAL,
}


def summary_pdf_response(household, user, *, version=SummaryVersion.PARTNERS) -> HttpResponse:
    summary = case_summary(household, user, version=version)
    pdf = render_pdf("cases/case_summary.html", {"summary": summary})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{household.reference}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def access_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a household's request for its data: who asked, when, on what basis."""
    ensure_can_answer_right_of_access(request.user)
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access_request = services.subject_access_request_create(
                household=household, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                "La demande d'accès est enregistrée : exportez les données pour le ménage "
                f"avant le {access_request.answer_by:%d/%m/%Y}.",
            )
            return redirect("households:detail", pk=household.pk)
    return render(request, "cases/access_request_form.html", {"form": form, "household": household})


def subject_access(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Everything held about a household, for one of its recorded requests (right of
    access): a zip of the JSON export and the files of its documents; written to the access
    log as an export, and on the request's history."""
    ensure_can_answer_right_of_access(request.user)
    household = get_household_or_404(request, pk, HouseholdAction.EXPORT)
    access_request = (
        household.access_requests.select_related("recorded_by").filter(pk=request_pk).first()
    )
    if access_request is None:
        raise Http404("Demande introuvable")
    export = services.subject_access_request_answer(request=access_request, by=request.user)
    response = HttpResponse(
        subject_access_archive(household, export), content_type="application/zip"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{household.reference}-donnees-{access_request.pk}.zip"'
    )
    return response
