from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import text
from core.dates import DATE_CEILING, DATE_FLOOR, plausible_date
from core.text import BoundedTextField
from households.models import PRIVACY_HELP, ActionKind, Diagnostic, Household
from partners.models import Partner


class Purpose(models.TextChoices):
    START = "start", "Démarrage de l'action"
    RENEWAL = "renewal", "Renouvellement de la mesure"


class CoDecisionStatus(models.TextChoices):
    PENDING = "pending", "En attente des réponses"
    ADJOURNED = "adjourned", "Ajournée"
    DISAGREEMENT = "disagreement", "Désaccord : arbitrage de la coordination"
    APPROVED = "approved", "Approuvée"
    REJECTED = "rejected", "Refusée"
    # Closed without the parties' decision, because what it was to decide is over (the
    # measure to renew was closed first): not a refusal.
    CANCELLED = "cancelled", "Annulée"


OPEN_STATUSES = [
    CoDecisionStatus.PENDING,
    CoDecisionStatus.ADJOURNED,
    CoDecisionStatus.DISAGREEMENT,
]
# Open and in the partners' hands: a disagreement waits for the coordination's arbitration.
WAITING_STATUSES = [CoDecisionStatus.PENDING, CoDecisionStatus.ADJOURNED]
_DECIDED = frozenset({CoDecisionStatus.APPROVED, CoDecisionStatus.REJECTED})

# The moves a co-decision's status may make (core.states.transition): the answers move it
# between its open statuses and to a decision (codecision_answer, status_from_answers); the
# coordination's arbitration rejects a disagreement or sends it back to both sides; a
# co-decision whose subject is over is cancelled. A decided or cancelled one never moves.
CODECISION_TRANSITIONS = {
    None: frozenset({CoDecisionStatus.PENDING}),
    CoDecisionStatus.PENDING: frozenset(
        {CoDecisionStatus.ADJOURNED, CoDecisionStatus.DISAGREEMENT, CoDecisionStatus.CANCELLED}
        | _DECIDED
    ),
    CoDecisionStatus.ADJOURNED: frozenset(
        {CoDecisionStatus.PENDING, CoDecisionStatus.DISAGREEMENT, CoDecisionStatus.CANCELLED}
        | _DECIDED
    ),
    CoDecisionStatus.DISAGREEMENT: frozenset(
        {CoDecisionStatus.PENDING, CoDecisionStatus.ADJOURNED, CoDecisionStatus.CANCELLED}
        | _DECIDED
    ),
}


class Side(models.TextChoices):
    LANDLORD = "landlord", "Bailleur"
    ASSOCIATION = "association", "Association"


class Answer(models.TextChoices):
    APPROVE = "approve", "Approuve"
    REJECT = "reject", "Refuse"
    ADJOURN = "adjourn", "Demande l'ajournement"


# A side that approved or refused has decided; an adjournment waits for another answer.
DECIDING_ANSWERS = [Answer.APPROVE, Answer.REJECT]


class CommitteeSession(models.Model):
    """A committee meeting where coordinators examine pending co-decisions with the partners."""

    held_on = models.DateField("date du comité", validators=[plausible_date])
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="participants", related_name="+", blank=True
    )
    other_participants = BoundedTextField("autres participants", limit=text.REASON, blank=True)
    notes = BoundedTextField("notes", limit=text.ACCOUNT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="créé par",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        verbose_name="validé par",
    )
    signed_off_at = models.DateTimeField("validé le", null=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "comité"
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_on__range=(DATE_FLOOR, DATE_CEILING)),
                name="committee_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"Comité du {self.held_on:%d/%m/%Y}"

    @property
    def is_signed(self) -> bool:
        return self.signed_off_at is not None

    def represented_partners(self) -> models.QuerySet:
        """The partners the committee lists as represented: those of its participants. Their
        answers are recorded in it, and their users read its minutes."""
        return Partner.objects.filter(
            memberships__user__in=self.participants.values("pk")
        ).distinct()


class CoDecisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def waiting_on(self, side: str):
        """The co-decisions waiting for `side`'s answer: « en attente de la réponse d'un
        partenaire » is this one rule, read by the pending list, the API's `waiting`, the
        reminders and the case's timeline (CoDecision.sides_waiting says it of one row).

        A side waits to answer while the co-decision is pending or adjourned and that side
        has neither approved nor refused; a disagreement waits for the coordination."""
        return self.filter(status__in=WAITING_STATUSES).exclude(
            **{f"{side}_answer__in": DECIDING_ANSWERS}
        )

    def waiting_for(self, partner: Partner):
        """The co-decisions waiting for `partner`'s answer, on whichever side it sits."""
        return self.waiting_on(Side.LANDLORD).filter(landlord=partner) | self.waiting_on(
            Side.ASSOCIATION
        ).filter(association=partner)


def sides_waiting(status: str, landlord_answer: str, association_answer: str) -> list[str]:
    """The sides whose answer a co-decision in `status` with these answers waits for (the
    rule of CoDecisionQuerySet.waiting_on, for values already read)."""
    if status not in WAITING_STATUSES:
        return []
    answers = {Side.LANDLORD: landlord_answer, Side.ASSOCIATION: association_answer}
    return [side for side in Side if answers[side] not in DECIDING_ANSWERS]


