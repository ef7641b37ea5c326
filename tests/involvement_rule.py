"""The rule of involvement written again from the README's words (« Involvement »),
independently of households.involvement, as the oracle of the tests that check it
(tests/households/test_involvement_property.py, tests/test_involvement_sweep.py): the current
landlord; the partner that opened the case unless it is a landlord; a landlord left by a
transfer or a glide until that day; the partners of orientations, co-decisions and measures
while open; read-only for INVOLVEMENT_GRACE_DAYS after an involvement ends; nothing for a
partner that left, nor for a funder or the coordination."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from actions.models import Action, SupportMeasure
from codecision.models import OPEN_STATUSES, CoDecision
from households.models import Household
from partners.models import Partner


def _first_reached(history, statuses) -> date | None:
    dates = [r.history_date for r in history if r.status in statuses]
    return timezone.localdate(min(dates)) if dates else None


def rule(household_ids: list[int], today: date) -> dict[tuple[int, int], str]:
    """(household id, partner id) → "read" or "change", from the README's words."""
    ends: dict[tuple[int, int], list[date | None]] = defaultdict(list)
    for household in Household.objects.filter(pk__in=household_ids).select_related(
        "created_by_partner"
    ):
        if household.created_by_partner.kind != "landlord":
            ends[(household.pk, household.created_by_partner_id)].append(None)
        if household.landlord_id:
            ends[(household.pk, household.landlord_id)].append(None)
        for change in household.landlord_changes.all():
            if change.kind != "correction" and change.previous_landlord_id:
                ends[(household.pk, change.previous_landlord_id)].append(
                    timezone.localdate(change.changed_at)
                )
    for action in Action.objects.filter(household_id__in=household_ids).select_related(
        "orientation"
    ):
        over = action.status in ("rejected", "closed")
        end = _first_reached(action.history.all(), ("rejected", "closed")) if over else None
        for partner in {
            action.landlord_id,
            action.association_id,
            action.orientation.proposed_by_partner_id,
        }:
            ends[(action.household_id, partner)].append(end)
    for codecision in CoDecision.objects.filter(household_id__in=household_ids):
        end = (
            None
            if codecision.status in OPEN_STATUSES
            else timezone.localdate(codecision.decided_at)
        )
        for partner in {
            codecision.landlord_id,
            codecision.association_id,
            codecision.proposed_by_partner_id,
        }:
            ends[(codecision.household_id, partner)].append(end)
    for measure in SupportMeasure.objects.filter(
        action__household_id__in=household_ids
    ).select_related("action"):
        end = (
            None
            if measure.status == "active"
            else _first_reached(measure.history.all(), ("closed",))
        )
        for partner in {measure.action.landlord_id, measure.action.association_id}:
            ends[(measure.action.household_id, partner)].append(end)
    partners = {p.pk: p for p in Partner.objects.all()}
    grace = timedelta(days=settings.INVOLVEMENT_GRACE_DAYS)
    result = {}
    for (household, partner_id), dates in ends.items():
        partner = partners[partner_id]
        if not partner.active or partner.kind not in ("landlord", "association"):
            continue
        if None in dates:
            result[(household, partner_id)] = "change"
        elif any(today < end + grace for end in dates):
            result[(household, partner_id)] = "read"
    return result
