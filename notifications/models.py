"""In-app notifications, the record of reminders already sent, and delivery preferences."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinataire",
    )
    kind = models.CharField("type", max_length=40)
    text = models.TextField("message")
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ménage",
    )
    link = models.CharField("lien", max_length=200, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    # Taken by a sender before its e-mail goes out (notifications.services.claim_email): a
    # sender killed mid-send leaves at most this one e-mail to be sent again.
    email_claimed_at = models.DateTimeField("courriel pris en charge le", null=True, blank=True)
    # A coordination's daily notice (notifications.services.deliver): the reminders of one
    # day that went to the whole coordination, counted by kind in one row per coordinator
    # instead of one row per coordinator and per measure.
    digest_on = models.DateField("récapitulatif du", null=True, blank=True)
    digest_counts = models.JSONField("rappels du récapitulatif", default=dict, blank=True)
    # What the notice is about (a co-decision, a measure, an outreach request…), and whether
    # it asks something of its recipient (a task): a task is done when anyone of the
    # recipient's partner did the thing (notifications.services.tasks_done).
    object_type = models.CharField("type d'objet", max_length=40, blank=True)
    object_id = models.BigIntegerField("objet", null=True, blank=True)
    task = models.BooleanField("demande une action", default=False)
    done_at = models.DateTimeField("faite le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The centre's order, unread first then newest, one partial index per half
            # (notifications.services.notification_page pages each by keyset); the header's
            # capped count reads the first one.
            models.Index(
                "recipient",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_unread_newest",
                condition=models.Q(read_at=None),
            ),
            models.Index(
                "recipient",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_read_newest",
                condition=models.Q(read_at__isnull=False),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_by_recipient"),
            models.Index(
                fields=["recipient"],
                name="notification_task_to_do",
                condition=models.Q(task=True, done_at=None),
            ),
            models.Index(
                fields=["object_type", "object_id"],
                name="notification_task_object",
                condition=models.Q(task=True, done_at=None),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "digest_on"],
                condition=models.Q(digest_on__isnull=False),
                name="notification_one_digest_a_day",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_pending_task(self) -> bool:
        return self.task and self.done_at is None


class Reminder(models.Model):
    """One reminder sent for an object, a kind and a due date: never sent twice."""

    kind = models.CharField("type", max_length=40)
    object_type = models.CharField("type d'objet", max_length=40)
    object_id = models.BigIntegerField("objet")
    due_on = models.DateField("échéance")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "due_on"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}#{self.object_id} ({self.due_on:%d/%m/%Y})"


class PendingNotice(models.Model):
    """A notice of a workflow event, written in the event's transaction and delivered once
    it commits (notifications.services.deliver_notices): by its task, or, if that task was
    lost, by the catch-up (every few minutes) and the daily sweep. Deleted once delivered."""

    kind = models.CharField("type", max_length=40)
    object_type = models.CharField("type d'objet", max_length=40, blank=True)
    object_id = models.BigIntegerField("objet", null=True, blank=True)
    text = models.TextField("message")
    recipients = models.JSONField("destinataires", default=list)
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ménage",
    )
    link = models.CharField("lien", max_length=200, blank=True)
    task = models.BooleanField("demande une action", default=False)
    created_at = models.DateTimeField("créée le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "notification à envoyer"
        verbose_name_plural = "notifications à envoyer"

    def __str__(self) -> str:
        return self.text


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Un courriel par notification"
    DIGEST = "digest", "Un récapitulatif quotidien"
    NONE = "none", "Pas de courriel (seulement dans l'application)"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name="utilisateur",
    )
    email_mode = models.CharField(
        "courriels", max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self) -> str:
        return f"{self.user} : {self.get_email_mode_display()}"
