"""Who answers a household's request for everything held about it (cases.services,
cases.privacy): pages and the API call the same `ensure_can_…`, with its French message."""

from core.errors import refuse_unless
from partners.models import User


def can_answer_right_of_access(user: User) -> bool:
    """The coordination answers a household's request for everything held about it."""
    return user.is_coordinator


def ensure_can_answer_right_of_access(user: User) -> None:
    refuse_unless(
        can_answer_right_of_access(user),
        "La demande d'accès d'un ménage est traitée par la coordination.",
    )
