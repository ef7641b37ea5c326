"""What the statistics keep: the coordination's text for each year's report, and the
reports generated (PDF and xlsx, stored once made)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ReportText(models.Model):
    """The coordination's own words for a year's activity report, with its history."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    text = models.TextField(
        "texte de la coordination",
        blank=True,
        help_text="Le bilan de l'année vu par la coordination. Aucun nom de ménage.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="modifié par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "texte du bilan annuel"
        verbose_name_plural = "textes des bilans annuels"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Bilan {self.year}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"


class AnnualReport(models.Model):
    """One generation of a year's activity report, made in the background and stored."""

    year = models.PositiveSmallIntegerField("année", db_index=True)
    status = models.CharField(
        "état", max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    pdf = models.BinaryField("PDF", null=True, editable=False)
    xlsx = models.BinaryField("tableur", null=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="demandé par",
    )
    requested_at = models.DateTimeField("demandé le", default=timezone.now, editable=False)
    finished_at = models.DateTimeField("terminé le", null=True, editable=False)
    seconds = models.DecimalField(
        "durée (s)", max_digits=7, decimal_places=2, null=True, editable=False
    )

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Bilan {self.year} ({self.get_status_display()})"
