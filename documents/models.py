"""The documents of a household's case file: each with its versions, kept in the documents
storage (documents.storage), never under a URL the web server serves.

A document belongs to a household and may name the action, measure, follow-up or stage of
the eviction procedure it is about. A new version keeps the previous ones. Deleting one is
soft for DOCUMENTS_DELETED_KEEP_DAYS (documents.services), then the nightly task purges it,
its files included."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action, EvictionProcedure, FollowUp, SupportMeasure
from core.dates import DATE_CEILING
from households.confidential import Confidential, ConfidentialQuerySet
from households.models import Household, ProcedureStage


class DocumentKind(models.TextChoices):
    SIGNED_DIAGNOSTIC = "signed_diagnostic", "Diagnostic signé par le ménage"
    LEASE = "lease", "Bail"
    SUBLEASE = "sublease", "Sous-location"
    TRIPARTITE_AGREEMENT = "tripartite_agreement", "Convention tripartite du bail glissant"
    PAYMENT_ORDER = "payment_order", "Commandement de payer"
    SUMMONS = "summons", "Assignation"
    JUDGEMENT = "judgement", "Jugement"
    REPAYMENT_PLAN = "repayment_plan", "Plan d'apurement"
    FSL_DECISION = "fsl_decision", "Décision FSL"
    INCOME_PROOF = "income_proof", "Justificatif de ressources"
    OTHER = "other", "Autre"


# A document is dated today or before (documents.services), and not before 1900.
OLDEST_DATE = date(1900, 1, 1)

# The stages of the eviction procedure a document may be about: the household's own list
# (households.models.ProcedureStage), « Aucune procédure » left out (no stage: left blank).
PROCEDURE_STEPS = [
    (value, label) for value, label in ProcedureStage.choices if value != ProcedureStage.NONE
]


class DocumentQuerySet(ConfidentialQuerySet):
    def live(self):
        """Not deleted (a deleted document waits for the purge, seen by nobody)."""
        return self.filter(deleted_at=None)


class Document(Confidential):
    """One paper of the case file (a lease, a judgement…), in one or more versions; maybe
    confidential to its author's partner (households.confidential, the rule of follow-ups)."""

    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="documents"
    )
    action = models.ForeignKey(
        Action,
        verbose_name="action",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    measure = models.ForeignKey(
        SupportMeasure,
        verbose_name="mesure",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name="suivi",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    procedure = models.ForeignKey(
        EvictionProcedure,
        verbose_name="procédure d'expulsion",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    procedure_step = models.CharField(
        "étape de la procédure", max_length=20, choices=PROCEDURE_STEPS, blank=True
    )
    kind = models.CharField("type", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    dated_on = models.DateField("date du document")
    created_at = models.DateTimeField("déposé le", default=timezone.now, editable=False)
    deleted_at = models.DateTimeField("supprimé le", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name="supprimé par",
    )

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-dated_on", "-pk"]
        indexes = [models.Index(fields=["household", "-dated_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dated_on__range=(OLDEST_DATE, DATE_CEILING)),
                name="document_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> "DocumentVersion | None":
        versions = list(self.versions.all())
        return versions[-1] if versions else None


class DocumentVersion(models.Model):
    """One file of a document. `stored_as` is its name in the documents storage: made by the
    application (household, random part, type), never the name the user's file had."""

    document = models.ForeignKey(
        Document, verbose_name="document", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("version")
    stored_as = models.CharField("nom dans le stockage", max_length=200, editable=False)
    file_name = models.CharField("nom du fichier", max_length=120)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="déposée par",
    )
    uploaded_at = models.DateTimeField("déposée le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "version d'un document"
        verbose_name_plural = "versions des documents"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} (version {self.number})"
