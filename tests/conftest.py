from dataclasses import dataclass

import pytest
from django.conf import settings

from logement_toujours.demo import load_all
from partners.models import Partner, Role, User
from tests.factories import PartnerFactory, user_create


def pytest_configure(config):
    # Demo users are created with real passwords; a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in the test's process; the tests marked `broker` use a real worker.
    from logement_toujours.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def demo(db):
    """The demo world (partners, users, households): loaded once, reloaded after a flush.

    Returns the demo users by username."""
    users, _ = load_all()
    return users


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_all()


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
def cesf(db) -> User:
    return user_create(Role.CESF)


@pytest.fixture
def logged_in(client, cesf):
    """The client, signed in as `cesf`."""
    client.force_login(cesf)
    return client


@pytest.fixture
def other_association(db) -> Partner:
    return PartnerFactory(association=True)
