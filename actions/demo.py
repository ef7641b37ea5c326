"""Demo cases at every step of the workflow (filled in by the workflow pages)."""

from partners.models import User


def load(users: dict[str, User]) -> None:
    return None
