from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.keyset import after, cursor_of, parse_cursor
from households import services
from households.duplicates import SIMILAR_ELSEWHERE, DuplicateSuspected, find_similar
from households.forms import (
    AccessLogFilterForm,
    DiagnosticForm,
    DuplicateConfirmForm,
    HouseholdForm,
    HouseholdMemberFormSet,
    HouseholdMergeForm,
    LandlordChangeForm,
    members_data,
)
from households.merge import household_merge, household_relations
from households.models import AccessLogEntry, Household, HousingStatus
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    ensure_can_change_landlord,
    ensure_can_correct_diagnostic,
    ensure_can_create_household,
    ensure_can_merge_households,
    ensure_can_read_access_log,
    get_household_or_404,
)


def _household_page(request, form, formset, household, **extra) -> HttpResponse:
    context = {
        "form": form,
        "formset": formset,
        "all_forms": [form, formset],
        "household": household,
        **extra,
    }
    return render(request, "households/form.html", context)


@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    ensure_can_create_household(request.user)
    if request.user.is_cesf:
        initial = {"landlord": request.user.partner, "housing_status": HousingStatus.TENANT}
    else:
        initial = {"housing_status": HousingStatus.APPLICANT}
    form = HouseholdForm(request.POST or None, initial=initial)
    formset = HouseholdMemberFormSet(request.POST or None, prefix="members")
    confirm = DuplicateConfirmForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid() and formset.is_valid() and confirm.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            household = services.household_create(
                by=request.user,
                data=data,
                members=members_data(formset),
                confirm_duplicate=confirm.cleaned_data["confirm_duplicate"],
                ask_coordination=confirm.cleaned_data["ask_coordination"],
            )
        except DuplicateSuspected as suspected:
            # The confirmation step: the similar files the user may see (a list read of
            # them), and for the others the one sentence (households.duplicates).
            duplicates = suspected.report
            access_log_reads(request, (item.household.pk for item in duplicates.visible))
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Le dossier {household.reference} est ouvert.")
            return redirect("households:detail", pk=household.pk)
    return _household_page(
        request,
        form,
        formset,
        None,
        confirm=confirm,
        duplicates=duplicates,
        similar_elsewhere=SIMILAR_ELSEWHERE,
    )


