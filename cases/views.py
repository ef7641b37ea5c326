"""The read side of a case: the household page with everything the workflow did, the case
summary as a PDF, and a household's requests for its data with their export.

These pages keep their addresses and names under households/ (« menages/<pk>/… »,
households:detail): logement_toujours/urls.py mounts them in that namespace."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.models import ActionStatus
from actions.permissions import (
    can_log_follow_up,
    can_orient,
    can_plan_appointment,
    can_request_outreach,
)
from actions.services import orientation_refusal
from cases import exports, services
from cases.agenda import AgendaGroup, agenda, filter_items, grouped, week_end
from cases.caseload import caseload_page, next_deadline, referent_choices
from cases.feed import calendar_of, feed_items
from cases.forms import AgendaFilterForm, CaseloadFilterForm, SubjectAccessRequestForm
from cases.kept import (
    case_mark,
    kept_diagnostics,
    kept_diagnostics_used,
    kept_history,
    kept_involvement,
    kept_workflow,
)
from cases.permissions import can_answer_right_of_access, ensure_can_answer_right_of_access
from cases.privacy import subject_access_archive
from cases.summary import SummaryVersion
from core.addresses import address_for_each
from core.errors import DomainError
from core.lists import first_of, latest
from core.spreadsheets import safe_text
from core.text import clip
from documents.permissions import can_add_document
from households.models import AccessAction, ActionKind, Household, HousingStatus
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    can,
    can_change_landlord,
    can_create_household,
    can_merge_households,
    can_open_caseload,
    correctable_diagnostics,
    ensure_can,
    ensure_can_open_caseload,
    get_household_or_404,
    visible_household_ids,
)
from partners.models import CalendarFeed, Partner, User


def household_list(request: HttpRequest) -> HttpResponse:
    """« Mes ménages »: the caseload, searchable and filtered, with where each case stands;
    paged by keyset (`?apres=`), its cost following the caseload (cases.caseload); the
    households of the page shown are written to the access log (one insert)."""
    ensure_can_open_caseload(request.user)
    ids = visible_household_ids(request.user)
    referents = referent_choices(request.user, None if ids is None else [pk for _, pk in ids])
    # The chosen referent is read only when one is asked for.
    offered = User.objects.filter(pk__in=[pk for pk, _ in referents])
    filters = CaseloadFilterForm(request.GET or None, referents=offered)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    cursor = request.GET.get("apres", "")
    page = caseload_page(request.user, cursor=cursor, mine=ids, **criteria)
    # The rows' referents by name, those named since the filter's choices were read too.
    referent_names = dict(referents)
    unnamed = {h.measure_referent for h in page.households} - referent_names.keys() - {None}
    referent_names |= {pk: str(user) for pk, user in User.objects.in_bulk(unnamed).items()}
    links = address_for_each("households:detail", (h.pk for h in page.households))
    for household in page.households:
        household.link = links[household.pk]
        household.conclusion_excerpt = clip(household.latest_conclusion or "", 90)
        household.next_deadline = next_deadline(household)
        household.case_state = _case_state(household)
        household.current_action = (
            ActionKind(household.current_action_kind).label.split(" — ")[0]
            if household.current_action_kind
            else ""
        )
        household.referent_name = referent_names.get(household.measure_referent, "")
    access_log_reads(request, (household.pk for household in page.households))
    # The pages' links keep the filters through Django's {% querystring %}
    # (_keyset_pagination.html).
    context = {
        "page": page,
        "households": page.households,
        "paged": bool(cursor),
        "filters": filters,
        "filter_values": {name: request.GET.get(name, "") for name in filters.fields},
        "housing_statuses": HousingStatus.choices,
        # (id, name, chosen) of each choice: the page is the most used, its selects long.
        "landlords": _options(
            Partner.objects.landlords().values_list("pk", "name"), "landlord", request
        ),
        "kinds": ActionKind.choices,
        "referents": _options(referents, "referent", request),
        "can_create": can_create_household(request.user),
    }
    template = "households/_household_table.html" if request.htmx else "households/list.html"
    return render(request, template, context)


def _options(choices, name: str, request: HttpRequest) -> list[tuple[int, str, bool]]:
    chosen = request.GET.get(name, "")
    return [(pk, label, str(pk) == chosen) for pk, label in choices]


def _case_state(household) -> str:
    if household.measure_ends_on:
        return "Mesure en cours"
    if household.current_action_status == ActionStatus.IN_CODECISION:
        return "En co-décision"
    if household.current_action_status == ActionStatus.IN_PROGRESS:
        return "Action en cours"
    return "Sans action en cours"


def _diagnostics(user, household, mark: str) -> list:
    """The household's diagnostics, each with whether `user` may correct it, or why not
    (read once per state of the case: cases.kept)."""
    diagnostics = kept_diagnostics(household, mark)
    correctable = correctable_diagnostics(user, household, diagnostics)
    used = kept_diagnostics_used(household, mark, diagnostics) if correctable else {}
    for diagnostic in diagnostics:
        diagnostic.correctable = diagnostic.pk in correctable
        diagnostic.correction_refused = used.get(diagnostic.pk) if diagnostic.correctable else None
    return diagnostics


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    can_answer = can_answer_right_of_access(request.user)
    mark = case_mark(household)
    context = {
        "household": household,
        "members": household.members.all(),
        "diagnostics": _diagnostics(request.user, household, mark),
        "history": first_of(
            kept_history(household, request.user, mark),
            settings.HISTORY_SHOWN,
            everything=request.GET.get("historique") == "tout",
        ),
        "involved": kept_involvement(household, mark),
        "grace_days": settings.INVOLVEMENT_GRACE_DAYS,
        "workflow": kept_workflow(household, mark),
        "journal": latest(
            household.follow_ups.visible_to(request.user)
            .select_related("author", "author_partner")
            .order_by("-happened_on", "-pk"),
            settings.FOLLOW_UPS_SHOWN,
            everything=request.GET.get("suivis") == "tous",
        ),
        "can_edit": can(request.user, HouseholdAction.EDIT, household),
        "can_diagnose": can(request.user, HouseholdAction.WRITE_DIAGNOSTIC, household),
        "can_orient": can_orient(request.user, household),
        "orientation_refusal": orientation_refusal(request.user, household),
        "can_request_outreach": can_request_outreach(request.user, household),
        "can_log_follow_up": can_log_follow_up(request.user, household),
        "can_plan_appointment": can_plan_appointment(request.user, household),
        "appointments": household.appointments.select_related("follow_up")
        .prefetch_related("participants")
        .order_by("-on", "-at", "-pk")[: settings.HOUSEHOLD_APPOINTMENTS_SHOWN],
        "can_add_document": can_add_document(request.user, household),
        "can_export": can(request.user, HouseholdAction.EXPORT, household),
        "summary_versions": SummaryVersion.choices,
        "can_change_landlord": can_change_landlord(request.user, household),
        "can_merge": can_merge_households(request.user) and household.merged_into_id is None,
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
    """The summary's file: the one kept for this exporter and this state of the case if
    there is one (a file read), else rendered now and kept (cases.exports)."""
    key = exports.summary_key(household, user, version)
    path = exports.summary_ready(household.pk, key) or exports.summary_render(
        household, user, version, key
    )
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{household.reference}.pdf"'
    return response


def summary_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary asked for off the request path: its rendering is queued on the `exports`
    queue, the page polls (htmx, every second) and shows the download link once the file
    is ready; the download itself is what the access log records as an export."""
    version = summary_version(request)
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    ensure_can(request.user, HouseholdAction.EXPORT, household)
    _, ready = exports.summary_request(household, request.user, version)
    context = {
        "household": household,
        "version": version,
        "version_label": SummaryVersion(version).label,
        "ready": ready,
    }
    template = "cases/_summary_status.html" if request.htmx else "cases/summary_export.html"
    return render(request, template, context)


