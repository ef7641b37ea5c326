"""What the households tell the apps above them (core.events)."""

from dataclasses import dataclass

from households.models import Household
from partners.models import Partner, User


@dataclass(frozen=True)
class HouseholdAccessChanged:
    """A partner's access to a household changed by the rule of involvement
    (households.involvement): `before` and `after` are "none", "read" or "change". A
    household shared with a partner is `before == "none"`; `by` is the user whose step
    caused it (None for the nightly check)."""

    household: Household
    partner: Partner
    before: str
    after: str
    by: User | None
