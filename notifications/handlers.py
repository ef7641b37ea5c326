"""Notices sent when something happens in the workflow (subscribed in notifications.wiring).

Each handler runs in the step's transaction: it writes the notice (services.queue_notice),
delivered once the step commits, once (the catch-up delivers one whose task was lost). Texts
carry the household's reference and the partners' names, never a person's name: they may
go out by e-mail. A notice that asks for something is a task: it is done when anyone of the
recipient's partner does the thing (services.tasks_done)."""

from django.urls import reverse
from django.utils import timezone

from actions.events import (
    FollowUpLogged,
    LeaseReviewed,
    MeasureClosed,
    MeasureOpened,
    MeasureRenewed,
    OutreachAnswered,
    OutreachRequested,
    OutreachWithdrawn,
)
from actions.models import OutreachStatus, SupportMeasure
from codecision.events import (
    CoDecisionAnswered,
    CoDecisionArbitrated,
    CoDecisionCancelled,
    CoDecisionDecided,
    CoDecisionOpened,
)
from codecision.models import Answer, CoDecision, CoDecisionStatus, Purpose
from core.queue import enqueue_on_commit
from households.events import (
    HouseholdAccessChanged,
    HouseholdOpenedDespiteDuplicates,
    HouseholdsMerged,
)
from households.involvement import Access, involvement_of
from households.models import ActionKind, Household
from notifications.models import Notification
from notifications.services import (
    coordinators,
    members,
    notices_follow_merge,
    notify,
    queue_notice,
    tasks_done,
)
from notifications.tasks import notify_codecision_opened

DUPLICATE_KIND = "duplicate_suspected"

CODECISION = "codecision"
OUTREACH = "outreach"


def codecision_opened(event: CoDecisionOpened) -> None:
    """Both sides are told, once the co-decision is saved, that it waits for them."""
    enqueue_on_commit(notify_codecision_opened, event.codecision.pk)


