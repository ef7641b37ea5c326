"""What core keeps in the database: the outbox of tasks to send, the daily jobs' runs, and
the answers already given to a creation (one-time form tokens, Idempotency-Key)."""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task to send to the broker, written in the same transaction as the change that
    causes it (core.outbox): sent on commit if the broker answers in time, by the relay
    otherwise."""

    task = models.CharField("tâche", max_length=200)
    args = models.JSONField("arguments", default=list)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    attempts = models.PositiveIntegerField("essais", default=0)
    published_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "tâche à envoyer"
        verbose_name_plural = "tâches à envoyer"
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_pending", condition=models.Q(published_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class DailyRun(models.Model):
    """One run of a daily job (the reminder sweep): the relay runs it again if it started
    but did not finish (a worker killed, the database down)."""

    job = models.CharField("tâche", max_length=200)
    day = models.DateField("jour")
    started_at = models.DateTimeField("commencée le", default=timezone.now)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    attempts = models.PositiveIntegerField("essais", default=1)

    class Meta:
        verbose_name = "tâche quotidienne"
        verbose_name_plural = "tâches quotidiennes"
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="daily_run_once")]

    def __str__(self) -> str:
        return f"{self.job} du {self.day:%d/%m/%Y}"


class IdempotentRequest(models.Model):
    """A creation already answered: the same key from the same user gets the same answer
    (core.idempotency), so a double click or a retried API call creates once."""

    # Who sent it: the signed-in user, or a digest of the API token (never the token).
    owner = models.CharField("auteur", max_length=80)
    key = models.CharField("clé", max_length=100)
    path = models.CharField("adresse", max_length=500)
    status = models.PositiveSmallIntegerField("code de réponse", default=0)
    location = models.CharField("redirection", max_length=500, blank=True)
    body = models.BinaryField("réponse", blank=True, default=b"")
    content_type = models.CharField("type de contenu", max_length=100, blank=True)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "création déjà traitée"
        verbose_name_plural = "créations déjà traitées"
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.path})"
