"""The summary's task reads the replica only once it has caught up with the case: a replica
behind the primary would file old contents under the key the page waits for."""

import pytest
from django.db import connection

from cases import exports
from cases.tasks import render_summary
from core import replica
from tests.factories import household_create

# The replica is PostgreSQL's: on SQLite, the test database is one in-memory file whose two
# connections (the primary's, in the test's transaction, and the mirror's) lock each other.
pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="a read replica is a PostgreSQL deployment"
)


@pytest.mark.django_db(databases=["default", "replica"])
def test_a_replica_behind_the_case_is_not_read_and_the_file_is_the_one_the_page_waits_for(
    flow, settings, tmp_path, monkeypatch
):
    settings.SUMMARY_CACHE_DIR = str(tmp_path)
    settings.READ_REPLICA = True
    household = household_create(by=flow.cesf)
    waited_for = exports.summary_key(household, flow.cesf, "partenaires")
    primary_change = exports.last_change
    monkeypatch.setattr(
        exports,
        "last_change",
        lambda h: "behind" if replica._reading_replica.get() else primary_change(h),
    )
    read_on = []
    real_summary = exports.case_summary
    monkeypatch.setattr(
        exports,
        "case_summary",
        lambda *a, **k: read_on.append(replica._reading_replica.get()) or real_summary(*a, **k),
    )
    render_summary(household.pk, flow.cesf.pk, "partenaires")
    assert read_on == [False]  # read from the primary
    assert exports.summary_ready(household.pk, waited_for)


@pytest.mark.django_db(databases=["default", "replica"])
def test_a_replica_that_caught_up_is_read(flow, settings, tmp_path, monkeypatch):
    settings.SUMMARY_CACHE_DIR = str(tmp_path)
    settings.READ_REPLICA = True
    household = household_create(by=flow.cesf)
    # The test's own transaction is not seen by the replica's connection: the case as the
    # primary sees it is written down so that both agree.
    seen = exports.last_change(household)
    monkeypatch.setattr(exports, "last_change", lambda h: seen)
    waited_for = exports.summary_key(household, flow.cesf, "partenaires")
    read_on = []
    real_summary = exports.case_summary
    monkeypatch.setattr(
        exports,
        "case_summary",
        lambda *a, **k: read_on.append(replica._reading_replica.get()) or real_summary(*a, **k),
    )
    render_summary(household.pk, flow.cesf.pk, "partenaires")
    assert read_on == [True]
    assert exports.summary_ready(household.pk, waited_for)
