"""Pages of the outreach requests (« demandes d'aller-vers »): a landlord asks an
association to reach its tenant; the association accepts or declines; either ends it.

Every step calls actions.services after the check of actions.permissions (the API does the
same). The association sees the request (reference, reason, landlord), never the file,
until it accepts: the rule of involvement then opens the file to it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from actions import forms, services
from actions.models import FollowUp, FollowUpKind, OutreachStatus
from actions.permissions import (
    can_answer_outreach,
    can_close_outreach,
    can_log_follow_up,
    can_withdraw_outreach,
    ensure_can_answer_outreach,
    ensure_can_close_outreach,
    ensure_can_request_outreach,
    ensure_can_withdraw_outreach,
    get_outreach_or_404,
    visible_outreach_requests,
)
from core.errors import DomainError
from households.models import Household
from households.permissions import HouseholdAction, get_household_or_404


def _apply_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_http_methods(["GET", "POST"])
def outreach_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_or_404(request, household_pk, HouseholdAction.VIEW)
    ensure_can_request_outreach(request.user, household)
    form = forms.OutreachRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outreach = services.outreach_request_create(
                household=household,
                by=request.user,
                association=form.cleaned_data["association"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request, f"La demande d'aller-vers est envoyée à {outreach.association}."
            )
            return redirect("actions:outreach_detail", pk=outreach.pk)
    return render(request, "actions/outreach_form.html", {"form": form, "household": household})


def outreach_list(request: HttpRequest) -> HttpResponse:
    requests = visible_outreach_requests(request.user).order_by("-requested_at", "-pk")[:200]
    return render(request, "actions/outreach_list.html", {"requests": requests})


@require_http_methods(["GET", "POST"])
def outreach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outreach = get_outreach_or_404(request.user, pk)
    user = request.user
    answer_form = forms.OutreachAnswerForm(request.POST or None)
    if request.method == "POST":
        ensure_can_answer_outreach(user, outreach)
        if answer_form.is_valid():
            try:
                services.outreach_answer(
                    request=outreach,
                    by=user,
                    decision=answer_form.cleaned_data["decision"],
                    reason=answer_form.cleaned_data["reason"],
                )
            except DomainError as error:
                _apply_error(answer_form, error)
            else:
                messages.success(request, "Votre réponse est enregistrée.")
                return redirect("actions:outreach_detail", pk=outreach.pk)
    # The file itself only through the access layer: the association once it accepted.
    household = Household.objects.visible_to(user).filter(pk=outreach.household_id).first()
    contacts = []
    if household is not None:
        contacts = list(
            FollowUp.objects.visible_to(user)
            .filter(
                household=household,
                kind=FollowUpKind.OUTREACH,
                happened_on__gte=outreach.requested_at.date(),
            )
            .select_related("author")
        )
    return render(
        request,
        "actions/outreach_detail.html",
        {
            "outreach": outreach,
            "household": household,
            "contacts": contacts,
            "answer_form": answer_form,
            "can_answer": outreach.status == OutreachStatus.PENDING
            and can_answer_outreach(user, outreach),
            "can_close": outreach.status == OutreachStatus.ACCEPTED
            and can_close_outreach(user, outreach),
            "can_log": household is not None
            and outreach.status == OutreachStatus.ACCEPTED
            and user.partner is not None
            and user.partner.pk == outreach.association_id
            and can_log_follow_up(user, household),
            "can_withdraw": outreach.status == OutreachStatus.PENDING
            and can_withdraw_outreach(user, outreach),
            "close_form": forms.OutreachCloseForm(),
        },
    )


@require_POST
def outreach_close(request: HttpRequest, pk: int) -> HttpResponse:
    outreach = get_outreach_or_404(request.user, pk)
    ensure_can_close_outreach(request.user, outreach)
    form = forms.OutreachCloseForm(request.POST)
    if form.is_valid():
        try:
            services.outreach_close(
                request=outreach, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "L'aller-vers est terminé.")
    else:
        messages.error(request, "Le bilan est trop long.")
    return redirect("actions:outreach_detail", pk=outreach.pk)


@require_http_methods(["GET", "POST"])
def outreach_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """« Retirer la demande »: a confirmation page, then the withdrawal (the landlord that
    asked, while the association has not answered)."""
    outreach = get_outreach_or_404(request.user, pk)
    ensure_can_withdraw_outreach(request.user, outreach)
    form = forms.OutreachWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_withdraw(
                request=outreach, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"La demande est retirée ; {outreach.association} en est informée."
            )
        return redirect("actions:outreach_detail", pk=outreach.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "actions/outreach_withdraw.html",
        {"outreach": outreach, "form": form},
        status=status,
    )