def summary_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary's file, written to the access log as an export of its version."""
    version = summary_version(request)
    household = get_household_or_404(
        request, pk, HouseholdAction.EXPORT, export_as=SUMMARY_LOG_ACTION[version]
    )
    return summary_pdf_response(household, request.user, version=version)


def journal_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's full journal (every follow-up the user may see), as a spreadsheet:
    the PDF summary shows only the latest SUMMARY_JOURNAL_MAX."""
    household = get_household_or_404(request, pk, HouseholdAction.EXPORT)
    follow_ups = (
        household.follow_ups.visible_to(request.user)
        .select_related("author", "author_partner")
        .order_by("happened_on", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{household.reference}-journal.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Date", "Type", "Auteur", "Partenaire", "Confidentiel", "Suivi", "Suite"])
    for follow_up in follow_ups.iterator(chunk_size=500):
        writer.writerow(
            [
                f"{follow_up.happened_on:%d/%m/%Y}",
                follow_up.get_kind_display(),
                safe_text(str(follow_up.author or "")),
                safe_text(str(follow_up.author_partner or "")),
                "oui" if follow_up.confidential else "non",
                safe_text(follow_up.summary),
                safe_text(follow_up.next_step or ""),
            ]
        )
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


# --- « Mes échéances » and its calendar feed ------------------------------------------------


def agenda_page(request: HttpRequest) -> HttpResponse:
    """Every dated thing of the user's caseload, grouped overdue / today / this week / later,
    filtered by type and household; the households shown are written to the access log."""
    ensure_can_open_caseload(request.user)
    today = timezone.localdate()
    items = agenda(request.user, today)
    household_ids = {item.household_id for item in items}
    names = dict(Household.objects.filter(pk__in=household_ids).values_list("pk", "name"))
    references = {item.household_id: item.reference for item in items}
    choices = sorted(
        ((pk, f"{references[pk]} — {names.get(pk, '')}") for pk in household_ids),
        key=lambda choice: choice[1],
    )
    filters = AgendaFilterForm(request.GET or None, households=choices)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    shown = filter_items(
        items, kinds=criteria.get("type") or (), household_id=criteria.get("menage")
    )
    if criteria.get("attention"):
        shown = [item for item in shown if item.attention]
    limit = settings.AGENDA_GROUP_LIMIT
    groups = [
        {
            "key": key,
            "label": AgendaGroup(key).label,
            "items": [
                {"item": item, "name": names.get(item.household_id, "")}
                for item in group_items[:limit]
            ],
            "hidden": max(0, len(group_items) - limit),
        }
        for key, group_items in grouped(shown, today).items()
    ]
    access_log_reads(
        request, (row["item"].household_id for group in groups for row in group["items"])
    )
    context = {
        "groups": groups,
        "filters": filters,
        "today": today,
        "week_end": week_end(today),
        "count": len(shown),
        "attention_count": sum(1 for item in shown if item.attention),
    }
    return render(request, "cases/agenda.html", context)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The user's agenda as an iCalendar feed, read by its secret address (no session: a
    calendar application polls it). Each fetch is written to the access log (the households
    it carries, the address without its secret) and dates the feed's last reading."""
    feed = CalendarFeed.objects.find(secret)
    if feed is None or not can_open_caseload(feed.user):
        raise Http404("Agenda introuvable")
    today = timezone.localdate()
    items = feed_items(agenda(feed.user, today), today)
    access_log_reads(
        request,
        (item.household_id for item in items),
        AccessAction.CALENDAR,
        user=feed.user,
        path=reverse("calendar_feed", args=["secret"]).replace("secret", "…"),
    )
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(calendar_of(items), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mes-echeances.ics"'
    return response