class CoDecision(models.Model):
    """Joint decision of one landlord and one association on a household: to start one of
    the four actions, or to renew its measure.

    A co-decision knows what is proposed (the action kind), for which household, by whom and
    why; it knows nothing of the action it starts or the measure it renews: the app that
    asked for it (actions) keeps that link and hears the decision (codecision.events).

    Approved only when both sides have approved. The latest answer of each side is kept on
    the row (for lists); every answer is kept in CoDecisionAnswer (nothing is overwritten)."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="codecisions"
    )
    kind = models.CharField("action proposée", max_length=30, choices=ActionKind.choices)
    purpose = models.CharField("objet", max_length=10, choices=Purpose.choices)
    landlord = models.ForeignKey(
        Partner, verbose_name="bailleur", on_delete=models.PROTECT, related_name="+"
    )
    association = models.ForeignKey(
        Partner, verbose_name="association", on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="proposée par",
    )
    proposed_by_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="structure qui propose",
    )
    reason = BoundedTextField("motif", limit=text.REASON, blank=True, help_text=PRIVACY_HELP)
    diagnostic = models.ForeignKey(
        Diagnostic,
        verbose_name="diagnostic",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        "état", max_length=20, choices=CoDecisionStatus.choices, default=CoDecisionStatus.PENDING
    )
    landlord_answer = models.CharField(
        "réponse du bailleur", max_length=10, choices=Answer.choices, blank=True
    )
    association_answer = models.CharField(
        "réponse de l'association", max_length=10, choices=Answer.choices, blank=True
    )
    arbitrated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name="arbitré par",
    )
    arbitration_comment = BoundedTextField("motif de l'arbitrage", limit=text.REASON, blank=True)
    session = models.ForeignKey(
        CommitteeSession,
        on_delete=models.SET_NULL,
        related_name="codecisions",
        null=True,
        blank=True,
        verbose_name="comité",
    )
    opened_at = models.DateTimeField("ouverte le", default=timezone.now, editable=False)
    decided_at = models.DateTimeField("décidée le", null=True, editable=False)

    history = HistoricalRecords()
    objects = CoDecisionQuerySet.as_manager()
    TRANSITIONS = CODECISION_TRANSITIONS

    class Meta:
        verbose_name = "co-décision"
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=CoDecisionStatus.APPROVED)
                | (
                    models.Q(landlord_answer=Answer.APPROVE)
                    & models.Q(association_answer=Answer.APPROVE)
                ),
                name="approved_codecision_has_both_approvals",
            ),
        ]

    def __str__(self) -> str:
        return f"Co-décision ({self.get_purpose_display().lower()}) — {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def sides_waiting(self) -> list[str]:
        """The sides whose answer this co-decision waits for (the rule of
        CoDecisionQuerySet.waiting_on, for one row already read)."""
        return sides_waiting(self.status, self.landlord_answer, self.association_answer)

    def partner_of(self, side: str) -> Partner:
        return self.landlord if side == Side.LANDLORD else self.association

    def side_of(self, partner: Partner) -> str | None:
        if partner == self.landlord:
            return Side.LANDLORD
        if partner == self.association:
            return Side.ASSOCIATION
        return None


class CoDecisionAnswer(models.Model):
    """One side's answer, as given (or recorded by a coordinator in a committee)."""

    codecision = models.ForeignKey(
        CoDecision, verbose_name="co-décision", on_delete=models.PROTECT, related_name="answers"
    )
    side = models.CharField("partie", max_length=20, choices=Side.choices)
    partner = models.ForeignKey(
        Partner, verbose_name="structure", on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField("réponse", max_length=10, choices=Answer.choices)
    comment = BoundedTextField("commentaire", limit=text.REASON, blank=True)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent de la mesure",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="répondu par",
    )
    session = models.ForeignKey(
        CommitteeSession,
        on_delete=models.PROTECT,
        related_name="answers",
        null=True,
        blank=True,
        verbose_name="comité",
    )
    answered_at = models.DateTimeField("répondu le", default=timezone.now)
    # The side's answers are numbered 1, 2… (codecision.services.codecision_answer): two
    # answers sent at once get the same number, and only one is stored.
    round = models.PositiveSmallIntegerField("tour", default=1)

    class Meta:
        verbose_name = "réponse à une co-décision"
        verbose_name_plural = "réponses aux co-décisions"
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["codecision", "side", "round"],
                name="codecision_answer_once_per_side_and_round",
                violation_error_message="Cette partie a déjà répondu à ce tour de la co-décision.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} : {self.get_answer_display()}"


class CommitteeItem(models.Model):
    """A co-decision examined by a committee, as its signed minutes record it: written once
    when the minutes are signed (committee_session_sign_off), never changed afterwards, so
    the minutes read the same whatever happens to the co-decision later."""

    session = models.ForeignKey(
        CommitteeSession, verbose_name="comité", on_delete=models.PROTECT, related_name="items"
    )
    codecision = models.ForeignKey(
        CoDecision,
        verbose_name="co-décision",
        on_delete=models.PROTECT,
        related_name="committee_items",
    )
    decision = models.CharField(
        "état à la signature", max_length=20, choices=CoDecisionStatus.choices
    )
    landlord_answer = models.CharField(
        "réponse du bailleur", max_length=10, choices=Answer.choices, blank=True
    )
    association_answer = models.CharField(
        "réponse de l'association", max_length=10, choices=Answer.choices, blank=True
    )
    adjourned = models.BooleanField("ajournée à un prochain comité", default=False)

    class Meta:
        verbose_name = "dossier examiné en comité"
        verbose_name_plural = "dossiers examinés en comité"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "codecision"], name="committee_item_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} : {self.codecision}"
