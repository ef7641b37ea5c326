"""Co-decision steps: open, answer, arbitrate, cancel, and committee sessions.

A co-decision is approved only when the landlord and the association have both approved
(docs/DESIGN.md section 3). Answers are rows of their own: two partners answering at the
same moment both keep their answer, because the co-decision row is locked while each answer
is applied and the status is computed from both sides' latest answers.

What follows a decision (an action starts, a measure is renewed, an action is rejected) is
not decided here: the decision is published (codecision.events.CoDecisionDecided) and the
app that asked for the co-decision acts on it, in the same transaction.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from codecision.events import (
    CoDecisionAnswered,
    CoDecisionArbitrated,
    CoDecisionCancelled,
    CoDecisionDecided,
    CoDecisionOpened,
)
from codecision.models import (
    Answer,
    CoDecision,
    CoDecisionAnswer,
    CoDecisionStatus,
    CommitteeItem,
    CommitteeSession,
    Purpose,
    Side,
)
from core import events
from core.errors import DomainError
from core.history import save_with_history
from core.locking import locked
from core.states import transition
from core.text import check_bounds
from households.involvement import involvement_sync
from households.models import Diagnostic, Household
from partners.models import Membership, Partner, Role, User

ARBITRATION_REJECT = "reject"
ARBITRATION_REOPEN = "reopen"


def codecision_open(
    *,
    household: Household,
    kind: str,
    landlord: Partner,
    association: Partner,
    by: User,
    purpose: str = Purpose.START,
    reason: str = "",
    diagnostic: Diagnostic | None = None,
) -> CoDecision:
    """Open a co-decision of `landlord` and `association` on `household`, proposed by `by`
    for `reason`; both sides are told it waits for their answer (CoDecisionOpened)."""
    codecision = CoDecision(
        household=household,
        kind=kind,
        purpose=purpose,
        landlord=landlord,
        association=association,
        proposed_by=by,
        proposed_by_partner=by.partner,
        reason=reason,
        diagnostic=diagnostic,
    )
    transition(
        codecision, CoDecisionStatus.PENDING, by=by, reason=f"Ouverture : {Purpose(purpose).label}"
    )
    events.publish(CoDecisionOpened(codecision=codecision))
    involvement_sync(household=household, by=by)
    return codecision


def referent_candidates(association: Partner):
    """Who may be named referent of a measure: an active caseworker of the association that
    carries it (a deactivated account is never named). The answer form's list, the API's
    answer and the opening of the measure (actions.services.measure_open) all check this."""
    members = Membership.objects.filter(partner=association, role=Role.CASEWORKER)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def is_referent_candidate(user: User | None, association: Partner) -> bool:
    return user is not None and referent_candidates(association).filter(pk=user.pk).exists()


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


ALREADY_ANSWERED = "Votre structure a déjà donné cette réponse à cette co-décision."


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

    When both sides have approved, or both refused, the decision is published: for a start,
    with the referent the association named and the measure's first day (`starts_on`); the
    workflow then starts the action, renews the measure or rejects the action."""
    codecision = locked(CoDecision, codecision.pk)
    if not codecision.is_open:
        raise DomainError(
            f"Cette co-décision est close ({codecision.get_status_display().lower()})."
        )
    if by.is_coordinator:
        if side not in Side.values or session is None:
            raise DomainError(
                "La coordination enregistre la réponse d'une partie lors d'un comité.",
                field="session",
            )
    else:
        if session is not None:
            raise DomainError(
                "Seule la coordination enregistre une réponse donnée en comité.", field="session"
            )
        side = codecision.side_of(by.partner)
        if side is None:
            raise DomainError("Votre structure n'est pas partie à cette co-décision.")
    partner = codecision.partner_of(side)
    if session is not None:
        session = locked(CommitteeSession, session.pk)
        committee_check_answer(session, partner=partner, codecision=codecision)
    if answer == Answer.REJECT and not comment.strip():
        raise DomainError(
            "Motivez le refus : l'autre partie et la coordination lisent ce motif.",
            field="comment",
        )
    needs_referent = (
        codecision.purpose == Purpose.START
        and side == Side.ASSOCIATION
        and answer == Answer.APPROVE
    )
    if needs_referent and not is_referent_candidate(referent, partner):
        raise DomainError(
            "En approuvant, l'association désigne le référent de la mesure parmi ses "
            "travailleurs sociaux en activité.",
            field="referent",
        )
    # The same answer again from the same side is a double submit; a side may change its
    # answer, in its next round (the database holds one answer per side and round).
    if getattr(codecision, f"{side}_answer") == answer:
        raise DomainError(ALREADY_ANSWERED)
    answer_round = 1 + codecision.answers.filter(side=side).count()
    given = CoDecisionAnswer(
        codecision=codecision,
        side=side,
        partner=partner,
        answer=answer,
        comment=comment,
        referent=referent if needs_referent else None,
        answered_by=by,
        session=session,
        round=answer_round,
    )
    check_bounds(given)
    try:
        with transaction.atomic():
            given.save()
    except IntegrityError:  # the same side, at the same moment, through another request
        raise DomainError(ALREADY_ANSWERED) from None
    setattr(codecision, f"{side}_answer", answer)
    if session is not None:
        codecision.session = session
    reason = f"{partner} : {Answer(answer).label.lower()}" + (f" — {comment}" if comment else "")
    status = status_from_answers(codecision.landlord_answer, codecision.association_answer)
    _decide(codecision, status, by=by, reason=reason, starts_on=starts_on)
    events.publish(
        CoDecisionAnswered(
            codecision=codecision,
            side=side,
            partner=partner,
            answer=answer,
            by=by,
            session=session,
        )
    )
    return codecision


