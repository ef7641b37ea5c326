"""Action and support-measure pages: orient, track an action, carry a measure, log
follow-ups, and the coordinators' overview of active measures.

Objects are reached through their household (actions.permissions: 404 for outsiders,
logged); who may do what is said there; the rules are in actions.services.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from actions import forms, services
from actions.deadlines import (
    energy_truce_around,
    lease_deadlines,
    next_deadline,
    procedure_deadlines,
    procedure_warnings,
    winter_truce_around,
)
from actions.models import (
    ActionKind,
    ActionStatus,
    Appointment,
    EvictionProcedure,
    FollowUp,
    FollowUpKind,
    MeasureObjective,
    MeasureStatus,
    ObjectiveStatus,
    SupportMeasure,
)
from actions.permissions import (
    can_close_measure,
    can_log_follow_up,
    can_manage_dwellings,
    can_manage_measure,
    can_reduce_rent,
    can_track,
    can_track_procedure,
    ensure_can_close_measure,
    ensure_can_log_follow_up,
    ensure_can_manage_dwellings,
    ensure_can_orient,
    ensure_can_plan_appointment,
    ensure_can_reduce_rent,
    ensure_can_request_renewal,
    ensure_can_set_objectives,
    ensure_can_track,
    ensure_can_track_procedure,
    get_action_or_404,
    get_dwelling_or_404,
    get_measure_or_404,
    visible_dwellings,
    visible_measures,
)
from core.addresses import address_for_each
from core.errors import DomainError
from core.keyset import after, cursor_of, parse_cursor
from core.lists import latest
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    can,
    get_household_or_404,
)


def _apply_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Orientation ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def orientation_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_orient(request.user, household)
    form = forms.OrientationForm(request.POST or None, household=household, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            orientation = services.orientation_create(
                household=household,
                by=request.user,
                kind=data["kind"],
                association=data["association"],
                landlord=data.get("landlord"),
                diagnostic=data.get("diagnostic"),
                reason=data["reason"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "L'orientation est enregistrée : la co-décision est ouverte.")
            codecision = orientation.action.codecisions.get()
            return redirect("codecision:detail", pk=codecision.pk)
    context = {
        "form": form,
        "household": household,
        "orientation_refusal": services.orientation_refusal(request.user, household),
        "can_diagnose": can(request.user, HouseholdAction.WRITE_DIAGNOSTIC, household),
    }
    return render(request, "actions/orientation_form.html", context)


# --- One action ----------------------------------------------------------------------------

TRACKING_FORMS = {
    ActionKind.ENERGY: forms.EnergyTrackingForm,
    ActionKind.SOLVENCY: forms.SolvencyTrackingForm,
}


def _action_context(request: HttpRequest, action, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    tracking = can_track(user, action) and action.status != ActionStatus.CLOSED
    procedure = EvictionProcedure.objects.filter(household=action.household_id).first()
    lease = getattr(action, "sliding_lease", None)
    context = {
        "action": action,
        "household": action.household,
        "can_track": tracking,
        "can_reduce_rent": can_reduce_rent(user, action)
        and action.has_rent_reduction
        and action.status == ActionStatus.IN_PROGRESS,
        "procedure": procedure,
        "procedure_next": next_deadline(procedure_deadlines(procedure, today), today)
        if procedure
        else None,
        "lease": lease,
        "lease_deadlines": lease_deadlines(lease, today) if lease else [],
        "reviews": lease.reviews.select_related("recorded_by") if lease else [],
        "rent_reductions": action.rent_reductions.all(),
        "arrears_readings": action.arrears_readings.order_by("read_on"),
        "measures": action.measures.select_related("referent"),
        "codecisions": action.codecisions.order_by("opened_at"),
        "status_history": action.history.select_related("history_user").order_by("history_date"),
        "today": today,
    }
    if action.kind == ActionKind.ENERGY:
        context["energy_truce"] = energy_truce_around(today)
    if tracking:
        form_class = TRACKING_FORMS.get(action.kind)
        if form_class:
            context["tracking_form"] = bound.get("tracking") or form_class(
                instance=action, **_ids_of("tracking")
            )
        if action.kind == ActionKind.SOLVENCY:
            context["arrears_form"] = bound.get("arrears") or forms.ArrearsReadingForm(
                **_ids_of("arrears")
            )
    # The sliding lease outlives the measure: its forms stay while it runs.
    if lease is not None and lease.is_running and can_track(user, action):
        context["lease_form"] = bound.get("lease") or forms.SlidingLeaseForm(
            instance=lease, **_ids_of("lease")
        )
        version = {"version": lease.version}
        context["end_form"] = bound.get("end") or forms.LeaseEndForm(
            initial=version, **_ids_of("end")
        )
        if not lease.is_temporary_occupancy:
            context["review_form"] = bound.get("review") or forms.LeaseReviewForm(
                **_ids_of("review")
            )
            context["glide_form"] = bound.get("glide") or forms.LeaseGlideForm(
                initial=version, **_ids_of("glide")
            )
    if context["can_reduce_rent"]:
        context["reduction_form"] = bound.get("reduction") or forms.RentReductionForm(
            **_ids_of("reduction")
        )
    return context


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_or_404(request, pk)
    return render(request, "actions/action_detail.html", _action_context(request, action))


def _ids_of(section: str) -> dict:
    """The action and procedure pages hold several sections' forms at once, most with a
    `version`: each form's ids carry its section (id_lease_version), so that no id is given
    twice."""
    return {"auto_id": f"id_{section}_%s"}


def _section(action, section: str, request: HttpRequest):
    """(form, save) for one section of the action page, or 404 if it does not apply."""
    user, post = request.user, request.POST
    lease = getattr(action, "sliding_lease", None)
    if section == "tracking" and action.kind in TRACKING_FORMS:
        form = TRACKING_FORMS[action.kind](post, instance=action, **_ids_of(section))
        return form, lambda: services.action_update_tracking(
            action=action,
            by=user,
            data=form.data_without_version(),
            expected_version=form.cleaned_data["version"] or 0,
        )
    if section == "lease" and lease is not None:
        form = forms.SlidingLeaseForm(post, instance=lease, **_ids_of(section))
        return form, lambda: services.sliding_lease_update(
            lease=lease,
            by=user,
            data=form.data_without_version(),
            expected_version=form.cleaned_data["version"] or 0,
        )
    if section == "review" and lease is not None:
        form = forms.LeaseReviewForm(post, **_ids_of(section))
        return form, lambda: services.lease_review_create(
            lease=lease, by=user, data=form.cleaned_data
        )
    if section == "glide" and lease is not None:
        form = forms.LeaseGlideForm(post, **_ids_of(section))
        return form, lambda: services.sliding_lease_glide(
            lease=lease,
            by=user,
            glide_on=form.cleaned_data["glide_on"],
            new_lease_reference=form.cleaned_data["new_lease_reference"],
            tenant_number=form.cleaned_data["tenant_number"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    if section == "end" and lease is not None:
        form = forms.LeaseEndForm(post, **_ids_of(section))
        return form, lambda: services.sliding_lease_end(
            lease=lease,
            by=user,
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data["end_reason"],
            end_detail=form.cleaned_data["end_detail"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    if section == "arrears" and action.kind == ActionKind.SOLVENCY:
        form = forms.ArrearsReadingForm(post, **_ids_of(section))
        return form, lambda: services.arrears_reading_create(
            action=action, by=user, **form.cleaned_data
        )
    if section == "reduction" and action.has_rent_reduction:
        form = forms.RentReductionForm(post, **_ids_of(section))
        return form, lambda: services.rent_reduction_create(
            action=action, by=user, **form.cleaned_data
        )
    raise Http404("Section inconnue")


SECTION_MESSAGES = {
    "tracking": "Le suivi de l'action est enregistré.",
    "lease": "Le logement est mis à jour.",
    "review": "Le point d'étape est enregistré.",
    "glide": "Le bail a glissé : le ménage est locataire du bailleur.",
    "end": "La fin est enregistrée.",
    "arrears": "Le relevé des impayés est enregistré.",
    "reduction": "La minoration de loyer est enregistrée.",
}


@require_POST
def action_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    action = get_action_or_404(request, pk)
    if section == "reduction":
        ensure_can_reduce_rent(request.user, action)
    else:
        ensure_can_track(request.user, action)
    form, save = _section(action, section, request)
    if form.is_valid():
        try:
            save()
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, SECTION_MESSAGES[section])
            return redirect("actions:action_detail", pk=action.pk)
    action = get_action_or_404(request, pk)
    context = _action_context(request, action, bound={section: form})
    context["open_section"] = section
    return render(request, "actions/action_detail.html", context, status=400)


# --- The household's eviction procedure ------------------------------------------------------


def _procedure_context(request: HttpRequest, household, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = timezone.localdate()
    procedure = EvictionProcedure.objects.filter(household=household).first()
    context = {
        "household": household,
        "procedure": procedure,
        "today": today,
        "can_edit": can_track_procedure(request.user, household),
    }
    if procedure is None:
        return context
    context["deadlines"] = procedure_deadlines(procedure, today)
    context["warnings"] = procedure_warnings(procedure)
    context["winter_truce"] = winter_truce_around(today)
    if context["can_edit"] and not procedure.ended_on:
        context["procedure_form"] = bound.get("update") or forms.ProcedureForm(instance=procedure)
        context["end_form"] = bound.get("end") or forms.ProcedureEndForm(
            initial={"version": procedure.version}, **_ids_of("end")
        )
    return context


def procedure_detail(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    return render(request, "actions/procedure.html", _procedure_context(request, household))


@require_POST
def procedure_section(request: HttpRequest, household_pk: int, section: str) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_track_procedure(request.user, household)
    if section == "ouvrir":
        services.procedure_open(household=household, by=request.user)
        messages.success(request, "La procédure d'expulsion est ouverte pour ce ménage.")
        return redirect("actions:procedure_detail", household_pk=household.pk)
    procedure = EvictionProcedure.objects.filter(household=household).first()
    if procedure is None or section not in ("update", "end"):
        raise Http404("Section inconnue")
    if section == "update":
        form = forms.ProcedureForm(request.POST, instance=procedure)
        save = lambda: services.procedure_update(  # noqa: E731
            procedure=procedure,
            by=request.user,
            data=form.data_without_version(),
            expected_version=form.cleaned_data["version"] or 0,
        )
    else:
        form = forms.ProcedureEndForm(request.POST, **_ids_of("end"))
        save = lambda: services.procedure_end(  # noqa: E731
            procedure=procedure,
            by=request.user,
            ended_on=form.cleaned_data["ended_on"],
            end_reason=form.cleaned_data["end_reason"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    if form.is_valid():
        try:
            save()
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "La procédure est mise à jour.")
            return redirect("actions:procedure_detail", household_pk=household.pk)
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    context = _procedure_context(request, household, bound={section: form})
    context["open_section"] = section
    return render(request, "actions/procedure.html", context, status=400)


# --- The register of an association's dwellings (action 4) ------------------------------------


def dwelling_list(request: HttpRequest) -> HttpResponse:
    dwellings = (
        visible_dwellings(request.user)
        .with_occupant()
        .order_by("association__name", "city", "address", "pk")
    )
    return render(
        request,
        "actions/dwelling_list.html",
        {"dwellings": dwellings, "can_manage": can_manage_dwellings(request.user)},
    )


@require_http_methods(["GET", "POST"])
def dwelling_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    ensure_can_manage_dwellings(request.user)
    dwelling = get_dwelling_or_404(request.user, pk) if pk else None
    form = forms.DwellingForm(request.POST or None, instance=dwelling)
    if request.method == "POST" and form.is_valid():
        try:
            services.dwelling_save(
                association=request.user.partner,
                by=request.user,
                data=form.data_without_version(),
                dwelling=dwelling,
                expected_version=form.cleaned_data["version"] or 0,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Le registre des logements est à jour.")
            return redirect("actions:dwelling_list")
    return render(
        request,
        "actions/dwelling_form.html",
        {"form": form, "dwelling": dwelling},
        status=400 if form.errors else 200,
    )


# --- One support measure ------------------------------------------------------------------


def _measure_context(request: HttpRequest, measure, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    active = measure.status == MeasureStatus.ACTIVE
    manage = can_manage_measure(user, measure) and active
    journal = latest(
        FollowUp.objects.journal_of(measure)
        .visible_to(user)
        .select_related("author", "author_partner")
        .order_by("-happened_on", "-pk"),
        settings.FOLLOW_UPS_SHOWN,
        everything=request.GET.get("suivis") == "tous",
    )
    context = {
        "measure": measure,
        "action": measure.action,
        "household": measure.action.household,
        "objectives": measure.objectives.all(),
        "journal": journal,
        "renewal_codecisions": measure.renewal_codecisions.order_by("opened_at"),
        "can_manage": manage,
        "can_close": can_close_measure(user, measure) and active,
        "can_log": can_log_follow_up(user, measure.action.household) and active,
        "objective_statuses": MeasureObjective._meta.get_field("status").choices,
        "overdue": active and measure.ends_on < timezone.localdate(),
    }
    if manage:
        context["objective_form"] = bound.get("objective") or forms.ObjectiveForm()
        if measure.can_be_renewed:
            context["renewal_form"] = bound.get("renewal") or forms.RenewalRequestForm()
    if context["can_close"]:
        context["closure_form"] = bound.get("closure") or forms.ClosureForm(
            initial={"version": measure.version}, kind=measure.action.kind
        )
        context["objectives_todo"] = [
            o for o in context["objectives"] if o.status == ObjectiveStatus.TODO
        ]
    for key in ("renewal", "objective_status"):
        if key in bound:
            context[f"{key}_form"] = bound[key]
    return context


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_or_404(request, pk)
    return render(request, "actions/measure_detail.html", _measure_context(request, measure))


def _measure_error(request, measure, key: str, form) -> HttpResponse:
    measure = get_measure_or_404(request, measure.pk)
    context = _measure_context(request, measure, bound={key: form})
    return render(request, "actions/measure_detail.html", context, status=400)


@require_POST
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_or_404(request, pk)
    ensure_can_set_objectives(request.user, measure)
    form = forms.ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            services.objective_add(measure=measure, by=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "L'objectif est ajouté.")
            return redirect("actions:measure_detail", pk=measure.pk)
    return _measure_error(request, measure, "objective", form)


@require_POST
def objective_status(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_or_404(request, pk)
    ensure_can_set_objectives(request.user, measure)
    # No field of its own on the page (a select per objective): its errors are said, unlinked.
    form = forms.ObjectiveStatusForm(request.POST, auto_id=False)
    if form.is_valid():
        objective = measure.objectives.filter(pk=form.cleaned_data["objective"]).first()
        if objective is None:
            raise Http404("Objectif introuvable")
        services.objective_set_status(
            objective=objective, by=request.user, status=form.cleaned_data["status"]
        )
        messages.success(request, "L'avancement de l'objectif est enregistré.")
        return redirect("actions:measure_detail", pk=measure.pk)
    return _measure_error(request, measure, "objective_status", form)


@require_POST
def renewal_request(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_measure_or_404(request, pk)
    ensure_can_request_renewal(request.user, measure)
    form = forms.RenewalRequestForm(request.POST)
    if form.is_valid():
        try:
            codecision = services.renewal_request(
                measure=measure, by=request.user, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request, "Le renouvellement est demandé : une co-décision est ouverte."
            )
            return redirect("codecision:detail", pk=codecision.pk)
    return _measure_error(request, measure, "renewal", form)


@require_POST
def measure_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps: the form, then a confirmation that restates the outcome and the date and
    warns of what is left (services.measure_closure_warnings); only the confirmation
    (`confirm`) closes."""
    measure = get_measure_or_404(request, pk)
    ensure_can_close_measure(request.user, measure)
    form = forms.ClosureForm(request.POST, kind=measure.action.kind)
    if form.is_valid():
        data = form.cleaned_data
        closed_on = data["closed_on"] or timezone.localdate()
        if not request.POST.get("confirm"):
            context = {
                "measure": measure,
                "household": measure.action.household,
                "form": form,
                "closed_on": closed_on,
                "outcome": dict(form.fields["outcome"].choices)[data["outcome"]],
                "warnings": services.measure_closure_warnings(measure, closed_on),
            }
            return render(request, "actions/measure_close_confirm.html", context)
        try:
            services.measure_close(
                measure=measure,
                by=request.user,
                outcome=data["outcome"],
                outcome_detail=data["outcome_detail"],
                closed_on=data["closed_on"],
                expected_version=data["version"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "La mesure est clôturée.")
            return redirect("actions:measure_detail", pk=measure.pk)
    return _measure_error(request, measure, "closure", form)


# --- Follow-ups ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_log_follow_up(request.user, household)
    measures = SupportMeasure.objects.filter(
        action__household=household, status=MeasureStatus.ACTIVE
    ).select_related("action")
    measure = None
    measure_pk = request.POST.get("mesure") or request.GET.get("mesure")
    if measure_pk:
        measure = measures.filter(pk=measure_pk).first() if str(measure_pk).isdigit() else None
        if measure is None:
            raise Http404("Mesure introuvable")
    elif len(measures) == 1:
        measure = measures[0]
    # « Tenu »: the appointment held becomes this follow-up, the form prefilled from it.
    appointment, initial = None, {}
    appointment_pk = request.POST.get("rendez_vous") or request.GET.get("rendez_vous")
    if appointment_pk:
        appointment = _household_appointment(household, appointment_pk)
        try:
            services.appointment_check_holdable(appointment)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(f"{household_url(household)}#rendez-vous")
        initial = services.appointment_follow_up_initial(appointment)
    # From an outreach request's page: the contact is an « aller-vers » follow-up.
    if appointment is None and request.GET.get("type") == "aller-vers":
        initial = {"kind": FollowUpKind.OUTREACH}
    form = forms.FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.follow_up_create(
                household=household,
                by=request.user,
                measure=measure,
                data=form.cleaned_data,
                appointment=appointment,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            if measure is not None and follow_up.measure_id is None:
                messages.success(
                    request,
                    "Ce suivi précède le début de la mesure : il est noté au dossier du ménage "
                    "et figure dans le journal de la mesure.",
                )
            else:
                messages.success(request, "Le suivi est enregistré.")
            if measure is not None:
                return redirect("actions:measure_detail", pk=measure.pk)
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "actions/follow_up_form.html",
        {"form": form, "household": household, "measure": measure, "appointment": appointment},
    )


# --- Appointments ----------------------------------------------------------------------------


def household_url(household) -> str:
    return reverse("households:detail", args=[household.pk])


def _household_appointment(household, pk) -> Appointment:
    appointment = (
        Appointment.objects.filter(household=household, pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if appointment is None:
        raise Http404("Rendez-vous introuvable")
    return appointment


@require_http_methods(["GET", "POST"])
def appointment_edit(request: HttpRequest, household_pk: int, pk: int | None = None):
    """Plan an appointment with the household, or change a planned one."""
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_plan_appointment(request.user, household)
    appointment = _household_appointment(household, pk) if pk is not None else None
    form = forms.AppointmentForm(request.POST or None, instance=appointment, household=household)
    if request.method == "POST" and form.is_valid():
        data = form.data_without_version()
        participants = list(data.pop("participants"))
        try:
            services.appointment_save(
                household=household,
                by=request.user,
                data=data,
                participants=participants,
                appointment=appointment,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                "Le rendez-vous est modifié." if appointment else "Le rendez-vous est prévu.",
            )
            return redirect(f"{household_url(household)}#rendez-vous")
    return render(
        request,
        "actions/appointment_form.html",
        {"form": form, "household": household, "appointment": appointment},
    )


@require_POST
def appointment_cancel(request: HttpRequest, household_pk: int, pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_plan_appointment(request.user, household)
    appointment = _household_appointment(household, pk)
    form = forms.AppointmentCancelForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_cancel(
                appointment=appointment,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Le rendez-vous est annulé.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(f"{household_url(household)}#rendez-vous")


# --- Coordinators' overview of active measures ---------------------------------------------


MEASURE_ROW_FIELDS = (
    "ends_on",
    "starts_on",
    "renewal_count",
    "action__kind",
    "action__household__reference",
    "action__household__name",
    "action__association__name",
    "referent__first_name",
    "referent__last_name",
    "referent__username",
)


def measure_overview(request: HttpRequest) -> HttpResponse:
    """Active measures, the most urgent first: overdue, then ending soonest.

    Coordinators see every measure; the other roles with a caseload see the measures of the
    households their partner works on."""
    today = timezone.localdate()
    measures = visible_measures(request.user).filter(status=MeasureStatus.ACTIVE)
    filters = forms.MeasureFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["association"]:
            measures = measures.filter(action__association=filters.cleaned_data["association"])
        if filters.cleaned_data["kind"]:
            measures = measures.filter(action__kind=filters.cleaned_data["kind"])
    # Counted up to CASELOAD_COUNT_CAP (« plus de 1 000 » beyond), paged by keyset on
    # (ends_on, id): no OFFSET, the attention subqueries run for the page's rows only.
    cap, size = settings.CASELOAD_COUNT_CAP, settings.HOUSEHOLDS_PER_PAGE
    count = measures.order_by()[: cap + 1].count()
    cursor = request.GET.get("apres", "")
    position = parse_cursor(cursor, kind=date)
    if position is not None:
        measures = measures.filter(after("ends_on", *position, descending=False))
    # Only the columns the rows show: six wide records a row cost more to load than to read.
    window = list(
        measures.select_related("action__household", "action__association", "referent")
        .only(*MEASURE_ROW_FIELDS)
        .with_attention(today)
        .order_by("ends_on", "pk")[: size + 1]
    )
    page = window[:size]
    access_log_reads(request, (measure.action.household_id for measure in page))
    links = address_for_each("actions:measure_detail", (measure.pk for measure in page))
    rows = [
        {
            "measure": measure,
            "link": links[measure.pk],
            "overdue": measure.overdue,
            "ends_soon": measure.ends_soon,
            "quiet": measure.quiet,
        }
        for measure in page
    ]
    # The pages' links keep the filters through Django's {% querystring %}
    # (_keyset_pagination.html).
    return render(
        request,
        "actions/measure_overview.html",
        {
            "count": min(count, cap),
            "count_exceeds": count > cap,
            "next_cursor": cursor_of(page[-1].ends_on, page[-1].pk) if len(window) > size else "",
            "paged": position is not None,
            "rows": rows,
            "filters": filters,
            "soon_days": max(settings.REMINDER_MEASURE_END_DAYS),
            "quiet_days": settings.REMINDER_NO_FOLLOW_UP_DAYS,
        },
    )
