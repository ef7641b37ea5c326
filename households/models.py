import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import F
from django.db.models.functions import Replace
from django.db.models.lookups import Contains, Exact, LessThanOrEqual
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core import text
from core.dates import DATE_CEILING, DATE_FLOOR, PlausibleDate, dates_plausible, plausible_date
from core.search import searchable
from core.text import BoundedTextField
from partners.models import Partner

# What the database accepts at all (the forms and the API keep a narrower, moving window):
# nobody alive was born before 1900, no consent was recorded by this programme before 1990,
# no arrears a diagnostic records began before 1990 (its window: 30 years back).
BIRTH_FLOOR = date(1900, 1, 1)
CONSENT_FLOOR = date(1990, 1, 1)
ARREARS_FLOOR = date(1990, 1, 1)

PRIVACY_HELP = (
    "Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, "
    "sans jugement ni détail médical inutile."
)
money = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class ActionKind(models.TextChoices):
    """The programme's four graded actions: a diagnostic proposes one, an orientation and its
    co-decision name one, the action carries it out (actions.models)."""

    ENERGY = "energy", "Action 1 — mutation « énergie »"
    SOLVENCY = "solvency", "Action 2 — mutation « solvabilisation »"
    SLIDING_LEASE_EVICTION = "sliding_lease_eviction", "Action 3 — bail glissant à l'assignation"
    SCATTERED_HOUSING = "scattered_housing", "Action 4 — hébergement / bail glissant en diffus"


class HousingStatus(models.TextChoices):
    TENANT = "tenant", "Locataire"
    APPLICANT = "applicant", "Demandeur"


class Relationship(models.TextChoices):
    HEAD = "head", "Titulaire"
    SPOUSE = "spouse", "Conjoint·e"
    CHILD = "child", "Enfant"
    OTHER = "other", "Autre"


@models.BigAutoField.register_lookup
class AnyArray(models.Lookup):
    """`id = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, as an array, and
    the planner reads the ids it gives by index rather than joining (`IN` elsewhere)."""

    lookup_name = "any_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor != "postgresql":
            return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


