"""How the co-decision pages show what a co-decision of the workflow decides on."""

from django.urls import reverse

from actions.models import CoDecisionLink
from codecision.models import CoDecision
from codecision.subjects import Subject


def describe_codecision(codecision: CoDecision, subject: Subject) -> None:
    link = CoDecisionLink.objects.select_related("measure").filter(codecision=codecision).first()
    if link is None:
        return
    subject.links.append(
        ("Suivi de l'action", reverse("actions:action_detail", args=[link.action_id]))
    )
    if link.measure is not None:
        subject.facts.append(("Mesure", str(link.measure)))
