"""Keyset paging reads change times as whole microseconds (core.keyset.Stamp): the database's
figure must be exactly the one Python computes, or a page would skip or repeat a household."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.keyset import Stamp, cursor_of, datetime_of, parse_cursor, stamp_of
from households.models import Household
from tests.factories import household_create

pytestmark = pytest.mark.django_db

moments = st.datetimes(
    min_value=datetime(1901, 1, 1), max_value=datetime(2199, 12, 31), timezones=st.just(UTC)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=moments)
def test_the_database_stamp_of_a_change_time_is_python_s_to_the_microsecond(cesf, moment):
    household = household_create(by=cesf) if not Household.objects.exists() else None
    household = household or Household.objects.get()
    Household.objects.filter(pk=household.pk).update(updated_at=moment)
    (stamp,) = Household.objects.filter(pk=household.pk).values_list(Stamp("updated_at"), flat=True)
    assert stamp == stamp_of(moment)
    assert datetime_of(stamp) == moment


def test_stamps_order_as_the_change_times_do():
    earlier = datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=UTC)
    later = datetime(2026, 12, 2, 0, 0, 0, tzinfo=UTC)
    assert stamp_of(earlier) < stamp_of(later) == stamp_of(earlier) + 1


def test_a_cursor_typed_without_offset_reads_as_utc():
    moment = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    typed = cursor_of(moment.replace(tzinfo=None), 42)
    value, pk = parse_cursor(typed)
    assert (stamp_of(value), pk) == (stamp_of(moment), 42)


def test_a_query_written_once_answers_for_each_id_as_the_orm_does(cesf):
    from core.keyset import written_once

    built = []

    def names(pk):
        built.append(pk)
        return Household.objects.filter(pk=pk).values_list("name", "reference")

    first = household_create(by=cesf, name="Premier")
    second = household_create(by=cesf, name="Second")
    read = written_once(Household, names)
    assert read(first.pk) == ("Premier", first.reference)
    assert read(second.pk) == ("Second", second.reference)
    assert read(first.pk + second.pk + 1000) is None
    assert len(built) == 1  # the queryset built, and its SQL written, once
