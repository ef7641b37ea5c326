import copy
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from logement_toujours.demo import load_all
from partners.models import Partner, Role, User
from tests.factories import PartnerFactory, user_create


def pytest_configure(config):
    # Demo users are created with real passwords; a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The API's rate counters live in this process, emptied before each test.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # Tasks run in the test's process; the tests marked `broker` use a real worker.
    from logement_toujours.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


class SecondFactorClient(Client):
    """Django's test client, whose `force_login` also gives the second factor when the user
    must give one (coordinators, staff): the session is verified by the user's authenticator
    (created if it has none), as after a real login. `second_factor=False` leaves the session
    waiting for it."""

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        from django_otp import DEVICE_ID_SESSION_KEY

        from partners import second_factor as otp
        from partners.security import SESSION_HAS_DEVICE

        super().force_login(user, backend)
        if second_factor and (otp.required_for(user) or otp.has_device(user)):
            device = otp.demo_device(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[SESSION_HAS_DEVICE] = True
            session.save()


@pytest.fixture
def client():
    return SecondFactorClient()


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def broker_not_paused():
    """A broker failure in one test does not leave the next test's messages to the relay
    (core.outbox.publish_soon)."""
    from core import outbox

    outbox.resume_publishing()


class DemoWorld:
    """The demo world (partners, users, households, workflow, money, without the papers),
    loaded once inside a transaction that stays open while the tests asking for it run, one
    after the other (pytest_collection_modifyitems), and rolled back before any other test:
    each test's own transaction is a savepoint inside it (as Django's `setUpTestData`)."""

    def __init__(self):
        self.outer = None
        self.users = None

    def open(self, blocker):
        if self.outer is None:
            with blocker.unblock():
                self.outer = transaction.atomic()
                self.outer.__enter__()
                self.users, _ = load_all(documents=False)
        return self.users

    def close(self, blocker):
        if self.outer is not None:
            with blocker.unblock():
                transaction.set_rollback(True)
                self.outer.__exit__(None, None, None)
            self.outer = self.users = None


WORLD = DemoWorld()


def uses_demo_world(item) -> bool:
    return "demo_world" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def demo_world_closed(django_db_blocker):
    yield
    WORLD.close(django_db_blocker)


@pytest.fixture(autouse=True)
def demo_world_guard(request, django_db_blocker, demo_world_closed):
    """Opens the demo world before a test that asks for it (before its own transaction);
    closes it before a test that does not, so that no test sees the demo unless it asks."""
    if uses_demo_world(request.node):
        request.getfixturevalue("django_db_setup")
        WORLD.open(django_db_blocker)
    else:
        WORLD.close(django_db_blocker)


@pytest.fixture
def demo_world(demo_world_guard):
    return WORLD.users


@pytest.fixture
def demo(demo_world, db):
    """The demo users by username, for the tests about the demo and the access matrix (the
    other tests build what they need with tests.factories). Transactional tests override it
    (tests/e2e/conftest.py) and load the demo themselves. A copy for each test, as Django's
    `setUpTestData` gives: a user a test changes in memory is not the next test's."""
    return copy.deepcopy(demo_world)


def transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests without the demo first, then those with it, one after the other (the demo
    is loaded once for them), then the transactional tests (which empty the database)."""
    items.sort(key=lambda item: (transactional(item), uses_demo_world(item)))


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


@pytest.fixture(autouse=True)
def documents_storage(settings, tmp_path_factory):
    """Each test keeps its documents in a folder of its own (the local file system)."""
    location = tmp_path_factory.mktemp("documents")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location
