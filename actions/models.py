from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from codecision.models import CoDecision
from core import text
from core.dates import (
    DATE_CEILING,
    DATE_FLOOR,
    PlausibleDate,
    add_months,
    dates_plausible,
    plausible_date,
)
from core.text import BoundedTextField
from households.confidential import Confidential, ConfidentialQuerySet
from households.models import PRIVACY_HELP, ActionKind, Diagnostic, Household, SchemeStatus
from partners.models import Partner

money = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}
# A lease may be signed long ago (PlausibleDate(past_years=80)): its floor in the database.
LEASE_FLOOR = date(1940, 1, 1)


# Actions a landlord's CESF proposes for a tenant; the association channel proposes action 4.
LANDLORD_ACTION_KINDS = {ActionKind.ENERGY, ActionKind.SOLVENCY, ActionKind.SLIDING_LEASE_EVICTION}
ASSOCIATION_ACTION_KINDS = {ActionKind.SCATTERED_HOUSING}
SLIDING_LEASE_KINDS = {ActionKind.SLIDING_LEASE_EVICTION, ActionKind.SCATTERED_HOUSING}
RENT_REDUCTION_KINDS = {ActionKind.ENERGY, ActionKind.SOLVENCY}


class ActionStatus(models.TextChoices):
    """An action is created with its co-decision (orientation_create), so it starts « en
    co-décision »; it starts (its measure opens) the moment both sides approve."""

    IN_CODECISION = "in_codecision", "En co-décision"
    REJECTED = "rejected", "Refusée"
    IN_PROGRESS = "in_progress", "En cours"
    CLOSED = "closed", "Clôturée"


# The moves an action's status may make (core.states.transition): its start co-decision
# approved, it starts; refused, it is rejected; its measure closed, it closes.
ACTION_TRANSITIONS = {
    None: frozenset({ActionStatus.IN_CODECISION}),
    ActionStatus.IN_CODECISION: frozenset({ActionStatus.IN_PROGRESS, ActionStatus.REJECTED}),
    ActionStatus.IN_PROGRESS: frozenset({ActionStatus.CLOSED}),
}


class SolvencyTarget(models.TextChoices):
    STAY = "stay", "Maintien dans les lieux"
    TRANSFER = "transfer", "Mutation vers un logement moins cher"


class Orientation(models.Model):
    """The proposal of one of the four actions for a household, resting on a diagnostic."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="orientations"
    )
    kind = models.CharField("action proposée", max_length=30, choices=ActionKind.choices)
    association = models.ForeignKey(
        Partner,
        verbose_name="association proposée",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "association"},
    )
    landlord = models.ForeignKey(
        Partner,
        verbose_name="bailleur",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "landlord"},
        help_text="Pour l'action 4 : le bailleur qui fournit le logement.",
    )
    diagnostic = models.ForeignKey(
        Diagnostic,
        verbose_name="diagnostic",
        on_delete=models.PROTECT,
        related_name="orientations",
        null=True,
        blank=True,
    )
    reason = BoundedTextField("motif", limit=text.REASON, help_text=PRIVACY_HELP)
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
    created_at = models.DateTimeField("proposée le", default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pré-orientation"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Pré-orientation {self.get_kind_display()} du {self.created_at:%d/%m/%Y}"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[ActionStatus.REJECTED, ActionStatus.CLOSED])


class Action(models.Model):
    """One of the four graded actions for a household; its status moves only in services."""

    orientation = models.OneToOneField(
        Orientation, verbose_name="orientation", on_delete=models.PROTECT, related_name="action"
    )
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField("action", max_length=30, choices=ActionKind.choices)
    landlord = models.ForeignKey(
        Partner, verbose_name="bailleur", on_delete=models.PROTECT, related_name="+"
    )
    association = models.ForeignKey(
        Partner, verbose_name="association", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.IN_CODECISION
    )
    # Action 1: energy situation at start (copied from the diagnostic when the action starts).
    energy_costs_at_start = models.DecimalField(
        "dépenses d'énergie au démarrage", null=True, blank=True, **money
    )
    energy_effort_rate_at_start = models.DecimalField(
        "taux d'effort énergétique au démarrage (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    energy_label = models.CharField("étiquette énergie", max_length=1, blank=True)
    # Action 2: arrears and schemes.
    arrears_at_start = models.DecimalField("impayés au démarrage", null=True, blank=True, **money)
    repayment_plan_monthly = models.DecimalField(
        "plan d'apurement : mensualité", null=True, blank=True, **money
    )
    repayment_plan_start = models.DateField(
        "plan d'apurement : début", null=True, blank=True, validators=[plausible_date]
    )
    fsl_status = models.CharField(
        "dossier FSL", max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.NONE
    )
    overindebtedness_status = models.CharField(
        "dossier de surendettement",
        max_length=20,
        choices=SchemeStatus.choices,
        default=SchemeStatus.NONE,
    )
    solvency_target = models.CharField(
        "objectif", max_length=20, choices=SolvencyTarget.choices, blank=True
    )
    # Actions 1 and 2 (target transfer): the transfer request and its progress.
    transfer_requested_on = models.DateField(
        "mutation demandée le", null=True, blank=True, validators=[plausible_date]
    )
    dwelling_offered_on = models.DateField(
        "logement proposé le", null=True, blank=True, validators=[plausible_date]
    )
    offer_accepted_on = models.DateField(
        "proposition acceptée le", null=True, blank=True, validators=[plausible_date]
    )
    moved_on = models.DateField(
        "emménagement le", null=True, blank=True, validators=[plausible_date]
    )
    # The co-decisions on this action: its start, then each renewal of its measure.
    codecisions = models.ManyToManyField(
        CoDecision,
        through="CoDecisionLink",
        through_fields=("action", "codecision"),
        related_name="+",
        verbose_name="co-décisions",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = ActionQuerySet.as_manager()
    TRANSITIONS = ACTION_TRANSITIONS

    class Meta:
        verbose_name = "action"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(landlord=models.F("association")),
                name="action_two_distinct_partners",
            ),
            models.CheckConstraint(
                condition=dates_plausible(
                    "repayment_plan_start",
                    "transfer_requested_on",
                    "dwelling_offered_on",
                    "offer_accepted_on",
                    "moved_on",
                ),
                name="action_dates_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def kind_number(self) -> int:
        return list(ActionKind).index(self.kind) + 1

    @property
    def has_rent_reduction(self) -> bool:
        return self.kind in RENT_REDUCTION_KINDS

    @property
    def has_sliding_lease(self) -> bool:
        return self.kind in SLIDING_LEASE_KINDS


class RentReduction(models.Model):
    """Monthly reduction of the rent the household pays, borne by the landlord (actions 1, 2)."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="rent_reductions"
    )
    monthly_amount = models.DecimalField("minoration mensuelle", **money)
    starts_on = models.DateField("premier mois", validators=[plausible_date])
    ends_on = models.DateField("dernier mois", validators=[plausible_date])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("saisie le", default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "minoration de loyer"
        verbose_name_plural = "minorations de loyer"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="rent_reduction_ends_after_start",
                violation_error_message="Le dernier mois suit le premier.",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_amount__gt=0),
                name="rent_reduction_positive",
                violation_error_message="La minoration est un montant positif.",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__gte=DATE_FLOOR, ends_on__lte=DATE_CEILING),
                name="rent_reduction_dates_plausible",
            ),
            # No two reductions of an action on the same month: on PostgreSQL also an
            # exclusion constraint (actions migration 0001_initial, written by hand).
        ]

    def __str__(self) -> str:
        return f"Minoration de {self.monthly_amount} €"

    def months(self) -> list[date]:
        """First day of each month the reduction covers."""
        months, month = [], self.starts_on.replace(day=1)
        while month <= self.ends_on:
            months.append(month)
            month = add_months(month, 1)
        return months


