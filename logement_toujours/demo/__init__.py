"""The whole demo world, in order: partners and users, households, the workflow, the money.

Each loader is idempotent: loading twice changes nothing."""

from logement_toujours.demo import documents as documents_demo
from logement_toujours.demo import funding as funding_demo
from logement_toujours.demo import households as households_demo
from logement_toujours.demo import partners as partners_demo
from logement_toujours.demo import workflow as workflow_demo
from partners.models import User


def load_all(*, documents: bool = True) -> tuple[dict[str, User], int]:
    """Load everything; return the demo users by username and the households added now.

    `documents=False` leaves the case files without their papers (the tests, whose
    documents storage is a folder of each test's own, add them with documents_demo.load)."""
    users = partners_demo.load()
    created = households_demo.load(users)
    workflow_demo.load(users)
    funding_demo.load(users)
    if documents:
        documents_demo.load(users)
    return users, created
