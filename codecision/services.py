"""Co-decision steps: open, answer, arbitrate, renew, and committee sessions.

A co-decision is approved only when the landlord and the association have both approved
(DESIGN.md section 3). Answers are rows of their own: two partners answering at the same
moment both keep their answer, because the co-decision row is locked while each answer is
applied and the status is computed from both sides' latest answers.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from actions import services as action_services
from actions.models import Action, ActionStatus, SupportMeasure
from codecision.models import (
    Answer,
    CoDecision,
    CoDecisionAnswer,
    CoDecisionStatus,
    CommitteeSession,
    Purpose,
    Side,
)
from partners.errors import DomainError
from partners.models import Role, User

ARBITRATION_REJECT = "reject"
ARBITRATION_REOPEN = "reopen"


def codecision_open(
    *,
    action: Action,
    by: User,
    purpose: str = Purpose.START,
    measure: SupportMeasure | None = None,
    comment: str = "",
) -> CoDecision:
    codecision = CoDecision(
        action=action,
        purpose=purpose,
        measure=measure,
        landlord=action.landlord,
        association=action.association,
    )
    reason = f"Ouverture : {Purpose(purpose).label}" + (f" — {comment}" if comment else "")
    action_services._save(codecision, by=by, reason=reason)
    from codecision.tasks import notify_codecision_opened
    from logement_toujours.queue import enqueue_on_commit

    enqueue_on_commit(notify_codecision_opened, codecision.pk)
    return codecision


def status_from_answers(landlord: str, association: str) -> str:
    """The co-decision's status from each side's latest answer."""
    answers = {landlord, association}
    if answers == {Answer.APPROVE}:
        return CoDecisionStatus.APPROVED
    if answers == {Answer.REJECT}:
        return CoDecisionStatus.REJECTED
    if answers == {Answer.APPROVE, Answer.REJECT}:
        return CoDecisionStatus.DISAGREEMENT
    if Answer.ADJOURN in answers:
        return CoDecisionStatus.ADJOURNED
    return CoDecisionStatus.PENDING


@transaction.atomic
def codecision_answer(
    *,
    codecision: CoDecision,
    by: User,
    answer: str,
    comment: str = "",
    referent: User | None = None,
    side: str | None = None,
    session: CommitteeSession | None = None,
    starts_on: date | None = None,
) -> CoDecision:
    """Record one side's answer. A coordinator records a side's answer given in a committee.

    When both sides have approved: a start co-decision starts the action and opens its
    measure (the association names the referent); a renewal co-decision renews the measure,
    if it is taken before the measure ends."""
    codecision = CoDecision.objects.select_for_update(of=("self",)).get(pk=codecision.pk)
    if not codecision.is_open:
        raise DomainError(
            f"Cette co-décision est close ({codecision.get_status_display().lower()})."
        )
    if by.role == Role.COORDINATOR:
        if side not in Side.values or session is None:
            raise DomainError(
                "La coordination enregistre la réponse d'une partie lors d'un comité.",
                field="session",
            )
        session.refresh_from_db(fields=["signed_off_at"])
        if session.signed_off_at is not None:
            raise DomainError(
                "Ce comité est signé : ses décisions ne se modifient plus.", field="session"
            )
    else:
        side = codecision.side_of(by.partner)
        if side is None:
            raise DomainError("Votre structure n'est pas partie à cette co-décision.")
    partner = codecision.landlord if side == Side.LANDLORD else codecision.association
    needs_referent = (
        codecision.purpose == Purpose.START
        and side == Side.ASSOCIATION
        and answer == Answer.APPROVE
    )
    if needs_referent and (
        referent is None or referent.role != Role.CASEWORKER or referent.partner != partner
    ):
        raise DomainError(
            "En approuvant, l'association désigne le référent de la mesure parmi ses "
            "travailleurs sociaux.",
            field="referent",
        )
    CoDecisionAnswer.objects.create(
        codecision=codecision,
        side=side,
        partner=partner,
        answer=answer,
        comment=comment,
        referent=referent if needs_referent else None,
        answered_by=by,
        session=session,
    )
    setattr(codecision, f"{side}_answer", answer)
    codecision.status = status_from_answers(
        codecision.landlord_answer, codecision.association_answer
    )
    if session is not None:
        codecision.session = session
    reason = f"{partner} : {Answer(answer).label.lower()}" + (f" — {comment}" if comment else "")
    _decide(codecision, by=by, reason=reason, starts_on=starts_on)
    return codecision


def _decide(codecision: CoDecision, *, by: User, reason: str, starts_on: date | None) -> None:
    now = timezone.now()
    if codecision.status in (CoDecisionStatus.APPROVED, CoDecisionStatus.REJECTED):
        codecision.decided_at = now
    action_services._save(codecision, by=by, reason=reason)
    action = codecision.action
    if codecision.status == CoDecisionStatus.APPROVED:
        if codecision.purpose == Purpose.START:
            referent = codecision.answers.filter(side=Side.ASSOCIATION, answer=Answer.APPROVE)
            action_services.action_start(
                action=action,
                referent=referent.latest("answered_at", "pk").referent,
                starts_on=starts_on or timezone.localdate(),
                by=by,
            )
        else:
            action_services.measure_renew(
                measure=codecision.measure, by=by, on=timezone.localdate(now)
            )
    elif codecision.status == CoDecisionStatus.REJECTED and codecision.purpose == Purpose.START:
        action_services.set_status(
            action, ActionStatus.REJECTED, by=by, reason="Co-décision refusée"
        )


@transaction.atomic
def codecision_arbitrate(
    *, codecision: CoDecision, by: User, decision: str, comment: str
) -> CoDecision:
    """A coordinator settles a disagreement: rejects the proposal, or reopens it so that both
    sides answer again. Arbitration never approves on a side's behalf (both must approve)."""
    if by.role != Role.COORDINATOR:
        raise DomainError("L'arbitrage revient à la coordination du dispositif.")
    codecision = CoDecision.objects.select_for_update(of=("self",)).get(pk=codecision.pk)
    if codecision.status != CoDecisionStatus.DISAGREEMENT:
        raise DomainError("La coordination arbitre un désaccord entre les deux parties.")
    if not comment.strip():
        raise DomainError("Motivez l'arbitrage.", field="comment")
    codecision.arbitrated_by, codecision.arbitration_comment = by, comment
    if decision == ARBITRATION_REJECT:
        codecision.status = CoDecisionStatus.REJECTED
        _decide(codecision, by=by, reason=f"Arbitrage : refus — {comment}", starts_on=None)
    elif decision == ARBITRATION_REOPEN:
        codecision.status = CoDecisionStatus.PENDING
        codecision.landlord_answer = codecision.association_answer = ""
        action_services._save(codecision, by=by, reason=f"Arbitrage : nouvel examen — {comment}")
    else:
        raise DomainError("Choisissez le refus ou un nouvel examen.", field="decision")
    return codecision


