"""The whole demo world, in order: partners and users, households, the workflow, the money.

Each loader is idempotent: loading twice changes nothing."""

from actions import demo as workflow_demo
from funding import demo as funding_demo
from households import demo as households_demo
from partners import demo as partners_demo
from partners.models import User


def load_all() -> tuple[dict[str, User], int]:
    """Load everything; return the demo users by username and the households added now."""
    users = partners_demo.load()
    created = households_demo.load(users)
    workflow_demo.load(users)
    funding_demo.load(users)
    return users, created
