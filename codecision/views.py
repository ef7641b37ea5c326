"""Co-decision pages: decisions waiting for my partner, one co-decision, committees.

Access: co-decisions are reached through their household (codecision.permissions), so an
outsider gets 404 (logged); who may answer, arbitrate or run a committee is said there; the
rules themselves are in codecision.services. What a co-decision decides on (the action, the
measure) is described by the app that opened it (codecision.subjects).
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from codecision import services, subjects
from codecision.forms import (
    AnswerForm,
    ArbitrationForm,
    CommitteeAnswerForm,
    CommitteeSessionForm,
    SignOffForm,
)
from codecision.models import CoDecision, CoDecisionAnswer, CoDecisionStatus, CommitteeSession
from codecision.permissions import (
    can_answer,
    can_arbitrate,
    can_manage_committees,
    can_read_minutes,
    can_record_committee_answers,
    ensure_can_answer,
    ensure_can_arbitrate,
    ensure_can_manage_committees,
    ensure_can_read_minutes,
    get_codecision_or_404,
    visible_codecisions,
)
from core.errors import DomainError
from core.pdf import render_pdf
from households.models import AccessAction, Household
from households.permissions import access_log_reads
from partners.models import with_memberships


def pending_for(user):
    """The co-decisions waiting for `user`'s partner (all open ones for coordinators)."""
    codecisions = visible_codecisions(user)
    if can_record_committee_answers(user):
        return codecisions.open()
    return codecisions.waiting_for(user.partner)