@transaction.atomic
def renewal_request(*, measure: SupportMeasure, by: User, comment: str = "") -> CoDecision:
    """Ask for the single renewal of a measure: opens a renewal co-decision."""
    measure = SupportMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    action_services.measure_check_renewable(measure, timezone.localdate())
    if measure.renewal_codecisions.open().exists():
        raise DomainError("Un renouvellement de cette mesure est déjà en co-décision.")
    return codecision_open(
        action=measure.action, by=by, purpose=Purpose.RENEWAL, measure=measure, comment=comment
    )


def codecision_cancel_open_renewals(*, measure: SupportMeasure, by: User) -> None:
    for codecision in measure.renewal_codecisions.open().select_for_update(of=("self",)):
        codecision.status = CoDecisionStatus.REJECTED
        codecision.decided_at = timezone.now()
        action_services._save(codecision, by=by, reason="Mesure clôturée avant la décision")


@transaction.atomic
def committee_session_create(
    *,
    by: User,
    held_on: date,
    codecisions: list[CoDecision],
    participants: list[User] = (),
    other_participants: str = "",
) -> CommitteeSession:
    """Group open co-decisions into a committee session (its agenda)."""
    if by.role != Role.COORDINATOR:
        raise DomainError("Les comités sont organisés par la coordination.")
    closed = [c for c in codecisions if not c.is_open]
    if closed:
        raise DomainError("Seules des co-décisions en attente sont inscrites à l'ordre du jour.")
    session = CommitteeSession(
        held_on=held_on, created_by=by, other_participants=other_participants
    )
    action_services._save(session, by=by)
    session.participants.set(participants)
    CoDecision.objects.filter(pk__in=[c.pk for c in codecisions]).update(session=session)
    return session


@transaction.atomic
def committee_session_sign_off(
    *, session: CommitteeSession, by: User, notes: str = ""
) -> CommitteeSession:
    if by.role != Role.COORDINATOR:
        raise DomainError("Le compte rendu est validé par la coordination.")
    session = CommitteeSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.signed_off_at:
        raise DomainError("Ce compte rendu est déjà validé.")
    session.notes = notes or session.notes
    session.signed_off_by, session.signed_off_at = by, timezone.now()
    action_services._save(session, by=by, reason="Compte rendu validé")
    return session


def codecision_age_days(codecision: CoDecision, now: datetime | None = None) -> int:
    return ((now or timezone.now()) - codecision.opened_at).days
