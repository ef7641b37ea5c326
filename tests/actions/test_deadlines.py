from datetime import date

import pytest

from actions.deadlines import (
    in_winter_truce,
    lease_deadlines,
    payment_order_delay_end,
    procedure_deadlines,
    winter_truce_around,
)
from actions.models import EvictionProcedure, SlidingLease


@pytest.mark.parametrize(
    ("lease_signed_on", "expected"),
    [
        (date(2023, 7, 29), date(2026, 3, 13)),  # 6 weeks for leases from 29 July 2023
        (date(2023, 7, 28), date(2026, 3, 30)),  # 2 months before
        (None, date(2026, 3, 13)),  # unknown: the shorter delay, never reminded too late
    ],
)
def test_payment_order_delay_depends_on_the_lease_date(lease_signed_on, expected):
    assert payment_order_delay_end(date(2026, 1, 30), lease_signed_on) == expected


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 10, 31), False),
        (date(2026, 11, 1), True),
        (date(2027, 1, 15), True),
        (date(2027, 3, 31), True),
        (date(2027, 4, 1), False),
        (date(2013, 3, 20), False),  # before 2014 the truce ended on 15 March
        (date(2013, 3, 15), True),
        (date(2020, 7, 10), True),  # extended during the health emergency
        (date(2020, 7, 11), False),
        (date(2021, 5, 31), True),
        (date(2021, 6, 1), False),
        (date(2022, 3, 31), True),  # back to 31 March
        (date(2022, 4, 1), False),
    ],
)
def test_winter_truce_boundaries(day, inside):
    assert in_winter_truce(day) is inside


def test_the_truce_around_a_summer_day_is_the_next_one():
    assert winter_truce_around(date(2026, 6, 1)) == (date(2026, 11, 1), date(2027, 3, 31))


def test_procedure_deadlines_follow_the_recorded_stages():
    procedure = EvictionProcedure(summons_on=date(2026, 2, 2), hearing_on=date(2026, 4, 10))
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure)}
    assert deadlines == {
        "dsf_interview": date(2026, 2, 23),  # 15 working days after the summons
        "summons_notice": date(2026, 2, 27),  # the prefect told 6 weeks before the hearing
        "dsf_to_judge": date(2026, 4, 2),  # 5 working days before, Easter Monday excepted
        "hearing": date(2026, 4, 10),
    }


def test_the_dsf_interview_counts_from_the_prefects_request_when_recorded():
    procedure = EvictionProcedure(summons_on=date(2026, 2, 2), dsf_requested_on=date(2026, 4, 27))
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure)}
    # 15 working days from 27 April 2026: 1 May, 8 May and Ascension (14 May) excepted.
    assert deadlines["dsf_interview"] == date(2026, 5, 21)


@pytest.mark.parametrize(("extra", "expected"), [(0, date(2026, 8, 15)), (3, date(2026, 11, 15))])
def test_the_order_to_leave_delay_and_the_judges_extra_months(extra, expected):
    procedure = EvictionProcedure(
        order_to_leave_on=date(2026, 6, 15), order_to_leave_extra_months=extra
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure)}
    assert deadlines["order_to_leave"] == expected


def test_an_eviction_judgement_shows_the_end_of_the_truce():
    procedure = EvictionProcedure(
        hearing_on=date(2026, 12, 1), judgement_on=date(2026, 12, 15), eviction_ordered=True
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure)}
    assert deadlines["winter_truce_end"] == date(2027, 3, 31)
    assert deadlines["appeal"] == date(2027, 1, 15)


def test_lease_review_every_six_months_and_landlord_answer_two_months_before():
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10))
    deadlines = {d.kind: d.on for d in lease_deadlines(lease, today=date(2026, 8, 1))}
    assert deadlines == {
        "lease_review": date(2027, 1, 10),
        "lease_landlord_answer": date(2026, 11, 10),
    }


def test_a_glided_lease_has_no_more_reviews():
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10), glide_on=date(2027, 6, 1))
    assert lease_deadlines(lease, today=date(2027, 7, 1)) == []
