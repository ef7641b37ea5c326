"""Where a household's case stands: its current step, next deadline and workflow timeline.

Shown on the household page. A fixed number of queries whatever the case's length."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from actions.deadlines import Deadline, lease_deadlines, next_deadline, procedure_deadlines
from actions.models import (
    Action,
    ActionStatus,
    EvictionProcedure,
    MeasureObjective,
    MeasureStatus,
    OutreachRequest,
    OutreachStatus,
    SupportMeasure,
)
from codecision.models import CoDecision, CoDecisionAnswer, CoDecisionStatus, Purpose
from households.models import Household


@dataclass
class CaseWorkflow:
    actions: list[Action]
    current_step: str
    deadlines: list[Deadline] = field(default_factory=list)
    next_deadline: Deadline | None = None
    procedure: EvictionProcedure | None = None
    # Outreach requests (« aller-vers ») on the file, oldest first (one query).
    outreach_requests: list[OutreachRequest] = field(default_factory=list)


def _waiting_for(codecision: CoDecision) -> str:
    if codecision.status == CoDecisionStatus.DISAGREEMENT:
        return "désaccord : arbitrage de la coordination attendu"
    if codecision.status == CoDecisionStatus.ADJOURNED:
        return "ajournée"
    waiting = [str(codecision.partner_of(side)) for side in codecision.sides_waiting()]
    return "en attente de " + " et de ".join(waiting)


def _step(action: Action, today: date) -> str:
    kind = action.get_kind_display()
    if action.status == ActionStatus.IN_CODECISION:
        open_ones = [c for c in action.codecisions.all() if c.is_open]
        detail = _waiting_for(open_ones[0]) if open_ones else "en attente"
        return f"{kind} — en co-décision, {detail}"
    if action.status == ActionStatus.IN_PROGRESS:
        active = [m for m in action.measures.all() if m.status == MeasureStatus.ACTIVE]
        lease = getattr(action, "sliding_lease", None)
        if not active and lease is not None and lease.is_running:
            return f"{kind} — {lease.get_mode_display().lower()} en cours, mesure clôturée"
        if not active:
            return f"{kind} — en cours"
        measure = active[0]
        renewal = (
            "renouvelable une fois"
            if measure.can_be_renewed
            else "déjà renouvelée, pas de second renouvellement"
        )
        overdue = " — échéance dépassée : renouveler ou clôturer" if measure.ends_on < today else ""
        pending = [
            c for c in action.codecisions.all() if c.is_open and c.purpose == Purpose.RENEWAL
        ]
        asked = " — renouvellement en co-décision" if pending else ""
        return (
            f"{kind} — mesure en cours jusqu'au {measure.ends_on:%d/%m/%Y} ({renewal})"
            f"{overdue}{asked}"
        )
    if action.status == ActionStatus.REJECTED:
        return f"{kind} — refusée en co-décision"
    if action.status == ActionStatus.CLOSED:
        closed = [m for m in action.measures.all() if m.status == MeasureStatus.CLOSED]
        if closed:
            measure = closed[0]
            return (
                f"{kind} — accompagnement clôturé le {measure.closed_on:%d/%m/%Y} : "
                f"{measure.get_outcome_display().lower()}"
            )
        return f"{kind} — clôturée"
    return f"{kind} — {action.get_status_display().lower()}"


def case_workflow(household: Household, today: date | None = None) -> CaseWorkflow:
    today = today or timezone.localdate()
    actions = list(
        Action.objects.filter(household=household)
        .select_related(
            "orientation__proposed_by",
            "orientation__proposed_by_partner",
            "landlord",
            "association",
            "sliding_lease",
        )
        .prefetch_related(
            Prefetch(
                "codecisions",
                queryset=CoDecision.objects.select_related("arbitrated_by", "session")
                .prefetch_related(
                    Prefetch(
                        "answers",
                        queryset=CoDecisionAnswer.objects.select_related(
                            "answered_by", "partner"
                        ).order_by("answered_at", "pk"),
                    )
                )
                .order_by("opened_at", "pk"),
            ),
            Prefetch(
                "measures",
                queryset=SupportMeasure.objects.select_related("referent").prefetch_related(
                    Prefetch("objectives", queryset=MeasureObjective.objects.order_by("pk"))
                ),
            ),
        )
        .order_by("-created_at", "-pk")
    )
    open_actions = [
        a for a in actions if a.status not in (ActionStatus.CLOSED, ActionStatus.REJECTED)
    ]
    outreach = list(
        OutreachRequest.objects.filter(household=household)
        .select_related("landlord", "association", "requested_by", "answered_by")
        .order_by("requested_at", "pk")
    )
    running = [o for o in outreach if o.status == OutreachStatus.ACCEPTED]
    asked = [o for o in outreach if o.status == OutreachStatus.PENDING]
    if open_actions:
        step = " ; ".join(_step(action, today) for action in open_actions)
    elif running:
        step = f"Aller-vers en cours par {running[-1].association}"
    elif asked:
        step = f"Aller-vers demandé à {asked[-1].association}, en attente de sa réponse"
    elif actions:
        step = _step(actions[0], today)
    elif household.diagnostics.exists():
        step = "Diagnostic réalisé — pas encore d'orientation"
    else:
        step = "Dossier ouvert — diagnostic à réaliser"
    deadlines: list[Deadline] = []
    # The household's eviction procedure, whatever its action (or none).
    procedure = EvictionProcedure.objects.filter(household=household).first()
    if procedure is not None:
        deadlines += procedure_deadlines(procedure, today)
    for action in open_actions:
        if action.status != ActionStatus.IN_PROGRESS:
            continue
        lease = getattr(action, "sliding_lease", None)
        if lease is not None:
            deadlines += lease_deadlines(lease, today)
        for measure in action.measures.all():
            if measure.status == MeasureStatus.ACTIVE:
                deadlines.append(
                    Deadline(measure.ends_on, "Fin de la mesure d'accompagnement", "measure_end")
                )
    deadlines.sort()
    return CaseWorkflow(
        actions=actions,
        current_step=step,
        deadlines=[d for d in deadlines if d.on >= today],
        next_deadline=next_deadline(deadlines, today),
        procedure=procedure,
        outreach_requests=outreach,
    )