def pending(request: HttpRequest) -> HttpResponse:
    """« Décisions en attente »."""
    codecisions = (
        pending_for(request.user)
        .select_related("household", "landlord", "association")
        .order_by("opened_at", "pk")
    )
    page = Paginator(codecisions, settings.HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    access_log_reads(request, (codecision.household_id for codecision in page))
    return render(request, "codecision/pending.html", {"page": page})


ARBITRATION_IDS = "id_arbitration_%s"


def _still_to_answer(user, codecision: CoDecision) -> bool:
    """A partner's form is shown while the co-decision waits for its side's answer
    (CoDecision.sides_waiting, the one rule of « en attente »); once it answered, the page
    shows its answer instead. The coordination records answers given in committee."""
    if can_record_committee_answers(user):
        return True
    return codecision.side_of(user.partner) in codecision.sides_waiting()


def _my_answer(user, codecision: CoDecision) -> str:
    side = None if user.partner is None else codecision.side_of(user.partner)
    return getattr(codecision, f"get_{side}_answer_display")() if side else ""


def _detail_context(request: HttpRequest, codecision: CoDecision, **forms) -> dict:
    user = request.user
    answers = codecision.answers.select_related(
        "answered_by", "partner", "referent", "session"
    ).order_by("answered_at", "pk")
    context = {
        "codecision": codecision,
        "household": codecision.household,
        "subject": subjects.describe(codecision),
        "diagnostic": codecision.diagnostic,
        "answers": answers,
        # A form sent back with its errors stays, whatever the co-decision became meanwhile.
        "can_answer": can_answer(user, codecision)
        and (_still_to_answer(user, codecision) or "answer_form" in forms),
        "my_answer": _my_answer(user, codecision),
        "can_arbitrate": can_arbitrate(user) and codecision.status == CoDecisionStatus.DISAGREEMENT,
        "can_read_minutes": codecision.session is not None
        and can_read_minutes(user, codecision.session),
        # The proposing side answers too: its proposal is not yet its structure's decision
        # (docs/DESIGN.md, section 3).
        "proposing_side": user.partner is not None
        and user.partner.pk == codecision.proposed_by_partner_id
        and codecision.side_of(user.partner) is not None,
    }
    if context["can_answer"]:
        context["answer_form"] = forms.get("answer_form") or AnswerForm(
            codecision=codecision, user=user
        )
    if context["can_arbitrate"]:
        # Its own ids: the answer form on the same page has a comment too.
        context["arbitration_form"] = forms.get("arbitration_form") or ArbitrationForm(
            auto_id=ARBITRATION_IDS
        )
    return context


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    codecision = get_codecision_or_404(request, pk)
    return render(request, "codecision/detail.html", _detail_context(request, codecision))


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    codecision = get_codecision_or_404(request, pk)
    ensure_can_answer(request.user, codecision)
    form = AnswerForm(request.POST, codecision=codecision, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.codecision_answer(
                codecision=codecision,
                by=request.user,
                answer=data["answer"],
                comment=data["comment"],
                referent=data.get("referent"),
                side=data.get("side"),
                session=data.get("session"),
                starts_on=data.get("starts_on"),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            codecision.refresh_from_db()
            messages.success(
                request,
                f"Votre réponse est enregistrée. Co-décision : "
                f"{codecision.get_status_display().lower()}.",
            )
            return redirect("codecision:detail", pk=codecision.pk)
    context = _detail_context(request, codecision, answer_form=form)
    return render(request, "codecision/detail.html", context, status=400)


@require_POST
def arbitrate(request: HttpRequest, pk: int) -> HttpResponse:
    codecision = get_codecision_or_404(request, pk)
    ensure_can_arbitrate(request.user)
    form = ArbitrationForm(request.POST, auto_id=ARBITRATION_IDS)
    if form.is_valid():
        try:
            services.codecision_arbitrate(
                codecision=codecision,
                by=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "L'arbitrage est enregistré.")
            return redirect("codecision:detail", pk=codecision.pk)
    context = _detail_context(request, codecision, arbitration_form=form)
    return render(request, "codecision/detail.html", context, status=400)


# --- Committees (coordinators) ------------------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    ensure_can_manage_committees(request.user)
    sessions = CommitteeSession.objects.select_related("signed_off_by").prefetch_related(
        "codecisions"
    )
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(request, "codecision/session_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    ensure_can_manage_committees(request.user)
    open_codecisions = (
        CoDecision.objects.open()
        .filter(session__isnull=True)
        .select_related("household")
        .order_by("opened_at")
    )
    form = CommitteeSessionForm(request.POST or None, open_codecisions=open_codecisions)
    if request.method == "GET":
        # The form names every household with an open co-decision.
        access_log_reads(request, open_codecisions.values_list("household_id", flat=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.committee_session_create(
                by=request.user,
                held_on=data["held_on"],
                codecisions=list(data["codecisions"]),
                participants=list(data["participants"]),
                other_participants=data["other_participants"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Le {session} est créé.")
            return redirect("codecision:session_detail", pk=session.pk)
    return render(request, "codecision/session_form.html", {"form": form})


def _session_context(request: HttpRequest, session: CommitteeSession, form=None) -> dict:
    """The committee's items as its minutes show them: signed, as recorded at the signature
    (CommitteeItem); before, as they stand. A reader other than the coordination sees the
    rows of the households it may see."""
    answers = Prefetch(
        "answers",
        queryset=CoDecisionAnswer.objects.select_related("answered_by").order_by(
            "answered_at", "pk"
        ),
    )
    related = ["household", "landlord", "association"]
    if session.is_signed:
        items = session.items.select_related(*(f"codecision__{r}" for r in related))
        items = items.prefetch_related(Prefetch("codecision__answers", answers.queryset))
        rows = [
            {
                "codecision": item.codecision,
                "landlord_answer": item.get_landlord_answer_display(),
                "association_answer": item.get_association_answer_display(),
                "decision": "Ajournée à un prochain comité"
                if item.adjourned
                else item.get_decision_display(),
            }
            for item in items
        ]
    else:
        codecisions = session.codecisions.select_related(*related).prefetch_related(answers)
        rows = [
            {
                "codecision": codecision,
                "landlord_answer": codecision.get_landlord_answer_display(),
                "association_answer": codecision.get_association_answer_display(),
                "decision": codecision.get_status_display(),
            }
            for codecision in codecisions
        ]
    examined = len(rows)
    if not request.user.is_coordinator:
        visible = set(
            Household.objects.visible_to(request.user)
            .filter(pk__in=[row["codecision"].household_id for row in rows])
            .values_list("pk", flat=True)
        )
        rows = [row for row in rows if row["codecision"].household_id in visible]
    return {
        "session": session,
        "rows": rows,
        "others": examined - len(rows),
        "participants": with_memberships(session.participants.all()),
        "can_sign_off": can_manage_committees(request.user) and not session.is_signed,
        "sign_off_form": form or SignOffForm(initial={"notes": session.notes}, session=session),
    }


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(CommitteeSession.objects.select_related("signed_off_by"), pk=pk)
    ensure_can_read_minutes(request.user, session)
    context = _session_context(request, session)
    # The page names every household examined: each is in its access log.
    access_log_reads(request, (row["codecision"].household_id for row in context["rows"]))
    return render(request, "codecision/session_detail.html", context)


@require_POST
def session_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_manage_committees(request.user)
    session = get_object_or_404(CommitteeSession, pk=pk)
    form = SignOffForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.committee_session_sign_off(
                session=session,
                by=request.user,
                notes=form.cleaned_data["notes"],
                adjourned=list(form.cleaned_data.get("adjourned", [])),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Le compte rendu du comité est validé.")
            return redirect("codecision:session_detail", pk=session.pk)
    context = _session_context(request, session, form)
    return render(request, "codecision/session_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def session_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator records every answer given in the committee in one form: one row per
    co-decision of its agenda still waiting for a side, per side represented
    (services.committee_answer_rows); all recorded, or none with the row's reason."""
    ensure_can_manage_committees(request.user)
    session = get_object_or_404(CommitteeSession, pk=pk)
    rows = services.committee_answer_rows(session)
    data = request.POST if request.method == "POST" else None
    forms = [CommitteeAnswerForm(data, row=row) for row in rows if row.represented]
    if request.method == "GET":
        access_log_reads(request, {row.codecision.household_id for row in rows})
    if data is not None and not session.is_signed and all(form.is_valid() for form in forms):
        answers = [given for form in forms if (given := form.given())]
        try:
            count = services.committee_answers_record(
                session=session, by=request.user, answers=answers
            )
        except services.CommitteeAnswerRefused as error:
            form = next(form for form in forms if form.row == error.row)
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                row = error.row
                where = f"{row.codecision.household.reference}, {row.partner}"
                form.add_error(None, f"{where} : {error.message}")
        else:
            messages.success(
                request,
                f"{count} réponse{'s' if count > 1 else ''} enregistrée{'s' if count > 1 else ''}"
                f" pour le {session}.",
            )
            return redirect("codecision:session_detail", pk=session.pk)
    context = {
        "session": session,
        "forms": forms,
        "absent": [row for row in rows if not row.represented],
        "participants": with_memberships(session.participants.all()),
    }
    status = 400 if data is not None else 200
    return render(request, "codecision/session_answers.html", context, status=status)


def session_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee minutes as a PDF (coordinators and the partners represented)."""
    session = get_object_or_404(CommitteeSession.objects.select_related("signed_off_by"), pk=pk)
    ensure_can_read_minutes(request.user, session)
    context = _session_context(request, session)
    context.update(exported_by=request.user, exported_at=timezone.localtime())
    pdf = render_pdf("codecision/committee_minutes.html", context)
    # The minutes name every household examined: each export is in their access log.
    households = (row["codecision"].household_id for row in context["rows"])
    access_log_reads(request, households, action=AccessAction.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="comite-{session.held_on:%Y-%m-%d}.pdf"'
    )
    return response
