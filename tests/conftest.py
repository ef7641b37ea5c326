from dataclasses import dataclass

import pytest
from django.conf import settings

from households import demo as households_demo
from partners import demo as partners_demo
from partners.models import Partner, Role, User
from tests.factories import PartnerFactory, user_create


def pytest_configure(config):
    # Demo users are created with real passwords; a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The demo world (partners, users, households): loaded once, reloaded after a flush.

    Returns the demo users by username."""
    users = partners_demo.load()
    households_demo.load(users)
    return users


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        households_demo.load(partners_demo.load())


@dataclass
class Flow:
    cesf: User
    landlord: Partner
    caseworker: User
    association: Partner
    coordinator: User


@pytest.fixture
def flow(db) -> Flow:
    cesf = user_create(Role.CESF)
    caseworker = user_create(Role.CASEWORKER)
    return Flow(
        cesf=cesf,
        landlord=cesf.partner,
        caseworker=caseworker,
        association=caseworker.partner,
        coordinator=user_create(Role.COORDINATOR),
    )


@pytest.fixture
def other_association(db) -> Partner:
    return PartnerFactory(association=True)
