"""The 2016 demo budget (filled in by the funding issue)."""

from partners.models import User


def load(users: dict[str, User]) -> None:
    return None
