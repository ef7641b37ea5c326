"""Notices sent when something happens in the workflow (subscribed in notifications.wiring)."""

from django.urls import reverse

from codecision.events import CoDecisionOpened
from core.queue import enqueue_on_commit
from households.events import HouseholdOpenedDespiteDuplicates
from households.models import Household
from notifications.services import notify
from notifications.tasks import notify_codecision_opened
from partners.models import Membership, Role

DUPLICATE_KIND = "duplicate_suspected"


def codecision_opened(event: CoDecisionOpened) -> None:
    """Both sides are told, once the co-decision is saved, that it waits for them."""
    enqueue_on_commit(notify_codecision_opened, event.codecision.pk)


def household_opened_despite_duplicates(event: HouseholdOpenedDespiteDuplicates) -> None:
    """The coordination is told, with both references, that a file was opened although
    similar ones exist (households.duplicates): it checks, shares or merges. Written with
    the new file (rolled back with it); e-mailed after commit."""
    coordinators = Membership.objects.filter(
        role=Role.COORDINATOR, user__is_active=True
    ).values_list("user_id", flat=True)
    references = list(
        Household.objects.filter(pk__in=event.similar_ids)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    partner = event.by.partner
    text = (
        f"{event.household.reference}, ouvert par {partner}, ressemble à "
        f"{', '.join(references)} : vérifiez s'il s'agit du même ménage (partager ou fusionner)."
    )
    if event.asked:
        text = f"{partner} demande à la coordination de vérifier un doublon possible. {text}"
    notify(
        recipients=list(coordinators),
        kind=DUPLICATE_KIND,
        text=text,
        household=event.household,
        link=reverse("households:merge", args=[event.household.pk]),
    )