def household_opened_despite_duplicates(event: HouseholdOpenedDespiteDuplicates) -> None:
    """The coordination is told, with both references, that a file was opened although
    similar ones exist (households.duplicates): it checks, shares or merges. Written with
    the new file (rolled back with it); e-mailed after commit."""
    references = list(
        Household.objects.filter(pk__in=event.similar_ids)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    partner = event.by.partner
    text = (
        f"{event.household.reference}, ouvert par {partner}, ressemble à "
        f"{', '.join(references)} : vérifiez s'il s'agit du même ménage (partager ou fusionner)."
    )
    if event.asked:
        text = f"{partner} demande à la coordination de vérifier un doublon possible. {text}"
    notify(
        recipients=sorted(coordinators()),
        kind=DUPLICATE_KIND,
        text=text,
        household=event.household,
        link=reverse("households:merge", args=[event.household.pk]),
    )


def households_merged(event: HouseholdsMerged) -> None:
    """Two files merged by the coordination: the notices that pointed to the merged file
    point to the file kept, the coordination's notices of this possible duplicate are read
    (it is settled), and the partners now involved in the file kept (those of both files)
    are told where to follow the household. Texts carry both references, no name."""
    kept, merged = event.kept, event.merged
    notices_follow_merge(kept_id=kept.pk, merged_id=merged.pk)
    Notification.objects.filter(
        kind=DUPLICATE_KIND, household=kept, read_at=None, text__contains=merged.reference
    ).update(read_at=timezone.now())
    involved = [row.partner.pk for row in involvement_of(kept) if row.access != Access.NONE]
    queue_notice(
        kind="households_merged",
        text=(
            f"{merged.reference} et {kept.reference} sont le même ménage : la coordination a "
            f"fusionné {merged.reference} dans {kept.reference}. Suivez désormais ce ménage "
            f"dans {kept.reference}."
        ),
        recipients=members(involved),
        household=kept,
        link=reverse("households:detail", args=[kept.pk]),
        object_type="household",
        object_id=kept.pk,
    )


def _about(codecision: CoDecision) -> str:
    purpose = Purpose(codecision.purpose).label.lower()
    return f"{purpose}, {ActionKind(codecision.kind).label.lower()}"


def _codecision_notice(codecision: CoDecision, *, kind: str, text: str, recipients, task=False):
    queue_notice(
        kind=kind,
        text=f"{codecision.household.reference} : {text}",
        recipients=recipients,
        household=codecision.household,
        link=reverse("codecision:detail", args=[codecision.pk]),
        object_type=CODECISION,
        object_id=codecision.pk,
        task=task,
    )


def codecision_answered(event: CoDecisionAnswered) -> None:
    """The side that answered has nothing left to do (for all its users); an answer given in
    a committee is told to that side; a disagreement is told to the coordination, whose
    arbitration it waits for."""
    codecision = event.codecision
    tasks_done(object_type=CODECISION, object_id=codecision.pk, partner_ids=[event.partner.pk])
    if event.session is not None:
        answer = Answer(event.answer).label.lower()
        _codecision_notice(
            codecision,
            kind="codecision_committee_answer",
            text=(
                f"la réponse de votre structure (« {answer} ») à la co-décision "
                f"({_about(codecision)}) a été enregistrée au {event.session}."
            ),
            recipients=members([event.partner.pk]),
        )
    if codecision.status == CoDecisionStatus.DISAGREEMENT:
        _codecision_notice(
            codecision,
            kind="codecision_disagreement",
            text=(
                f"désaccord entre {codecision.landlord} et {codecision.association} sur la "
                f"co-décision ({_about(codecision)}) : arbitrage de la coordination attendu."
            ),
            recipients=coordinators(),
            task=True,
        )


def codecision_decided(event: CoDecisionDecided) -> None:
    """A decided co-decision asks nothing more of anyone; the partner that proposed an
    action learns the outcome of its orientation (a renewal's outcome is the measure's)."""
    codecision = event.codecision
    tasks_done(object_type=CODECISION, object_id=codecision.pk)
    if codecision.purpose != Purpose.START:
        return
    outcome = "approuvée" if codecision.status == CoDecisionStatus.APPROVED else "refusée"
    _codecision_notice(
        codecision,
        kind="orientation_decided",
        text=(
            f"la pré-orientation ({ActionKind(codecision.kind).label.lower()}) est {outcome} "
            "en co-décision."
        ),
        recipients=members([codecision.proposed_by_partner_id]),
    )


def codecision_cancelled(event: CoDecisionCancelled) -> None:
    tasks_done(object_type=CODECISION, object_id=event.codecision.pk)


def codecision_arbitrated(event: CoDecisionArbitrated) -> None:
    """The coordination's task is done; both sides hear the arbitration (a new examination
    asks each side's answer again)."""
    codecision = event.codecision
    tasks_done(object_type=CODECISION, object_id=codecision.pk)
    reopen = event.decision == "reopen"
    outcome = (
        "nouvel examen : la co-décision attend à nouveau votre réponse"
        if reopen
        else "la proposition est refusée"
    )
    _codecision_notice(
        codecision,
        kind="codecision_arbitrated",
        text=f"la coordination a arbitré le désaccord ({_about(codecision)}) : {outcome}.",
        recipients=members([codecision.landlord_id, codecision.association_id]),
        task=reopen,
    )


def _measure_notice(measure: SupportMeasure, *, kind: str, text: str) -> None:
    action = measure.action
    household = action.household
    partners = [action.landlord_id, action.association_id]
    orientation = getattr(action, "orientation", None)
    if orientation is not None:
        partners.append(orientation.proposed_by_partner_id)
    queue_notice(
        kind=kind,
        text=f"{household.reference} : {text}",
        recipients=members(partners),
        household=household,
        link=reverse("actions:measure_detail", args=[measure.pk]),
        object_type="measure",
        object_id=measure.pk,
    )


def _kind(measure: SupportMeasure) -> str:
    return ActionKind(measure.action.kind).label.lower()


def measure_opened(event: MeasureOpened) -> None:
    measure = event.measure
    _measure_notice(
        measure,
        kind="measure_started",
        text=(
            f"la mesure d'accompagnement ({_kind(measure)}) démarre le "
            f"{measure.starts_on:%d/%m/%Y}, jusqu'au {measure.ends_on:%d/%m/%Y}."
        ),
    )


def measure_renewed(event: MeasureRenewed) -> None:
    measure = event.measure
    _measure_notice(
        measure,
        kind="measure_renewed",
        text=f"la mesure ({_kind(measure)}) est renouvelée jusqu'au {measure.ends_on:%d/%m/%Y}.",
    )


def measure_closed(event: MeasureClosed) -> None:
    measure = event.measure
    _measure_notice(
        measure,
        kind="measure_closed",
        text=(
            f"la mesure ({_kind(measure)}) est clôturée le {event.closed_on:%d/%m/%Y} : "
            f"{measure.get_outcome_display().lower()}."
        ),
    )


def household_shared(event: HouseholdAccessChanged) -> None:
    """A household newly shared with a partner by a workflow step: its people are told (not
    the partner whose own step it was, nor by the nightly check)."""
    if event.before != "none" or event.after == "none" or event.by is None:
        return
    if event.by.partner is not None and event.by.partner.pk == event.partner.pk:
        return
    access = "lecture et modification" if event.after == "change" else "lecture seule"
    queue_notice(
        kind="household_shared",
        text=(
            f"{event.household.reference} : ce dossier est désormais partagé avec votre "
            f"structure ({access})."
        ),
        recipients=members([event.partner.pk]),
        household=event.household,
        link=reverse("households:detail", args=[event.household.pk]),
        object_type="household",
        object_id=event.household.pk,
    )


def outreach_requested(event: OutreachRequested) -> None:
    """The association is asked to answer: a task for its people."""
    request = event.request
    queue_notice(
        kind="outreach_requested",
        text=(
            f"{request.household.reference} : {request.landlord} demande à votre structure "
            "d'aller vers ce ménage ; votre réponse est attendue."
        ),
        recipients=members([request.association_id]),
        link=reverse("actions:outreach_detail", args=[request.pk]),
        object_type=OUTREACH,
        object_id=request.pk,
        task=True,
    )


def outreach_answered(event: OutreachAnswered) -> None:
    """The association's task is done; the landlord that asked learns the answer."""
    request = event.request
    tasks_done(object_type=OUTREACH, object_id=request.pk, partner_ids=[request.association_id])
    answer = "accepte" if request.status == OutreachStatus.ACCEPTED else "décline"
    queue_notice(
        kind="outreach_answered",
        text=f"{request.household.reference} : {request.association} {answer} votre demande "
        "d'aller-vers.",
        recipients=members([request.landlord_id]),
        household=request.household,
        link=reverse("actions:outreach_detail", args=[request.pk]),
        object_type=OUTREACH,
        object_id=request.pk,
    )


def outreach_withdrawn(event: OutreachWithdrawn) -> None:
    """The association has nothing left to answer (its task is done, for all its people),
    and is told the landlord withdrew the request. No household: it never read the file."""
    request = event.request
    tasks_done(object_type=OUTREACH, object_id=request.pk, partner_ids=[request.association_id])
    queue_notice(
        kind="outreach_withdrawn",
        text=(
            f"{request.household.reference} : {request.landlord} retire sa demande "
            "d'aller-vers ; votre réponse n'est plus attendue."
        ),
        recipients=members([request.association_id]),
        link=reverse("actions:outreach_detail", args=[request.pk]),
        object_type=OUTREACH,
        object_id=request.pk,
    )


def follow_up_logged(event: FollowUpLogged) -> None:
    """A contact logged in a measure: its « no follow-up » reminder is done."""
    if event.follow_up.measure_id:
        tasks_done(
            object_type="measure", object_id=event.follow_up.measure_id, kinds=["no_follow_up"]
        )


def lease_reviewed(event: LeaseReviewed) -> None:
    """A review recorded: the reminders of the lease's review are done."""
    tasks_done(object_type="lease", object_id=event.review.lease_id, kinds=["lease_review"])