def committee_check_answer(
    session: CommitteeSession, *, partner: Partner, codecision: CoDecision
) -> None:
    """A committee records a side's answer only while its minutes are unsigned, on or after
    its date, for a partner it lists as represented, on a co-decision not on another
    committee's agenda."""
    if session.is_signed:
        raise DomainError(
            "Ce comité est signé : ses décisions ne se modifient plus.", field="session"
        )
    if timezone.localdate() < session.held_on:
        raise DomainError(
            f"Le {session} n'a pas encore eu lieu : ses réponses s'enregistrent à partir "
            f"du {session.held_on:%d/%m/%Y}.",
            field="session",
        )
    if not session.represented_partners().filter(pk=partner.pk).exists():
        raise DomainError(
            f"{partner} n'est pas représenté au {session} : sa réponse ne s'y enregistre pas.",
            field="side",
        )
    if codecision.session_id not in (None, session.pk):
        raise DomainError(
            "Cette co-décision est à l'ordre du jour d'un autre comité.", field="session"
        )


def _decide(
    codecision: CoDecision, status: str, *, by: User, reason: str, starts_on: date | None
) -> None:
    now = timezone.now()
    decided = status in (CoDecisionStatus.APPROVED, CoDecisionStatus.REJECTED)
    if decided:
        codecision.decided_at = now
    transition(codecision, status, by=by, reason=reason)
    if decided:
        events.publish(
            CoDecisionDecided(
                codecision=codecision,
                by=by,
                decided_on=timezone.localdate(now),
                starts_on=starts_on,
                referent=_referent(codecision),
            )
        )
    # After the workflow acted on the decision (a measure opened, an action rejected).
    involvement_sync(household=codecision.household, by=by)


def _referent(codecision: CoDecision) -> User | None:
    """The measure's referent named by the association when it approved a start."""
    if codecision.status != CoDecisionStatus.APPROVED or codecision.purpose != Purpose.START:
        return None
    approvals = codecision.answers.filter(side=Side.ASSOCIATION, answer=Answer.APPROVE)
    return approvals.latest("answered_at", "pk").referent


