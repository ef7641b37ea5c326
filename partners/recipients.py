"""Who works where, for the reminders: fetched once per sweep (core.reminders)."""

from collections import defaultdict

from partners.models import Membership, Role


class Recipients:
    """Who works where, fetched once per sweep."""

    def __init__(self) -> None:
        self.by_partner_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        for user_id, partner_id, role in Membership.objects.filter(
            user__is_active=True
        ).values_list("user_id", "partner_id", "role"):
            self.by_partner_role[(partner_id, role)].add(user_id)
        self.coordinators = frozenset(
            user_id
            for (_, role), users in self.by_partner_role.items()
            if role == Role.COORDINATOR
            for user_id in users
        )

    def of(self, partner_id: int, *roles: str) -> set[int]:
        found: set[int] = set()
        for role in roles:
            found |= self.by_partner_role.get((partner_id, role), set())
        return found