class Ids:
    """Ids to bind as one array parameter (`pk__any_of=Ids(ids)`). Not a list, so that the
    ORM does not look into each of thousands of ids for an expression to resolve."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = [int(value) for value in values]


@models.BigAutoField.register_lookup
class AnyOf(models.Lookup):
    """`id = ANY(%s)` with `Ids` as one array parameter (PostgreSQL; elsewhere `IN`): a
    caseload of thousands of ids costs one parameter to bind and a short statement to plan,
    where `__in` binds, writes and plans one literal per id."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.rhs.values
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Households `user` may see; the rule itself lives in households.permissions."""
        from households.permissions import visible_households_filter

        return visible_households_filter(self, user)

    def search(self, text: str, *, within: list[int] | None = None):
        """Households whose name, reference, tenant number, town or members' names contain
        the text, accents and case aside (« ines » finds « Inès »); a text of digits also
        finds the contact's phone, however its spaces and dots were typed. `within` (a
        caseload's household ids) restricts the members searched to those households first,
        so that the search costs the caseload, not the programme."""
        text = text.strip()
        if not text:
            return self
        needle = searchable(models.Value(text))

        def contains(field: str) -> models.Q:
            return models.Q(Contains(searchable(models.F(field)), needle))

        members = HouseholdMember.objects.all()
        if within is not None:
            members = members.filter(household__pk__any_of=Ids(within))
        by_member = (
            members.filter(contains("last_name") | contains("first_name"))
            .order_by()
            .values("household_id")
        )
        if within is not None:
            member_match = models.Q(pk__in=by_member)
        elif connection.vendor == "postgresql":
            # `id = ANY(ARRAY(...))` lets PostgreSQL OR the trigram index scans into one
            # bitmap, where `id IN (...)` would make it scan every household.
            member_match = models.Q(pk__any_array=by_member)
        else:
            member_match = models.Q(pk__in=by_member)
        match = (
            contains("reference")
            | contains("name")
            | contains("tenant_number")
            | contains("city")
            | member_match
        )
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4 and re.fullmatch(r"[\d .+-]+", text):
            phone = Replace(
                Replace(models.F("contact_phone"), models.Value(" "), models.Value("")),
                models.Value("."),
                models.Value(""),
            )
            match |= models.Q(Contains(phone, models.Value(digits)))
        return self.filter(match)


class ReferenceCounter(models.Model):
    """Last reference number given in a year (LT-2026-0042), locked while it is taken."""

    year = models.PositiveSmallIntegerField("année", primary_key=True)
    last_number = models.PositiveIntegerField("dernier numéro", default=0)

    def __str__(self) -> str:
        return f"{self.year} : {self.last_number}"


class Household(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    name = models.CharField(
        "nom du ménage", max_length=120, help_text="Le nom de famille du ou de la titulaire."
    )
    housing_status = models.CharField(
        "situation", max_length=20, choices=HousingStatus.choices, default=HousingStatus.TENANT
    )
    landlord = models.ForeignKey(
        Partner,
        verbose_name="bailleur du logement",
        on_delete=models.PROTECT,
        related_name="tenant_households",
        null=True,
        blank=True,
        limit_choices_to={"kind": "landlord"},
    )
    tenant_number = models.CharField("numéro de locataire", max_length=40, blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postcode = models.CharField(
        "code postal",
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", "Le code postal compte 5 chiffres.")],
    )
    city = models.CharField("commune", max_length=100, blank=True)
    contact_name = models.CharField(
        "contact principal",
        max_length=120,
        blank=True,
        help_text="La personne à joindre : un membre du ménage ou un proche.",
    )
    contact_phone = models.CharField(
        "téléphone du contact principal",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 .]{10,17}$", "Saisissez un numéro de téléphone, par ex. 06 12 34 56 78."
            )
        ],
    )
    contact_email = models.EmailField("courriel du contact principal", blank=True)
    consent_given_on = models.DateField(
        "consentement au traitement des données recueilli le",
        null=True,
        blank=True,
        # Given today or before; a household followed for decades keeps its old consent.
        validators=[PlausibleDate(past_years=30, future_years=0)],
    )
    anonymised_on = models.DateField(
        "anonymisé le",
        null=True,
        blank=True,
        editable=False,
        help_text="Noms, coordonnées et textes libres effacés ; les chiffres restent.",
    )
    created_by_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="created_households",
        editable=False,
        verbose_name="ouvert par",
    )
    created_at = models.DateTimeField("ouvert le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)
    # Optimistic lock: a save based on an older version is refused (two people editing).
    version = models.PositiveIntegerField("version", default=1, editable=False)
    # A duplicate merged by the coordination into the file that is kept (households.merge):
    # archived, never deleted; everything it held was moved to that file.
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionné dans",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField("fusionné le", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "ménage"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(housing_status=HousingStatus.TENANT)
                | models.Q(landlord__isnull=False),
                name="tenant_household_has_landlord",
                violation_error_message="Un ménage locataire a un bailleur.",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_given_on__isnull=True)
                | models.Q(consent_given_on__range=(CONSENT_FLOOR, DATE_CEILING)),
                name="household_consent_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.name}"


class HouseholdMerge(models.Model):
    """The coordination merged the duplicate `merged` into `kept` (households.merge): who,
    when, why and how many records of each kind were moved. Never moved by a later merge."""

    kept = models.ForeignKey(
        Household, verbose_name="dossier conservé", on_delete=models.PROTECT, related_name="+"
    )
    merged = models.OneToOneField(
        Household,
        verbose_name="dossier fusionné",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kept_reference = models.CharField("référence conservée", max_length=20, editable=False)
    merged_reference = models.CharField("référence fusionnée", max_length=20, editable=False)
    reason = BoundedTextField("motif", limit=text.REASON)
    moved = models.JSONField("enregistrements déplacés", default=dict, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    merged_at = models.DateTimeField("le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "fusion de dossiers"
        verbose_name_plural = "fusions de dossiers"
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_reference} fusionné dans {self.kept_reference}"


class LandlordChangeKind(models.TextChoices):
    """The three ways a household's landlord changes (never by editing the case file)."""

    TRANSFER = "transfer", "Mutation ou relogement chez un autre bailleur"
    GLIDE = "glide", "Glissement du bail"
    CORRECTION = "correction", "Correction par la coordination"


