from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import text
from core.dates import DATE_CEILING, DATE_FLOOR, add_months
from core.text import BoundedTextField
from households.models import PRIVACY_HELP, Household

# A household's request is answered within 1 month (docs/DOMAIN_RULES.md, personal data).
ANSWER_WITHIN_MONTHS = 1


class AccessRequestBasis(models.TextChoices):
    HOUSEHOLD = "household", "Le ménage lui-même (identité vérifiée)"
    REPRESENTATIVE = "representative", "Son représentant légal ou un mandataire (justificatif)"


class SubjectAccessRequest(models.Model):
    """A household's request for everything held about it (the GDPR right of access): who
    asked, when, on what basis. The export of a household's data is produced only from a
    recorded request (cases.services), and the request is part of the case history."""

    household = models.ForeignKey(
        Household,
        verbose_name="ménage",
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    requester = models.CharField(
        "demandeur",
        max_length=120,
        help_text="La personne qui demande : un membre du ménage, son représentant…",
    )
    basis = models.CharField("au titre de", max_length=20, choices=AccessRequestBasis.choices)
    basis_detail = BoundedTextField(
        "justificatif et précisions",
        limit=text.REASON,
        blank=True,
        help_text="La pièce vérifiée (sans recopier son numéro), le mandat… " + PRIVACY_HELP,
    )
    received_on = models.DateField("demande reçue le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="enregistrée par",
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now, editable=False)
    # Set by the export only (cases.services); editable so that the case history shows them.
    exported_at = models.DateTimeField("données remises le", null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="données remises par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande d'accès du ménage"
        verbose_name_plural = "demandes d'accès du ménage"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__range=(DATE_FLOOR, DATE_CEILING)),
                name="access_request_date_plausible",
            )
        ]

    def __str__(self) -> str:
        return f"Demande d'accès de {self.requester} reçue le {self.received_on:%d/%m/%Y}"

    def validate_constraints(self, exclude=None):
        # The date's rules are the service's (since the case opened, never in the future:
        # cases.services), with their message on the field; the CHECK stands behind them.
        super().validate_constraints(exclude={*(exclude or ()), "received_on"})

    @property
    def answer_by(self) -> date:
        return add_months(self.received_on, ANSWER_WITHIN_MONTHS)