@transaction.atomic
def codecision_arbitrate(
    *, codecision: CoDecision, by: User, decision: str, comment: str
) -> CoDecision:
    """A coordinator settles a disagreement: rejects the proposal, or reopens it so that both
    sides answer again. Arbitration never approves on a side's behalf (both must approve)."""
    if not by.is_coordinator:
        raise DomainError("L'arbitrage revient à la coordination du dispositif.")
    codecision = locked(CoDecision, codecision.pk)
    if codecision.status != CoDecisionStatus.DISAGREEMENT:
        raise DomainError("La coordination arbitre un désaccord entre les deux parties.")
    if not comment.strip():
        raise DomainError("Motivez l'arbitrage.", field="comment")
    codecision.arbitrated_by, codecision.arbitration_comment = by, comment
    if decision == ARBITRATION_REJECT:
        _decide(
            codecision,
            CoDecisionStatus.REJECTED,
            by=by,
            reason=f"Arbitrage : refus — {comment}",
            starts_on=None,
        )
    elif decision == ARBITRATION_REOPEN:
        codecision.landlord_answer = codecision.association_answer = ""
        transition(
            codecision,
            CoDecisionStatus.PENDING,
            by=by,
            reason=f"Arbitrage : nouvel examen — {comment}",
        )
    else:
        raise DomainError("Choisissez le refus ou un nouvel examen.", field="decision")
    events.publish(
        CoDecisionArbitrated(codecision=codecision, by=by, decision=decision, comment=comment)
    )
    return codecision


@transaction.atomic
def codecision_cancel(*, codecision: CoDecision, by: User, reason: str) -> CoDecision:
    """Close an open co-decision without the parties' decision, because what it was to decide
    is over (the measure to renew is closed): it ends cancelled — not refused — and nothing
    follows from it."""
    codecision = locked(CoDecision, codecision.pk)
    if not codecision.is_open:
        return codecision
    codecision.decided_at = timezone.now()
    transition(codecision, CoDecisionStatus.CANCELLED, by=by, reason=reason)
    events.publish(CoDecisionCancelled(codecision=codecision, by=by))
    involvement_sync(household=codecision.household, by=by)
    return codecision


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
    if not by.is_coordinator:
        raise DomainError("Les comités sont organisés par la coordination.")
    closed = [c for c in codecisions if not c.is_open]
    if closed:
        raise DomainError("Seules des co-décisions en attente sont inscrites à l'ordre du jour.")
    elsewhere = CoDecision.objects.filter(pk__in=[c.pk for c in codecisions], session__isnull=False)
    if elsewhere.exists():
        raise DomainError(
            "Une de ces co-décisions est déjà à l'ordre du jour d'un autre comité.",
            field="codecisions",
        )
    session = CommitteeSession(
        held_on=held_on, created_by=by, other_participants=other_participants
    )
    save_with_history(session, by=by)
    session.participants.set(participants)
    CoDecision.objects.filter(pk__in=[c.pk for c in codecisions]).update(session=session)
    return session


@dataclass(frozen=True)
class CommitteeAnswerRow:
    """A side whose answer the committee may record: a co-decision of its agenda waiting
    for that side (CoDecision.sides_waiting), with whether its partner is represented."""

    codecision: CoDecision
    side: str
    partner: Partner
    represented: bool

    @property
    def asks_referent(self) -> bool:
        """An association approving a start names the referent (codecision_answer)."""
        return self.side == Side.ASSOCIATION and self.codecision.purpose == Purpose.START


def committee_answer_rows(session: CommitteeSession) -> list[CommitteeAnswerRow]:
    """Every answer still to give on the committee's agenda, one row per co-decision and
    side; a side not represented is listed, to say so, and records nothing."""
    represented = set(session.represented_partners().values_list("pk", flat=True))
    codecisions = (
        session.codecisions.open()
        .select_related("household", "landlord", "association")
        .order_by("opened_at", "pk")
    )
    return [
        CommitteeAnswerRow(
            codecision=codecision,
            side=side,
            partner=codecision.partner_of(side),
            represented=codecision.partner_of(side).pk in represented,
        )
        for codecision in codecisions
        for side in codecision.sides_waiting()
    ]


