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


@dataclass(frozen=True)
class HouseholdOpenedDespiteDuplicates:
    """A case file was opened although similar ones exist (households.duplicates), the user
    having confirmed: the coordination is told, with both references. `asked` is true when
    the user asked the coordination to check."""

    household: Household
    similar_ids: tuple[int, ...]
    by: User
    asked: bool


@dataclass(frozen=True)
class HouseholdsMerged:
    """The coordination merged `merged` into `kept` (households.merge)."""

    kept: Household
    merged: Household
    by: User