class LandlordChange(models.Model):
    """A step that changed the household's landlord: who, when, how and why. Access follows
    (households.involvement): the new landlord is involved, the previous one no longer is."""

    household = models.ForeignKey(
        Household,
        verbose_name="ménage",
        on_delete=models.PROTECT,
        related_name="landlord_changes",
    )
    kind = models.CharField("nature", max_length=20, choices=LandlordChangeKind.choices)
    previous_landlord = models.ForeignKey(
        Partner,
        verbose_name="bailleur précédent",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    landlord = models.ForeignKey(
        Partner,
        verbose_name="nouveau bailleur",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = BoundedTextField("motif", limit=text.REASON, help_text=PRIVACY_HELP)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    changed_at = models.DateTimeField("le", default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "changement de bailleur"
        verbose_name_plural = "changements de bailleur"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} : {self.previous_landlord or '—'} → {self.landlord or '—'}"
        )


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.CASCADE, related_name="members"
    )
    first_name = models.CharField("prénom", max_length=80)
    last_name = models.CharField("nom", max_length=80)
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        validators=[PlausibleDate(past_years=120, future_years=0)],
    )
    relationship = models.CharField("lien", max_length=20, choices=Relationship.choices)
    occupation = models.CharField("activité", max_length=120, blank=True)
    left_on = models.DateField(
        "a quitté le foyer le",
        null=True,
        blank=True,
        validators=[PlausibleDate(past_years=120)],
        help_text="Un membre qui part n'est pas effacé : indiquez la date de son départ.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du ménage"
        verbose_name_plural = "membres du ménage"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=True)
                | models.Q(birth_date__range=(BIRTH_FLOOR, DATE_CEILING)),
                name="member_birth_date_plausible",
            ),
            models.CheckConstraint(
                condition=dates_plausible("left_on", floor=BIRTH_FLOOR),
                name="member_departure_date_plausible",
            ),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class EnergyLabel(models.TextChoices):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


class ProcedureStage(models.TextChoices):
    NONE = "none", "Aucune procédure"
    UNPAID_RENT = "unpaid_rent", "Impayés (avant commandement)"
    CCAPEX = "ccapex", "Saisine de la CCAPEX"
    PAYMENT_ORDER = "payment_order", "Commandement de payer"
    SUMMONS = "summons", "Assignation"
    HEARING = "hearing", "Audience fixée"
    JUDGEMENT = "judgement", "Jugement d'expulsion"
    ORDER_TO_LEAVE = "order_to_leave", "Commandement de quitter les lieux"
    POLICE_ASSISTANCE = "police_assistance", "Concours de la force publique demandé"


class SchemeStatus(models.TextChoices):
    NONE = "none", "Non demandé"
    TO_ASK = "to_ask", "À demander"
    REQUESTED = "requested", "Demandé"
    GRANTED = "granted", "Accordé"
    REFUSED = "refused", "Refusé"


# The largest effort rate (in %) and arrears (in months) a diagnostic may give.
EFFORT_RATE_MAX = Decimal("999999.9")
ARREARS_MONTHS_MAX = Decimal("9999.9")
_RESOURCES = (
    F("income_work")
    + F("income_unemployment")
    + F("income_minimum")
    + F("income_family")
    + F("income_pension")
    + F("income_other")
)
_NET_HOUSING_COST = (
    F("rent") + F("recoverable_charges") + F("other_housing_costs") - F("housing_aid")
)
_MONTHLY_RENT = F("rent") + F("recoverable_charges")