class CommitteeAnswerRefused(DomainError):
    """One answer of a committee refused: nothing of the committee's answers is recorded,
    and the row says why."""

    def __init__(self, message: str, *, field: str | None, row: CommitteeAnswerRow):
        super().__init__(message, field=field)
        self.row = row


@transaction.atomic
def committee_answers_record(*, session: CommitteeSession, by: User, answers: list[dict]) -> int:
    """Record, in one go, the answers the sides gave in the committee (each as
    codecision_answer records it, with all its rules); all or nothing. Returns how many."""
    if not by.is_coordinator:
        raise DomainError("La coordination enregistre les réponses données en comité.")
    for given in answers:
        row = given["row"]
        try:
            codecision_answer(
                codecision=row.codecision,
                by=by,
                answer=given["answer"],
                comment=given.get("comment", ""),
                referent=given.get("referent"),
                side=row.side,
                session=session,
                starts_on=given.get("starts_on"),
            )
        except DomainError as error:
            raise CommitteeAnswerRefused(error.message, field=error.field, row=row) from error
    return len(answers)


def committee_pending_items(session: CommitteeSession):
    """The co-decisions on the agenda still waiting for a decision of the committee: open,
    and not adjourned by a side's answer."""
    return session.codecisions.open().exclude(status=CoDecisionStatus.ADJOURNED)


@transaction.atomic
def committee_session_sign_off(
    *,
    session: CommitteeSession,
    by: User,
    notes: str = "",
    adjourned: list[CoDecision] = (),
) -> CommitteeSession:
    """Sign the minutes. Each item still pending must be explicitly `adjourned` to a later
    committee, or the signature is refused. The minutes then record, once and for all, what
    each item stood at (CommitteeItem); the items still open leave the agenda, free to be
    put on the next committee's."""
    if not by.is_coordinator:
        raise DomainError("Le compte rendu est validé par la coordination.")
    session = locked(CommitteeSession, session.pk)
    if session.signed_off_at:
        raise DomainError("Ce compte rendu est déjà validé.")
    agenda = list(session.codecisions.select_for_update(of=("self",)).select_related("household"))
    adjourned_ids = {c.pk for c in adjourned}
    if adjourned_ids - {c.pk for c in agenda}:
        raise DomainError(
            "Seul un dossier inscrit à l'ordre du jour de ce comité peut y être ajourné.",
            field="adjourned",
        )
    pending = committee_pending_items(session).exclude(pk__in=adjourned_ids)
    if pending.exists():
        references = ", ".join(pending.values_list("household__reference", flat=True))
        raise DomainError(
            f"Des dossiers attendent encore une décision ({references}) : enregistrez les "
            "réponses des parties ou ajournez-les explicitement avant de valider.",
            field="adjourned",
        )
    for codecision in agenda:
        CommitteeItem.objects.create(
            session=session,
            codecision=codecision,
            decision=codecision.status,
            landlord_answer=codecision.landlord_answer,
            association_answer=codecision.association_answer,
            adjourned=codecision.pk in adjourned_ids
            or codecision.status == CoDecisionStatus.ADJOURNED,
        )
        if codecision.is_open:
            codecision.session = None
            save_with_history(
                codecision, by=by, reason=f"Ajournée par le {session} à un prochain comité"
            )
    session.notes = notes or session.notes
    session.signed_off_by, session.signed_off_at = by, timezone.now()
    save_with_history(session, by=by, reason="Compte rendu validé")
    return session


def codecision_age_days(codecision: CoDecision, now: datetime | None = None) -> int:
    return ((now or timezone.now()) - codecision.opened_at).days