class ArrearsReading(models.Model):
    """Action 2: the rent arrears on a date, to follow them over time."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="arrears_readings"
    )
    read_on = models.DateField("date", validators=[plausible_date])
    amount = models.DecimalField("montant des impayés", **money)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="saisi par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "relevé d'impayés"
        verbose_name_plural = "relevés d'impayés"
        ordering = ["read_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(read_on__range=(DATE_FLOOR, DATE_CEILING)),
                name="arrears_reading_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} € au {self.read_on:%d/%m/%Y}"


class PaymentOrderDelay(models.TextChoices):
    SIX_WEEKS = "six_weeks", "6 semaines (bail signé depuis le 29/07/2023)"
    TWO_MONTHS = "two_months", "2 mois (bail plus ancien)"


class JudgementKind(models.TextChoices):
    REFERE = "refere", "Ordonnance de référé (clause résolutoire)"
    MERITS = "merits", "Jugement au fond"


class JudgementOutcome(models.TextChoices):
    PAYMENT_PLAN = "payment_plan", "Délais de paiement, résiliation suspendue"
    EVICTION = "eviction", "Résiliation du bail et expulsion ordonnée"
    DISMISSED = "dismissed", "Demande du bailleur rejetée"


class ProcedureEnd(models.TextChoices):
    WITHDRAWN = "withdrawn", "Désistement du bailleur"
    PAID = "paid", "Dette soldée"
    CANCELLED = "cancelled", "Procédure abandonnée"


class EvictionProcedureQuerySet(models.QuerySet):
    def ongoing(self):
        return self.filter(ended_on__isnull=True)


class EvictionProcedure(models.Model):
    """The household's eviction procedure for rent arrears, whatever its action (or none):
    each stage that happened, with its date (docs/DOMAIN_RULES.md). One per household."""

    household = models.OneToOneField(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="procedure"
    )
    lease_signed_on = models.DateField(
        "date de signature du bail",
        null=True,
        blank=True,
        help_text="Propose le délai du commandement de payer (6 semaines ou 2 mois).",
        validators=[PlausibleDate(past_years=80)],
    )
    ccapex_referred_on = models.DateField(
        "saisine de la CCAPEX", null=True, blank=True, validators=[plausible_date]
    )
    payment_order_on = models.DateField(
        "commandement de payer", null=True, blank=True, validators=[plausible_date]
    )
    payment_order_delay = models.CharField(
        "délai écrit dans le commandement",
        max_length=20,
        choices=PaymentOrderDelay.choices,
        blank=True,
        help_text="Proposé d'après la date du bail ; à corriger selon l'acte (bail renouvelé "
        "tacitement : application discutée).",
    )
    summons_on = models.DateField("assignation", null=True, blank=True, validators=[plausible_date])
    dsf_requested_on = models.DateField(
        "diagnostic social et financier demandé par le préfet le",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    dsf_diagnostic = models.ForeignKey(
        Diagnostic,
        verbose_name="diagnostic de la CESF retenu comme diagnostic social et financier",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    dsf_interview_on = models.DateField(
        "entretien du diagnostic social et financier",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    dsf_tenant_observations = BoundedTextField(
        limit=text.ACCOUNT,
        verbose_name="observations du locataire",
        blank=True,
        help_text=PRIVACY_HELP,
    )
    dsf_landlord_observations = BoundedTextField(
        limit=text.ACCOUNT,
        verbose_name="observations du bailleur",
        blank=True,
        help_text=PRIVACY_HELP,
    )
    dsf_rehousing_need = models.BooleanField("besoin de relogement", null=True, blank=True)
    dsf_sent_to_ccapex_on = models.DateField(
        "diagnostic envoyé à la CCAPEX le", null=True, blank=True, validators=[plausible_date]
    )
    dsf_sent_on = models.DateField(
        "diagnostic envoyé au juge le", null=True, blank=True, validators=[plausible_date]
    )
    hearing_on = models.DateField("audience", null=True, blank=True, validators=[plausible_date])
    judgement_on = models.DateField("décision", null=True, blank=True, validators=[plausible_date])
    judgement_kind = models.CharField(
        "nature de la décision", max_length=10, choices=JudgementKind.choices, blank=True
    )
    judgement_outcome = models.CharField(
        "issue de la décision", max_length=20, choices=JudgementOutcome.choices, blank=True
    )
    judgement_served_on = models.DateField(
        "décision signifiée le",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="Le délai d'appel court de la signification.",
    )
    payment_plan_months = models.PositiveSmallIntegerField(
        "délais de paiement accordés (mois)", null=True, blank=True
    )
    payment_plan_monthly = models.DecimalField(
        "mensualité fixée par le juge", null=True, blank=True, **money
    )
    grace_period_months = models.PositiveSmallIntegerField(
        "délais de grâce avant l'expulsion (mois)",
        null=True,
        blank=True,
        help_text="Accordés par le juge (L412-3 et L412-4 du code des procédures civiles "
        "d'exécution) : de 1 mois à 1 an.",
    )
    grace_period_from = models.DateField(
        "délais de grâce accordés le",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="Par défaut, la décision.",
    )
    cohesion_protocol_on = models.DateField(
        "protocole de cohésion sociale signé le",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="Après la résiliation, le bailleur social peut proposer un protocole "
        "(article L442-6-5 du code de la construction et de l'habitation).",
    )
    order_to_leave_on = models.DateField(
        "commandement de quitter les lieux", null=True, blank=True, validators=[plausible_date]
    )
    order_to_leave_extra_months = models.PositiveSmallIntegerField(
        "délai supplémentaire accordé par le juge (mois)",
        default=0,
        help_text="Ajouté aux 2 mois du commandement de quitter les lieux (3 mois au plus).",
    )
    police_assistance_requested_on = models.DateField(
        "concours de la force publique demandé",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    court = models.CharField("tribunal", max_length=120, blank=True)
    # Set by procedure_end only: the procedure's reminders stop.
    ended_on = models.DateField("procédure terminée le", null=True, blank=True, editable=False)
    end_reason = models.CharField(
        "motif de fin", max_length=20, choices=ProcedureEnd.choices, blank=True, editable=False
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = EvictionProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "procédure d'expulsion"
        verbose_name_plural = "procédures d'expulsion"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | ~models.Q(end_reason=""),
                name="ended_procedure_has_reason",
            ),
            models.CheckConstraint(
                condition=dates_plausible("lease_signed_on", floor=LEASE_FLOOR),
                name="procedure_lease_date_plausible",
            ),
            models.CheckConstraint(
                condition=dates_plausible(
                    "ccapex_referred_on",
                    "payment_order_on",
                    "summons_on",
                    "dsf_requested_on",
                    "dsf_interview_on",
                    "dsf_sent_to_ccapex_on",
                    "dsf_sent_on",
                    "hearing_on",
                    "judgement_on",
                    "judgement_served_on",
                    "grace_period_from",
                    "cohesion_protocol_on",
                    "order_to_leave_on",
                    "police_assistance_requested_on",
                    "ended_on",
                ),
                name="procedure_dates_plausible",
            ),
        ]

    def __str__(self) -> str:
        return "Procédure d'expulsion"

    @property
    def eviction_ordered(self) -> bool:
        return self.judgement_outcome == JudgementOutcome.EVICTION

    @property
    def dsf_done_on(self) -> date | None:
        """The DSF interview: its own date, or the CESF diagnostic that counts as the DSF."""
        if self.dsf_interview_on:
            return self.dsf_interview_on
        return self.dsf_diagnostic.made_on if self.dsf_diagnostic_id else None


class DwellingType(models.TextChoices):
    STUDIO = "studio", "Studio"
    T1 = "t1", "T1"
    T2 = "t2", "T2"
    T3 = "t3", "T3"
    T4 = "t4", "T4"
    T5 = "t5", "T5 et plus"


class DwellingQuerySet(models.QuerySet):
    def with_occupant(self):
        """Each dwelling with the household of its running housing record, if any."""
        running = SlidingLease.objects.running().filter(dwelling=models.OuterRef("pk"))
        return self.annotate(
            occupant_id=models.Subquery(running.values("action__household_id")[:1]),
            occupant_reference=models.Subquery(running.values("action__household__reference")[:1]),
        )


class Dwelling(models.Model):
    """A dwelling an association holds in the scattered stock (action 4's register): free,
    or occupied by the household whose housing record names it."""

    association = models.ForeignKey(
        Partner,
        verbose_name="association",
        on_delete=models.PROTECT,
        related_name="dwellings",
        limit_choices_to={"kind": "association"},
    )
    address = models.CharField("adresse", max_length=200)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    landlord = models.ForeignKey(
        Partner,
        verbose_name="bailleur",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "landlord"},
    )
    dwelling_type = models.CharField("type", max_length=10, choices=DwellingType.choices)
    left_stock_on = models.DateField(
        "sorti du parc de l'association le",
        null=True,
        blank=True,
        editable=False,
        help_text="Après un glissement du bail, le logement est au ménage.",
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = DwellingQuerySet.as_manager()

    class Meta:
        verbose_name = "logement du parc diffus"
        verbose_name_plural = "logements du parc diffus"
        ordering = ["city", "address", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=dates_plausible("left_stock_on"),
                name="dwelling_left_stock_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.postcode} {self.city} ({self.get_dwelling_type_display()})"


class HousingMode(models.TextChoices):
    SLIDING_LEASE = "sliding_lease", "Bail glissant (sous-location)"
    TEMPORARY_OCCUPANCY = "temporary_occupancy", "Hébergement temporaire (convention d'occupation)"


class LeaseEnd(models.TextChoices):
    SUBLEASE_ENDED = "sublease_ended", "Fin de la sous-location"
    FAILURE = "failure", "Échec constaté (le bail ne glissera pas)"
    OCCUPANCY_ENDED = "occupancy_ended", "Fin de l'hébergement temporaire"


class SlidingLeaseQuerySet(models.QuerySet):
    def running(self):
        """Neither glided nor ended: reviews and reminders go on, whatever the measure."""
        return self.filter(glide_on__isnull=True, ended_on__isnull=True)


class SlidingLease(models.Model):
    """Actions 3 and 4: the association holds the lease and sublets to the household, or
    (action 4) hosts it under a temporary occupancy agreement. Runs until the glide, the end
    of the sublease or a recorded failure, whatever the state of the support measure."""

    action = models.OneToOneField(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="sliding_lease"
    )
    mode = models.CharField(
        "mode", max_length=20, choices=HousingMode.choices, default=HousingMode.SLIDING_LEASE
    )
    # Action 4: the dwelling in the association's register (scattered stock).
    dwelling = models.ForeignKey(
        Dwelling,
        verbose_name="logement du parc de l'association",
        on_delete=models.PROTECT,
        related_name="leases",
        null=True,
        blank=True,
    )
    address = models.CharField("adresse du logement", max_length=200, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    dwelling_type = models.CharField("type de logement", max_length=20, blank=True)
    rent = models.DecimalField("loyer", null=True, blank=True, **money)
    entry_on = models.DateField(
        "entrée dans les lieux", null=True, blank=True, validators=[plausible_date]
    )
    occupancy_agreement_on = models.DateField(
        "convention d'occupation temporaire signée le",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    main_lease_signed_on = models.DateField(
        "bail principal (bailleur → association) signé le",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    tripartite_agreement_on = models.DateField(
        "convention tripartite signée le",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    sublease_signed_on = models.DateField(
        "sous-location signée le", null=True, blank=True, validators=[plausible_date]
    )
    # Set by sliding_lease_glide and sliding_lease_end only.
    glide_on = models.DateField("glissement du bail le", null=True, blank=True, editable=False)
    new_lease_reference = models.CharField(
        "référence du nouveau bail", max_length=60, blank=True, editable=False
    )
    ended_on = models.DateField("fin le", null=True, blank=True, editable=False)
    end_reason = models.CharField(
        "motif de fin", max_length=20, choices=LeaseEnd.choices, blank=True, editable=False
    )
    end_detail = BoundedTextField(
        "précisions sur la fin", limit=text.REASON, blank=True, editable=False
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = SlidingLeaseQuerySet.as_manager()

    class Meta:
        verbose_name = "bail glissant"
        verbose_name_plural = "baux glissants"
        constraints = [
            models.UniqueConstraint(
                fields=["dwelling"],
                condition=models.Q(glide_on__isnull=True, ended_on__isnull=True),
                name="dwelling_one_running_lease",
                violation_error_message="Ce logement est déjà occupé.",
            ),
            models.CheckConstraint(
                condition=models.Q(glide_on__isnull=True) | models.Q(ended_on__isnull=True),
                name="lease_glided_or_ended",
            ),
            models.CheckConstraint(
                condition=dates_plausible(
                    "entry_on",
                    "occupancy_agreement_on",
                    "main_lease_signed_on",
                    "tripartite_agreement_on",
                    "sublease_signed_on",
                    "glide_on",
                    "ended_on",
                ),
                name="lease_dates_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.get_mode_display()

    @property
    def is_running(self) -> bool:
        return self.glide_on is None and self.ended_on is None

    @property
    def is_under_way(self) -> bool:
        """Signed or entered, and still running: it keeps its action open."""
        started = self.sublease_signed_on or self.occupancy_agreement_on or self.entry_on
        return self.is_running and started is not None

    @property
    def is_temporary_occupancy(self) -> bool:
        return self.mode == HousingMode.TEMPORARY_OCCUPANCY


class LeaseReview(models.Model):
    """The 6-monthly review of the household's capacity to take the lease in its own name."""

    lease = models.ForeignKey(
        SlidingLease, verbose_name="bail glissant", on_delete=models.PROTECT, related_name="reviews"
    )
    held_on = models.DateField("réunion le", validators=[plausible_date])
    rent_paid_regularly = models.BooleanField("loyer payé régulièrement")
    peaceful_occupation = models.BooleanField("occupation paisible")
    dwelling_upkept = models.BooleanField("entretien du logement")
    budget_managed = models.BooleanField("gestion du budget")
    observations = BoundedTextField(
        "observations", limit=text.ACCOUNT, blank=True, help_text=PRIVACY_HELP
    )
    landlord_offers_lease = models.BooleanField(
        "le bailleur propose le bail au ménage", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="saisi par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "point d'étape du bail glissant"
        verbose_name_plural = "points d'étape du bail glissant"
        ordering = ["held_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_on__range=(DATE_FLOOR, DATE_CEILING)),
                name="lease_review_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"Point du {self.held_on:%d/%m/%Y}"


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Clôturée"


# A measure opens active and closes once, with its outcome (measure_close).
MEASURE_TRANSITIONS = {
    None: frozenset({MeasureStatus.ACTIVE}),
    MeasureStatus.ACTIVE: frozenset({MeasureStatus.CLOSED}),
}


class Outcome(models.TextChoices):
    STAYED = "stayed", "Maintien dans le logement"
    TRANSFERRED = "transferred", "Mutation réalisée"
    LEASE_GLIDED = "lease_glided", "Bail glissé"
    REHOUSED = "rehoused", "Relogement"
    EVICTION_AVOIDED = "eviction_avoided", "Expulsion évitée"
    LEFT = "left", "Sortie du dispositif"
    OTHER = "other", "Autre"


# The outcomes that can close each action's measure (actions.services.measure_check_outcome);
# a glide or a transfer also needs its date recorded.
OUTCOMES_BY_KIND = {
    ActionKind.ENERGY: {
        Outcome.STAYED,
        Outcome.TRANSFERRED,
        Outcome.REHOUSED,
        Outcome.LEFT,
        Outcome.OTHER,
    },
    ActionKind.SOLVENCY: {
        Outcome.STAYED,
        Outcome.TRANSFERRED,
        Outcome.EVICTION_AVOIDED,
        Outcome.REHOUSED,
        Outcome.LEFT,
        Outcome.OTHER,
    },
    ActionKind.SLIDING_LEASE_EVICTION: {
        Outcome.STAYED,
        Outcome.LEASE_GLIDED,
        Outcome.EVICTION_AVOIDED,
        Outcome.REHOUSED,
        Outcome.LEFT,
        Outcome.OTHER,
    },
    ActionKind.SCATTERED_HOUSING: {
        Outcome.STAYED,
        Outcome.LEASE_GLIDED,
        Outcome.REHOUSED,
        Outcome.LEFT,
        Outcome.OTHER,
    },
}


class SupportMeasureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MeasureStatus.ACTIVE)

    def with_attention(self, today: date):
        """Each measure with its attention flags on `today`, the one rule the measures'
        overview and the daily reminders (actions.reminders) both read:

        - `overdue`: past its end with neither renewal nor closure;
        - `ends_soon`: ends within the first reminder's delay (REMINDER_MEASURE_END_DAYS);
        - `quiet`: begun REMINDER_NO_FOLLOW_UP_DAYS ago or more, with no follow-up logged
          since then (a measure started today is not quiet);
        - `last_follow_up_on`: the date of its latest follow-up."""
        quiet_since = today - timedelta(days=settings.REMINDER_NO_FOLLOW_UP_DAYS)
        soon = today + timedelta(days=max(settings.REMINDER_MEASURE_END_DAYS))
        last = (
            FollowUp.objects.filter(measure=models.OuterRef("pk"))
            .order_by()
            .values("measure")
            .annotate(last=models.Max("happened_on"))
            .values("last")
        )
        flag = {"output_field": models.BooleanField()}
        return self.annotate(last_follow_up_on=models.Subquery(last)).annotate(
            overdue=models.ExpressionWrapper(models.Q(ends_on__lt=today), **flag),
            ends_soon=models.ExpressionWrapper(
                models.Q(ends_on__gte=today, ends_on__lte=soon), **flag
            ),
            quiet=models.ExpressionWrapper(
                models.Q(starts_on__lte=quiet_since)
                & (
                    models.Q(last_follow_up_on__isnull=True)
                    | models.Q(last_follow_up_on__lte=quiet_since)
                ),
                **flag,
            ),
        )


class SupportMeasure(models.Model):
    """A 6-month support measure carried by an association caseworker, renewable once."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="measures"
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent",
        on_delete=models.PROTECT,
        related_name="measures",
    )
    starts_on = models.DateField("début", validators=[plausible_date])
    # Computed by the services from starts_on and renewal_count, never typed.
    ends_on = models.DateField("fin", editable=False, validators=[plausible_date])
    renewal_count = models.PositiveSmallIntegerField("renouvellements", default=0, editable=False)
    status = models.CharField(
        "état", max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE
    )
    closed_on = models.DateField(
        "clôturée le", null=True, blank=True, editable=False, validators=[plausible_date]
    )
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = BoundedTextField("précisions sur l'issue", limit=text.REASON, blank=True)
    # The co-decisions on renewing this measure (one may be open at a time).
    renewal_codecisions = models.ManyToManyField(
        CoDecision,
        through="CoDecisionLink",
        through_fields=("measure", "codecision"),
        related_name="+",
        verbose_name="co-décisions de renouvellement",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = SupportMeasureQuerySet.as_manager()
    TRANSITIONS = MEASURE_TRANSITIONS

    class Meta:
        verbose_name = "mesure d'accompagnement"
        verbose_name_plural = "mesures d'accompagnement"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(renewal_count__lte=1), name="measure_renewed_at_most_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MeasureStatus.CLOSED) | ~models.Q(outcome=""),
                name="closed_measure_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__gte=DATE_FLOOR, starts_on__lte=DATE_CEILING)
                & models.Q(ends_on__gt=models.F("starts_on")),
                name="measure_dates_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__lte=DATE_CEILING) & dates_plausible("closed_on"),
                name="measure_end_dates_plausible",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ends_on"],
                name="active_measure_ends_on",
                condition=models.Q(status=MeasureStatus.ACTIVE),
            )
        ]

    def __str__(self) -> str:
        return f"Mesure du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    @staticmethod
    def end_for(starts_on: date, renewal_count: int) -> date:
        return add_months(starts_on, settings.MEASURE_DURATION_MONTHS * (1 + renewal_count))

    @property
    def can_be_renewed(self) -> bool:
        return self.status == MeasureStatus.ACTIVE and (
            self.renewal_count < settings.MEASURE_MAX_RENEWALS
        )

    @property
    def months(self) -> int:
        return settings.MEASURE_DURATION_MONTHS * (1 + self.renewal_count)

    @property
    def ended_on(self) -> date:
        """The real last day: the closure's when it is closed (often before the planned
        end), the planned end otherwise."""
        return self.closed_on or self.ends_on

    @property
    def closed_early(self) -> bool:
        return self.closed_on is not None and self.closed_on < self.ends_on


class ObjectiveStatus(models.TextChoices):
    TODO = "todo", "À engager"
    IN_PROGRESS = "in_progress", "En cours"
    ACHIEVED = "achieved", "Atteint"
    ABANDONED = "abandoned", "Abandonné"


# An objective's progress is the referent's judgement: it may move between any two statuses
# (an abandoned objective taken up again, an achieved one found not to be).
OBJECTIVE_TRANSITIONS = {
    None: frozenset({ObjectiveStatus.TODO}),
    **{status: frozenset(ObjectiveStatus) - {status} for status in ObjectiveStatus},
}


class MeasureObjective(models.Model):
    measure = models.ForeignKey(
        SupportMeasure, verbose_name="mesure", on_delete=models.PROTECT, related_name="objectives"
    )
    text = models.CharField("objectif", max_length=300)
    status = models.CharField(
        "état", max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.TODO
    )

    history = HistoricalRecords()
    TRANSITIONS = OBJECTIVE_TRANSITIONS

    class Meta:
        verbose_name = "objectif"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class FollowUpKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Visite à domicile"
    OFFICE = "office", "Entretien au bureau"
    PHONE = "phone", "Appel téléphonique"
    ACCOMPANIMENT = "accompaniment", "Accompagnement à un rendez-vous"
    PARTNER_MEETING = "partner_meeting", "Réunion partenariale"
    OUTREACH = "outreach", "Aller-vers (locataire qui ne répond plus au bailleur)"


class FollowUpQuerySet(ConfidentialQuerySet):
    def journal_of(self, measure):
        """A measure's journal: its follow-ups, and the household's contacts between the
        action's orientation and the measure's start (a first visit before the start)."""
        action = measure.action
        before_start = models.Q(
            household_id=action.household_id,
            measure=None,
            happened_on__gte=timezone.localdate(action.created_at),
            happened_on__lt=measure.starts_on,
        )
        return self.filter(models.Q(measure=measure) | before_start)

    def pending_next_steps(self, seen_by=None):
        """The dated next steps still ahead: a follow-up's `next_step_on`, until a later
        follow-up of the household is logged — a later one `seen_by` this user can read
        (« Mes échéances »), or, without a user, one the step's author can read (the sweep,
        which reminds the author)."""
        later = FollowUp.objects.filter(household=models.OuterRef("household")).filter(
            models.Q(happened_on__gt=models.OuterRef("happened_on"))
            | models.Q(happened_on=models.OuterRef("happened_on"), pk__gt=models.OuterRef("pk"))
        )
        if seen_by is None:
            later = later.filter(
                models.Q(confidential=False)
                | models.Q(author_partner=models.OuterRef("author_partner"))
            )
        else:
            later = later.visible_to(seen_by)
        return self.filter(next_step_on__isnull=False).exclude(models.Exists(later))

    def with_next_step_due(self, today: date, seen_by=None):
        """Each pending dated next step with `next_step_due`: from
        REMINDER_NEXT_STEP_DAYS before its date until its day. The one rule the daily sweep
        (actions.reminders.next_step_reminders) and « Mes échéances » both read."""
        lead = timedelta(days=settings.REMINDER_NEXT_STEP_DAYS)
        due = models.Q(next_step_on__gte=today, next_step_on__lte=today + lead)
        return self.pending_next_steps(seen_by).annotate(
            next_step_due=models.ExpressionWrapper(due, output_field=models.BooleanField())
        )


class FollowUp(Confidential):
    """One logged contact or step with the household, in a measure or before one; maybe
    confidential to its author's partner (households.confidential)."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="follow_ups"
    )
    measure = models.ForeignKey(
        SupportMeasure,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name="mesure",
    )
    happened_on = models.DateField("date", validators=[plausible_date])
    kind = models.CharField("type", max_length=20, choices=FollowUpKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    summary = BoundedTextField("compte rendu", limit=text.ACCOUNT, help_text=PRIVACY_HELP)
    next_step = models.CharField("prochaine étape", max_length=300, blank=True)
    next_step_on = models.DateField(
        "date de la prochaine étape",
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="Facultative : l'étape datée figure dans « Mes échéances ».",
    )
    created_at = models.DateTimeField("saisi le", default=timezone.now, editable=False)

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi"
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["measure", "-happened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(happened_on__gte=DATE_FLOOR, happened_on__lte=DATE_CEILING),
                name="follow_up_date_plausible",
            ),
            models.CheckConstraint(
                condition=dates_plausible("next_step_on"),
                name="follow_up_next_step_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.happened_on:%d/%m/%Y}"


class CoDecisionLink(models.Model):
    """What a co-decision decides on: the start of an action, or (with its measure) the
    renewal of the action's measure. The co-decision itself knows only the household and
    the parties (codecision.models); the workflow keeps the link here."""

    codecision = models.OneToOneField(
        CoDecision,
        verbose_name="co-décision",
        on_delete=models.PROTECT,
        related_name="action_link",
    )
    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="codecision_links"
    )
    measure = models.ForeignKey(
        SupportMeasure,
        verbose_name="mesure renouvelée",
        on_delete=models.PROTECT,
        related_name="renewal_links",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "objet d'une co-décision"
        verbose_name_plural = "objets des co-décisions"

    def __str__(self) -> str:
        return f"{self.codecision} : {self.action}"


class AppointmentKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Visite à domicile"
    OFFICE = "office", "Entretien au bureau"
    PHONE = "phone", "Entretien téléphonique"
    HEARING = "hearing", "Audience"
    COMMITTEE = "committee", "Comité"


# The follow-up an appointment held becomes (actions.services.appointment_held).
FOLLOW_UP_KIND_OF_APPOINTMENT = {
    AppointmentKind.HOME_VISIT: FollowUpKind.HOME_VISIT,
    AppointmentKind.OFFICE: FollowUpKind.OFFICE,
    AppointmentKind.PHONE: FollowUpKind.PHONE,
    AppointmentKind.HEARING: FollowUpKind.ACCOMPANIMENT,
    AppointmentKind.COMMITTEE: FollowUpKind.PARTNER_MEETING,
}


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    HELD = "held", "Tenu"
    CANCELLED = "cancelled", "Annulé"


# A planned appointment is held (it becomes a follow-up) or cancelled, once.
APPOINTMENT_TRANSITIONS = {
    None: frozenset({AppointmentStatus.PLANNED}),
    AppointmentStatus.PLANNED: frozenset({AppointmentStatus.HELD, AppointmentStatus.CANCELLED}),
}


class ReminderDelay(models.IntegerChoices):
    SAME_DAY = 0, "Le jour même (le matin)"
    DAY_BEFORE = 1, "La veille"
    TWO_DAYS = 2, "Deux jours avant"
    WEEK = 7, "Une semaine avant"


class AppointmentQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=AppointmentStatus.PLANNED)

    def with_reminder_due(self, today: date):
        """Each appointment with `reminder_due`: planned, with a reminder, from the chosen
        number of days before it until its day. The one rule the daily sweep
        (actions.reminders.appointment_reminders) and « Mes échéances » both read."""
        window = models.Q()
        for delay in ReminderDelay:
            window |= models.Q(reminder_days_before=delay, on__lte=today + timedelta(days=delay))
        due = models.Q(window, status=AppointmentStatus.PLANNED, on__gte=today)
        return self.annotate(
            reminder_due=models.ExpressionWrapper(due, output_field=models.BooleanField())
        )


class Appointment(models.Model):
    """A meeting planned with a household (rendez-vous): a home visit, an interview, a
    hearing, a committee. Held, it becomes a follow-up (appointment_held)."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField("type", max_length=20, choices=AppointmentKind.choices)
    on = models.DateField("date", validators=[plausible_date])
    at = models.TimeField("heure", null=True, blank=True, help_text="Facultative.")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée prévue (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    place = models.CharField(
        "lieu",
        max_length=text.SHORT_LINE,
        blank=True,
        help_text="Jamais repris dans le flux de calendrier.",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="participants", related_name="+", blank=True
    )
    notes = BoundedTextField("objet", limit=text.REASON, blank=True, help_text=PRIVACY_HELP)
    reminder_days_before = models.PositiveSmallIntegerField(
        "rappel", choices=ReminderDelay.choices, null=True, blank=True
    )
    status = models.CharField(
        "état", max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    follow_up = models.OneToOneField(
        FollowUp,
        verbose_name="suivi",
        on_delete=models.PROTECT,
        related_name="appointment",
        null=True,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="prévu par",
    )
    created_by_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="structure",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = AppointmentQuerySet.as_manager()
    TRANSITIONS = APPOINTMENT_TRANSITIONS

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["on", "at", "pk"]
        indexes = [
            models.Index(
                fields=["household", "on"],
                name="appointment_planned_on",
                condition=models.Q(status=AppointmentStatus.PLANNED),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on__gte=DATE_FLOOR, on__lte=DATE_CEILING),
                name="appointment_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.on:%d/%m/%Y}"


# --- Outreach requests (« demandes d'aller-vers ») ---------------------------------------------


class OutreachStatus(models.TextChoices):
    PENDING = "pending", "En attente de la réponse de l'association"
    ACCEPTED = "accepted", "Acceptée : l'association va vers le ménage"
    DECLINED = "declined", "Déclinée"
    CLOSED = "closed", "Terminée"
    WITHDRAWN = "withdrawn", "Retirée par le bailleur"


# A request waits for the association's answer; accepted, it runs until the association
# (or the landlord) ends it; declined, it is over at once; the landlord withdraws it while
# it waits, never once answered (actions.services.outreach_*).
OUTREACH_TRANSITIONS = {
    None: frozenset({OutreachStatus.PENDING}),
    OutreachStatus.PENDING: frozenset(
        {OutreachStatus.ACCEPTED, OutreachStatus.DECLINED, OutreachStatus.WITHDRAWN}
    ),
    OutreachStatus.ACCEPTED: frozenset({OutreachStatus.CLOSED}),
}
OPEN_OUTREACH = [OutreachStatus.PENDING, OutreachStatus.ACCEPTED]


class OutreachRequest(models.Model):
    """A landlord asks an association to reach a tenant who no longer answers it, on an
    existing case file. Accepted, the association is involved in the household (its access,
    households.involvement) until the request ends, and for the grace period after."""

    household = models.ForeignKey(
        Household,
        verbose_name="ménage",
        on_delete=models.PROTECT,
        related_name="outreach_requests",
    )
    landlord = models.ForeignKey(
        Partner, verbose_name="bailleur demandeur", on_delete=models.PROTECT, related_name="+"
    )
    association = models.ForeignKey(
        Partner, verbose_name="association sollicitée", on_delete=models.PROTECT, related_name="+"
    )
    reason = BoundedTextField("motif de la demande", limit=text.REASON, help_text=PRIVACY_HELP)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="demandée par",
    )
    requested_at = models.DateTimeField("demandée le", default=timezone.now)
    status = models.CharField(
        "état", max_length=20, choices=OutreachStatus.choices, default=OutreachStatus.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="réponse de",
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answer_reason = BoundedTextField(
        "motif de la réponse", limit=text.REASON, blank=True, help_text=PRIVACY_HELP
    )
    # When it ended: closed by either partner, or withdrawn by the landlord while it waited.
    closed_at = models.DateTimeField("terminée le", null=True, blank=True)

    history = HistoricalRecords()
    TRANSITIONS = OUTREACH_TRANSITIONS

    class Meta:
        verbose_name = "demande d'aller-vers"
        verbose_name_plural = "demandes d'aller-vers"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "association"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_open_outreach_per_association",
            )
        ]

    def __str__(self) -> str:
        return f"Demande d'aller-vers du {timezone.localtime(self.requested_at):%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OUTREACH