def _fr(number: Decimal) -> str:
    """999999.9 → « 999 999,9 »."""
    return f"{number:,}".replace(",", "\u202f").replace(".", ",")


TOO_HIGH = {
    "effort_rate": (
        f"Ces montants donnent un taux d'effort de plus de {_fr(EFFORT_RATE_MAX)} % : "
        "vérifiez les ressources (mensuelles) et les charges."
    ),
    "energy_effort_rate": (
        f"Ces montants donnent un taux d'effort énergétique de plus de {_fr(EFFORT_RATE_MAX)} % : "
        "vérifiez les ressources (mensuelles) et les dépenses d'énergie."
    ),
    "arrears": (
        f"Ces montants donnent plus de {_fr(ARREARS_MONTHS_MAX)} mois d'impayés : vérifiez le "
        "loyer mensuel et le montant des impayés."
    ),
}


class Diagnostic(models.Model):
    """The CESF's social and financial diagnostic (docs/DOMAIN_RULES.md: what a diagnostic
    records)."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="diagnostics"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="auteur",
    )
    author_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="structure de l'auteur",
    )
    made_on = models.DateField("date du diagnostic", validators=[plausible_date])
    household_met = models.BooleanField("ménage rencontré", default=True)
    persons = models.PositiveSmallIntegerField(
        "nombre de personnes au foyer", validators=[MinValueValidator(1)]
    )
    composition = BoundedTextField(
        "composition du ménage", limit=text.REASON, blank=True, help_text=PRIVACY_HELP
    )
    # Monthly resources by kind
    income_work = models.DecimalField("salaires et revenus d'activité", default=0, **money)
    income_unemployment = models.DecimalField("allocations chômage", default=0, **money)
    income_minimum = models.DecimalField("RSA / minima sociaux", default=0, **money)
    income_family = models.DecimalField("prestations familiales", default=0, **money)
    income_pension = models.DecimalField("pensions et retraites", default=0, **money)
    income_other = models.DecimalField("autres ressources", default=0, **money)
    # Monthly housing costs
    rent = models.DecimalField("loyer", **money)
    recoverable_charges = models.DecimalField("charges locatives", default=0, **money)
    other_housing_costs = models.DecimalField("autres frais de logement", default=0, **money)
    housing_aid = models.DecimalField("aide au logement (APL/AL)", default=0, **money)
    energy_costs = models.DecimalField("dépenses d'énergie", default=0, **money)
    other_fixed_charges = models.DecimalField(
        "autres charges fixes",
        default=0,
        help_text="Assurances, transport, mutuelle, pensions versées…",
        **money,
    )
    debt_repayments = models.DecimalField("remboursements de dettes", default=0, **money)
    # Arrears and debts
    rent_arrears = models.DecimalField("impayés de loyer", default=0, **money)
    rent_arrears_since = models.DateField(
        "impayés depuis le",
        null=True,
        blank=True,
        validators=[PlausibleDate(past_years=30, future_years=0)],
    )
    other_debts = models.DecimalField("autres dettes", default=0, **money)
    other_debts_detail = BoundedTextField(
        "nature des autres dettes", limit=text.REASON, blank=True, help_text=PRIVACY_HELP
    )
    rent_payment_resumed = models.BooleanField("reprise du paiement du loyer courant", null=True)
    repayment_capacity = models.DecimalField(
        "capacité de remboursement mensuelle", default=0, **money
    )
    fsl_status = models.CharField(
        "FSL", max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.NONE
    )
    overindebtedness_status = models.CharField(
        "dossier de surendettement",
        max_length=20,
        choices=SchemeStatus.choices,
        default=SchemeStatus.NONE,
    )
    repayment_plan_status = models.CharField(
        "plan d'apurement", max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.NONE
    )
    # Energy
    energy_label = models.CharField(
        "étiquette énergie du logement", max_length=1, choices=EnergyLabel.choices, blank=True
    )
    # Eviction procedure
    procedure_stage = models.CharField(
        "stade de la procédure",
        max_length=30,
        choices=ProcedureStage.choices,
        default=ProcedureStage.NONE,
    )
    procedure_stage_on = models.DateField(
        "date du stade", null=True, blank=True, validators=[plausible_date]
    )
    hearing_on = models.DateField(
        "date d'audience", null=True, blank=True, validators=[plausible_date]
    )
    # Needs and conclusion
    health_needs = BoundedTextField("santé", limit=text.REASON, blank=True, help_text=PRIVACY_HELP)
    employment_needs = BoundedTextField(
        "emploi, formation", limit=text.REASON, blank=True, help_text=PRIVACY_HELP
    )
    other_needs = BoundedTextField(
        "autres besoins", limit=text.REASON, blank=True, help_text=PRIVACY_HELP
    )
    conclusion = BoundedTextField(
        "conclusion et préconisation", limit=text.ACCOUNT, help_text=PRIVACY_HELP
    )
    proposed_action = models.CharField(
        "action proposée", max_length=30, choices=ActionKind.choices, blank=True
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    # Optimistic lock: a correction based on an older version is refused (diagnostic_update).
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = "diagnostic"
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["household", "-made_on", "-id"])]
        # The figures computed from a diagnostic fit where they are shown and sent
        # (households.api: effort rates in 7 digits with 1 decimal): amounts that would give
        # more are refused by diagnostic_create before saving, and cannot be stored.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(Exact(_RESOURCES, 0))
                | models.Q(LessThanOrEqual(_NET_HOUSING_COST * 100, _RESOURCES * EFFORT_RATE_MAX)),
                name="diagnostic_effort_rate_fits",
                violation_error_message=TOO_HIGH["effort_rate"].replace("%", "%%"),
            ),
            models.CheckConstraint(
                condition=models.Q(Exact(_RESOURCES, 0))
                | models.Q(LessThanOrEqual(F("energy_costs") * 100, _RESOURCES * EFFORT_RATE_MAX)),
                name="diagnostic_energy_effort_rate_fits",
                violation_error_message=TOO_HIGH["energy_effort_rate"].replace("%", "%%"),
            ),
            models.CheckConstraint(
                condition=models.Q(Exact(_MONTHLY_RENT, 0))
                | models.Q(LessThanOrEqual(F("rent_arrears"), _MONTHLY_RENT * ARREARS_MONTHS_MAX)),
                name="diagnostic_arrears_months_fit",
                violation_error_message=TOO_HIGH["arrears"].replace("%", "%%"),
            ),
            models.CheckConstraint(
                condition=models.Q(made_on__range=(DATE_FLOOR, DATE_CEILING))
                & dates_plausible("procedure_stage_on", "hearing_on"),
                name="diagnostic_dates_plausible",
            ),
            models.CheckConstraint(
                condition=dates_plausible("rent_arrears_since", floor=ARREARS_FLOOR),
                name="diagnostic_arrears_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"Diagnostic du {self.made_on:%d/%m/%Y}"

    # Figures (docs/DOMAIN_RULES.md, figures computed from a diagnostic)

    @property
    def total_resources(self) -> Decimal:
        return (
            self.income_work
            + self.income_unemployment
            + self.income_minimum
            + self.income_family
            + self.income_pension
            + self.income_other
        )

    @property
    def net_housing_cost(self) -> Decimal:
        return self.rent + self.recoverable_charges + self.other_housing_costs - self.housing_aid

    @property
    def fixed_charges(self) -> Decimal:
        return (
            self.net_housing_cost
            + self.energy_costs
            + self.other_fixed_charges
            + self.debt_repayments
        )

    @property
    def effort_rate(self) -> Decimal | None:
        """(rent + charges + other housing costs − housing aid) ÷ resources, in percent."""
        if not self.total_resources:
            return None
        return _percent(self.net_housing_cost / self.total_resources)

    @property
    def energy_effort_rate(self) -> Decimal | None:
        if not self.total_resources:
            return None
        return _percent(self.energy_costs / self.total_resources)

    @property
    def effort_rate_is_high(self) -> bool:
        """Above DIAGNOSTIC_EFFORT_RATE_THRESHOLD (30 %): highlighted wherever it is shown."""
        rate = self.effort_rate
        return rate is not None and rate > settings.DIAGNOSTIC_EFFORT_RATE_THRESHOLD

    @property
    def energy_effort_rate_is_high(self) -> bool:
        """Above DIAGNOSTIC_ENERGY_EFFORT_RATE_THRESHOLD (10 %, energy poverty)."""
        rate = self.energy_effort_rate
        return rate is not None and rate > settings.DIAGNOSTIC_ENERGY_EFFORT_RATE_THRESHOLD

    @property
    def remaining_income_per_day(self) -> Decimal:
        """(resources − fixed charges) ÷ persons ÷ 30 days: the method stated on the page."""
        daily = (self.total_resources - self.fixed_charges) / self.persons / 30
        return daily.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def figures_out_of_range(self) -> str | None:
        """The French reason why these amounts give a figure no one could read, or None."""
        if self.effort_rate is not None and abs(self.effort_rate) > EFFORT_RATE_MAX:
            return TOO_HIGH["effort_rate"]
        if self.energy_effort_rate is not None and self.energy_effort_rate > EFFORT_RATE_MAX:
            return TOO_HIGH["energy_effort_rate"]
        months = self.arrears_in_months
        if months is not None and months > ARREARS_MONTHS_MAX:
            return TOO_HIGH["arrears"]
        return None

    @property
    def arrears_in_months(self) -> Decimal | None:
        monthly_rent = self.rent + self.recoverable_charges
        if not monthly_rent:
            return None
        return (self.rent_arrears / monthly_rent).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percent(ratio: Decimal) -> Decimal:
    return (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Object permissions in guardian's direct foreign-key tables (docs/DESIGN.md section 5): one row per
# household, partner group and permission, so lists filter by a join on indexed columns.


class HouseholdGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="group_permissions"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        # guardian's unique_together (group, permission, content_object) is the index the
        # access join uses.
        pass


class HouseholdUserObjectPermission(UserObjectPermissionBase):
    """Kept empty: permissions go to partner groups; present so guardian never scans the
    generic table for households."""

    content_object = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")


class AccessAction(models.TextChoices):
    VIEW = "view", "Consultation"
    LIST = "list", "Liste"
    EXPORT = "export", "Export"
    EXPORT_INTERNAL = "export_internal", "Export (version interne, notes confidentielles comprises)"
    CALENDAR = "calendar", "Flux de calendrier (agenda)"
    DENIED = "denied", "Accès refusé"
    THROTTLED = "throttled", "Refus au-delà de la limite"


class AccessLogEntry(models.Model):
    """Who saw, listed or exported which file, or was refused it; kept
    ACCESS_LOG_RETENTION_DAYS apart from the history (households.permissions writes it).

    A refused attempt beyond ACCESS_REFUSALS_PER_MINUTE is not written one by one: the
    minute's further refusals are counted in one entry (`count`) of action THROTTLED."""

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    # Indexed by access_log_user_action_at, which starts with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The user's partner at the time: a membership may change afterwards.
    partner = models.ForeignKey(
        Partner,
        verbose_name="structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    household_pk = models.BigIntegerField("identifiant demandé")
    action = models.CharField("action", max_length=20, choices=AccessAction.choices)
    path = models.CharField("page", max_length=300)
    count = models.PositiveIntegerField("tentatives", default=1)

    class Meta:
        verbose_name = "entrée du journal d'accès"
        verbose_name_plural = "entrées du journal d'accès"
        ordering = ["-at", "-pk"]
        indexes = [
            # The refusals of one user in the last minute (the limit), and a user's entries.
            models.Index(fields=["user", "action", "at"], name="access_log_user_action_at"),
            models.Index(fields=["household_pk", "at"], name="access_log_household_pk_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.action} {self.household_pk}"
