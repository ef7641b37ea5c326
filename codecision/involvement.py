"""What involves partners in a household on the co-decisions' side, for the rule of
involvement (households.involvement, registered in codecision.wiring): a co-decision's two
sides and the partner that proposed it, while it is open (pending, adjourned, in
disagreement), until it is decided or cancelled (`decided_at`)."""

from collections.abc import Iterator

from codecision.models import OPEN_STATUSES, CoDecision
from households.involvement import LONG_AGO, Involvement


def codecision_source(household_ids: list[int] | None) -> Iterator[Involvement]:
    codecisions = CoDecision.objects.all()
    if household_ids is not None:
        codecisions = codecisions.filter(household_id__in=household_ids)
    rows = codecisions.values_list(
        "household_id",
        "status",
        "decided_at",
        "landlord_id",
        "association_id",
        "proposed_by_partner_id",
    )
    for household_id, status, decided_at, *partners in rows:
        ended = None if status in OPEN_STATUSES else (decided_at or LONG_AGO)
        for partner_id in set(partners):
            yield Involvement(household_id, partner_id, "co-décision", ended)
