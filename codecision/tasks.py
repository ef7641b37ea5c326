from celery import shared_task
from django.urls import reverse

from codecision.models import CoDecision
from notifications.services import notify


@shared_task
def notify_codecision_opened(codecision_id: int) -> int:
    """Tell both sides' deciders that a co-decision waits for their answer."""
    from actions.reminders import deciders

    codecision = (
        CoDecision.objects.select_related("action__household", "landlord", "association")
        .filter(pk=codecision_id)
        .first()
    )
    if codecision is None:
        return 0
    household = codecision.action.household
    recipients = deciders(codecision.landlord_id) | deciders(codecision.association_id)
    text = (
        f"{household.reference} : nouvelle co-décision ({codecision.get_purpose_display().lower()}"
        f", {codecision.action.get_kind_display().lower()}) en attente de votre réponse."
    )
    return len(
        notify(
            recipients=recipients,
            kind="codecision_opened",
            text=text,
            household=household,
            link=reverse("codecision:detail", args=[codecision.pk]),
        )
    )
