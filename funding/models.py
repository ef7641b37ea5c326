"""The programme's money: funding sources, yearly budgets and an append-only ledger."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core import text
from core.dates import DATE_CEILING, DATE_FLOOR, PlausibleDate
from core.text import BoundedTextField
from partners.models import Partner

money = {"max_digits": 12, "decimal_places": 2}
# The ledger keeps past budget years open to corrections for longer than the workflow's dates.
LEDGER_DATES = PlausibleDate(past_years=20)
# One entry moves at most this much, either way: far above any grant or budget of the
# programme, far below what a slip of the keyboard types (±9 999 999 999,99 fits 12 digits).
# The form, the services and the database (ledger_amount_bounded) hold it.
LEDGER_MAX_AMOUNT = Decimal("9999999.99")
LEDGER_AMOUNT_MESSAGE = "Une écriture est d'au plus 9\u202f999\u202f999,99 €, en plus ou en moins."
LEDGER_AMOUNT = [
    MinValueValidator(-LEDGER_MAX_AMOUNT, LEDGER_AMOUNT_MESSAGE),
    MaxValueValidator(LEDGER_MAX_AMOUNT, LEDGER_AMOUNT_MESSAGE),
]


class FundingKind(models.TextChoices):
    RENT_REDUCTION = "rent_reduction", "Bailleurs : minorations de loyer"
    FLAT_FEE = "flat_fee", "Bailleurs : forfait par mesure"
    AVDL = "avdl", "État : AVDL"
    GRANT = "grant", "Subvention"
    OTHER = "other", "Autre"


class FundingSource(models.Model):
    kind = models.CharField("type", max_length=20, choices=FundingKind.choices)
    year = models.PositiveSmallIntegerField("année")
    funder = models.ForeignKey(
        Partner,
        verbose_name="financeur (partenaire)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
    )
    funder_name = models.CharField(
        "financeur (organisme extérieur)",
        max_length=120,
        blank=True,
        help_text="Si le financeur n'est pas un partenaire : État, fondation…",
    )
    amount_committed = models.DecimalField(
        "montant engagé", validators=[MinValueValidator(Decimal(0))], **money
    )
    amount_received = models.DecimalField(
        "montant reçu", default=0, validators=[MinValueValidator(Decimal(0))], **money
    )
    documents = BoundedTextField("références des pièces", limit=text.REASON, blank=True)
    created_at = models.DateTimeField("saisie le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "source de financement"
        verbose_name_plural = "sources de financement"
        ordering = ["year", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.funder or self.funder_name}"


class YearlyBudget(models.Model):
    year = models.PositiveSmallIntegerField("année", unique=True)
    amount_engaged = models.DecimalField("budget engagé", **money)
    households_targeted = models.PositiveIntegerField("ménages visés")
    flat_fee = models.DecimalField(
        "forfait bailleur par mesure", default=settings.FUNDING_FLAT_FEE_DEFAULT, **money
    )

    class Meta:
        verbose_name = "budget annuel"
        verbose_name_plural = "budgets annuels"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Budget {self.year}"


class AppendOnly(Exception):
    pass


class LedgerEntryQuerySet(models.QuerySet):
    """Entries are never changed nor removed in bulk either."""

    def update(self, **kwargs):
        raise AppendOnly("Une écriture ne se modifie pas : saisissez une correction.")

    def delete(self):
        raise AppendOnly("Une écriture ne se supprime pas : saisissez une correction.")


class LedgerEntry(models.Model):
    """One movement of money. Never edited nor deleted: a correction is a new entry."""

    on = models.DateField("date", validators=[LEDGER_DATES])
    year = models.PositiveSmallIntegerField("exercice", db_index=True)
    kind = models.CharField("type", max_length=20, choices=FundingKind.choices)
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="source",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ménage",
    )
    measure = models.ForeignKey(
        "actions.SupportMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name="mesure",
    )
    rent_reduction = models.ForeignKey(
        "actions.RentReduction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name="minoration de loyer",
    )
    amount = models.DecimalField("montant", validators=LEDGER_AMOUNT, **money)
    measures_count = models.IntegerField(
        "mesures couvertes",
        default=0,
        help_text=(
            "Pour un forfait : le nombre de mesures qu'il paie (1 pour une mesure, −1 pour "
            "l'annulation d'un forfait)."
        ),
    )
    label = models.CharField("libellé", max_length=text.SHORT_LINE)
    reason = BoundedTextField("motif", limit=text.REASON, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name="corrige l'écriture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    # What the workflow booked, so that it is never booked twice.
    booking_key = models.CharField("clé d'inscription", max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("saisie le", default=timezone.now, editable=False)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "écriture"
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["year", "kind", "partner"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking_key"],
                condition=~models.Q(booking_key=""),
                name="ledger_booked_once",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=-LEDGER_MAX_AMOUNT, amount__lte=LEDGER_MAX_AMOUNT),
                name="ledger_amount_bounded",
                violation_error_message=LEDGER_AMOUNT_MESSAGE,
            ),
            # LEDGER_DATES reach 20 years back: DATE_FLOOR, as of 2020.
            models.CheckConstraint(
                condition=models.Q(on__range=(DATE_FLOOR, DATE_CEILING)),
                name="ledger_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.label} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("Une écriture ne se modifie pas : saisissez une correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Une écriture ne se supprime pas : saisissez une correction.")


class MeasureFunding(models.Model):
    """What a funding source pays for, measure by measure: the State's AVDL hours or money
    for the support measures it finances. Entered by coordinators (funding.services)."""

    source = models.ForeignKey(
        FundingSource,
        verbose_name="source de financement",
        on_delete=models.PROTECT,
        related_name="measure_fundings",
    )
    measure = models.ForeignKey(
        "actions.SupportMeasure",
        verbose_name="mesure",
        on_delete=models.PROTECT,
        related_name="fundings",
    )
    hours = models.DecimalField(
        "heures financées",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    amount = models.DecimalField(
        "montant financé",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **money,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="saisi par",
    )
    created_at = models.DateTimeField("saisi le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "mesure financée"
        verbose_name_plural = "mesures financées"
        ordering = ["source", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "measure"], name="measure_funded_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) | models.Q(amount__gt=0),
                name="measure_funding_hours_or_amount",
                violation_error_message="Indiquez des heures ou un montant.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} : mesure {self.measure_id}"