@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_or_404(request, pk, HouseholdAction.EDIT)
    form = HouseholdForm(request.POST or None, instance=household)
    formset = HouseholdMemberFormSet(request.POST or None, instance=household, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.household_update(
                household=household,
                by=request.user,
                data=data,
                expected_version=form.cleaned_data["version"] or 0,
                members=members_data(formset),
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Les modifications sont enregistrées.")
            return redirect("households:detail", pk=household.pk)
    return _household_page(request, form, formset, household)


@require_http_methods(["GET", "POST"])
def household_landlord_change(request: HttpRequest, pk: int) -> HttpResponse:
    """« Changer de bailleur »: a transfer or a correction, with its reason."""
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    ensure_can_change_landlord(request.user, household)
    form = LandlordChangeForm(request.POST or None, household=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_landlord_change(
                household=household,
                by=request.user,
                kind=form.cleaned_data["kind"],
                landlord=form.cleaned_data["landlord"],
                reason=form.cleaned_data["reason"],
                dwelling=form.dwelling(),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Le changement de bailleur est enregistré.")
            if Household.objects.visible_to(request.user).filter(pk=household.pk).exists():
                return redirect("households:detail", pk=household.pk)
            return redirect("households:list")
    return render(request, "households/landlord_form.html", {"form": form, "household": household})


def _diagnostic_page(request, household, form, diagnostic=None, refusal=None):
    return render(
        request,
        "households/diagnostic_form.html",
        {
            "form": form,
            "household": household,
            "diagnostic": diagnostic,
            "refusal": refusal,
            "figures": form.instance if diagnostic and not form.is_bound else form.preview(),
            "thresholds": _thresholds(),
        },
    )


def _thresholds() -> dict:
    return {
        "effort": settings.DIAGNOSTIC_EFFORT_RATE_THRESHOLD,
        "energy": settings.DIAGNOSTIC_ENERGY_EFFORT_RATE_THRESHOLD,
    }


@require_http_methods(["GET", "POST"])
def diagnostic_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_or_404(request, pk, HouseholdAction.WRITE_DIAGNOSTIC)
    initial = {"persons": max(household.members.filter(left_on=None).count(), 1)}
    form = DiagnosticForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.diagnostic_create(household=household, by=request.user, data=data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Le diagnostic est enregistré.")
            return redirect("households:detail", pk=household.pk)
    return _diagnostic_page(request, household, form)


@require_http_methods(["GET", "POST"])
def diagnostic_edit(request: HttpRequest, pk: int, diagnostic_pk: int) -> HttpResponse:
    """« Corriger le diagnostic »: until a decision rests on it; then the page says which,
    and offers to write a new one."""
    household = get_household_or_404(request, pk, HouseholdAction.WRITE_DIAGNOSTIC)
    diagnostic = get_object_or_404(household.diagnostics, pk=diagnostic_pk)
    ensure_can_correct_diagnostic(request.user, diagnostic)
    refusal = services.diagnostic_used_in(diagnostic)
    form = DiagnosticForm(request.POST or None, instance=diagnostic)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            services.diagnostic_update(
                diagnostic=diagnostic, by=request.user, data=data, expected_version=version
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Le diagnostic est corrigé.")
            return redirect("households:detail", pk=household.pk)
    return _diagnostic_page(request, household, form, diagnostic, refusal)


@require_POST
def diagnostic_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The running totals and figures of the diagnostic being typed (htmx): computed by the
    model from what the form holds so far, nothing saved."""
    get_household_or_404(request, pk, HouseholdAction.WRITE_DIAGNOSTIC)
    form = DiagnosticForm(request.POST)
    return render(
        request,
        "households/_diagnostic_figures.html",
        {"figures": form.preview(), "thresholds": _thresholds()},
    )


ACCESS_LOG_PAGE = 100


@dataclass
class AccessLogPage:
    object_list: list[AccessLogEntry]

    def __iter__(self):
        return iter(self.object_list)


def access_log(request: HttpRequest) -> HttpResponse:
    """The access log, readable by coordinators only, filtered by user, partner, household,
    action and period. It grows with every page read (one entry per household shown), so it
    is counted up to CASELOAD_COUNT_CAP only (« plus de … ») and paged by keyset on
    (at, id), newest first: no OFFSET, the hundredth page costs what the first does."""
    ensure_can_read_access_log(request.user)
    filters = AccessLogFilterForm(request.GET or None)
    entries = AccessLogEntry.objects.all()
    if filters.is_bound:
        # Filters that do not make sense show their error, and no entry rather than all.
        entries = filters.filter(entries) if filters.is_valid() else entries.none()
    cap = settings.CASELOAD_COUNT_CAP
    count = entries.order_by()[: cap + 1].count()
    position = parse_cursor(request.GET.get("apres", ""), kind=datetime)
    if position is not None:
        entries = entries.filter(after("at", *position, descending=True))
    window = list(
        entries.select_related("user", "partner", "household").order_by("-at", "-pk")[
            : ACCESS_LOG_PAGE + 1
        ]
    )
    shown = window[:ACCESS_LOG_PAGE]
    return render(
        request,
        "households/access_log.html",
        {
            "page": AccessLogPage(shown),
            "count": min(count, cap),
            "count_exceeds": count > cap,
            "next_cursor": (
                cursor_of(shown[-1].at, shown[-1].pk) if len(window) > ACCESS_LOG_PAGE else ""
            ),
            "paged": position is not None,
            "filters": filters,
            "refusals_per_minute": settings.ACCESS_REFUSALS_PER_MINUTE,
        },
    )


def _similar_to(household: Household):
    """The files similar to an existing one, as if it were being opened now."""
    data = {
        name: getattr(household, name)
        for name in ("name", "tenant_number", "landlord", "address", "postcode", "city")
    }
    members = list(household.members.values("last_name", "birth_date"))
    return find_similar(data, members, exclude=household.pk)


def _moving(merged: Household) -> list[tuple[str, int]]:
    """What a merge would move from `merged`: (kind of record, how many), one query each."""
    counts = []
    for relation in household_relations():
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: merged}).count()
        if count:
            counts.append((str(model._meta.verbose_name_plural), count))
    return counts


@require_http_methods(["GET", "POST"])
def household_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """« Fusionner » (coordination): name the other file of the same household, choose the
    one kept, give the reason, then confirm what will be moved (households.merge)."""
    household = get_household_or_404(request, pk, HouseholdAction.VIEW)
    ensure_can_merge_households(request.user)
    form = HouseholdMergeForm(request.POST or None, household=household)
    step = "choose"
    kept = merged = None
    if request.method == "POST" and form.is_valid():
        kept, merged = form.pair()
        versions = f"{kept.version},{merged.version}"
        if form.cleaned_data["confirmed"] and form.cleaned_data["versions"]:
            try:
                read = tuple(int(v) for v in form.cleaned_data["versions"].split(","))
            except ValueError:
                read = None
            try:
                household_merge(
                    kept=kept,
                    merged=merged,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_versions=read,
                )
            except DomainError as error:
                # Back to the first step: the next submit shows the confirmation again.
                data = request.POST.copy()
                data.pop("confirmed", None)
                form = HouseholdMergeForm(data, household=household)
                form.is_valid()
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request, f"Le dossier {merged.reference} est fusionné dans {kept.reference}."
                )
                return redirect("households:detail", pk=kept.pk)
        else:
            step = "confirm"
            form = HouseholdMergeForm(
                {**request.POST.dict(), "confirmed": "on", "versions": versions},
                household=household,
            )
            form.is_valid()
    similar = _similar_to(household) if step == "choose" else []
    return render(
        request,
        "households/merge_form.html",
        {
            "household": household,
            "form": form,
            "step": step,
            "kept": kept,
            "merged": merged,
            "moving": _moving(merged) if step == "confirm" else [],
            "similar": similar,
        },
    )
