"""Notes confidential to their partner: a follow-up (actions) or a document (documents)
marked « confidentiel à ma structure » is seen only by the people of its author's partner,
coordinators included. The one exception, the household's own right of access, reads the
records directly (cases.privacy).

One rule for every such record: `Confidential` gives the fields (author, author's partner,
the flag), `ConfidentialQuerySet.visible_to` the filter, `visible_to_q` the same condition
for a query that goes through a relation."""

from django.conf import settings
from django.db import models

from partners.models import Partner


def visible_to_q(user, prefix: str = "") -> models.Q:
    """What of a confidential record `user` may see: every non-confidential one, and the
    confidential ones of its own partner. `prefix` names the relation ("documents__")."""
    return models.Q(**{f"{prefix}confidential": False}) | models.Q(
        **{f"{prefix}author_partner": user.partner}
    )


class ConfidentialQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Confidential records never leave the author's partner, coordinators included."""
        return self.filter(visible_to_q(user))


class Confidential(models.Model):
    """Who wrote the record, for which partner, and whether it stays with that partner."""

    confidential = models.BooleanField(
        "confidentiel à ma structure",
        default=False,
        help_text="Visible seulement par les personnes de votre structure.",
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

    class Meta:
        abstract = True
