from datetime import date

import pytest

from actions.deadlines import (
    energy_truce_around,
    grace_period_limits,
    in_winter_truce,
    lease_deadlines,
    payment_order_delay_end,
    procedure_deadlines,
    procedure_warnings,
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
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 1, 1))}
    assert deadlines == {
        "dsf_interview": date(2026, 2, 23),  # 15 working days after the summons
        "summons_notice": date(2026, 2, 27),  # the prefect told 6 weeks before the hearing
        "dsf_to_judge": date(2026, 4, 2),  # 5 working days before, Easter Monday excepted
        "hearing": date(2026, 4, 10),
    }


def test_the_dsf_interview_counts_from_the_prefects_request_when_recorded():
    procedure = EvictionProcedure(summons_on=date(2026, 2, 2), dsf_requested_on=date(2026, 4, 27))
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 1, 1))}
    # 15 working days from 27 April 2026: 1 May, 8 May and Ascension (14 May) excepted.
    assert deadlines["dsf_interview"] == date(2026, 5, 21)


@pytest.mark.parametrize(("extra", "expected"), [(0, date(2026, 8, 15)), (3, date(2026, 11, 15))])
def test_the_order_to_leave_delay_and_the_judges_extra_months(extra, expected):
    procedure = EvictionProcedure(
        order_to_leave_on=date(2026, 6, 15), order_to_leave_extra_months=extra
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 1, 1))}
    assert deadlines["order_to_leave"] == expected


def test_an_eviction_judgement_shows_the_end_of_the_truce_around_today():
    procedure = EvictionProcedure(
        hearing_on=date(2026, 12, 1),
        judgement_on=date(2026, 12, 15),
        judgement_kind="merits",
        judgement_outcome="eviction",
        judgement_served_on=date(2026, 12, 22),
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 12, 16))}
    assert deadlines["winter_truce_end"] == date(2027, 3, 31)
    # A judgement on the merits: 1 month from its service, not from its date (art. 528 CPC).
    assert deadlines["appeal"] == date(2027, 1, 22)


@pytest.mark.parametrize(
    ("today", "truce_end"),
    [
        (date(2026, 12, 1), date(2027, 3, 31)),  # inside a truce: its end
        (date(2027, 3, 31), date(2027, 3, 31)),  # its last day
        (date(2027, 4, 1), date(2028, 3, 31)),  # the day after: the next truce
        (date(2026, 10, 31), date(2027, 3, 31)),  # the eve of a truce: the coming one
    ],
)
def test_a_long_procedure_follows_the_truce_that_contains_or_follows_today(today, truce_end):
    # Judged on 1 June 2025, still followed across the truces of 2025-26 and 2026-27.
    procedure = EvictionProcedure(judgement_on=date(2025, 6, 1), judgement_outcome="eviction")
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, today)}
    assert deadlines["winter_truce_end"] == truce_end


@pytest.mark.parametrize(
    ("kind", "served_on", "expected"),
    [
        ("refere", date(2026, 12, 3), date(2026, 12, 18)),  # 15 days (art. 490 CPC)
        ("merits", date(2026, 12, 3), date(2027, 1, 4)),  # 1 month: Sunday 3/1 → Monday
        ("", date(2026, 12, 3), date(2026, 12, 18)),  # unknown: the shorter delay
        # Ending on Christmas Day, a Friday: extended to Monday 28 (art. 642 CPC).
        ("refere", date(2026, 12, 10), date(2026, 12, 28)),
        ("refere", date(2026, 12, 9), date(2026, 12, 24)),  # the day before: no extension
    ],
)
def test_the_appeal_runs_from_the_service_of_the_decision(kind, served_on, expected):
    procedure = EvictionProcedure(
        judgement_on=date(2026, 11, 20), judgement_kind=kind, judgement_served_on=served_on
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 12, 1))}
    assert deadlines["appeal"] == expected


def test_no_appeal_deadline_before_the_decision_is_served():
    procedure = EvictionProcedure(judgement_on=date(2026, 11, 20), judgement_kind="refere")
    kinds = {d.kind for d in procedure_deadlines(procedure, date(2026, 12, 1))}
    assert "appeal" not in kinds


@pytest.mark.parametrize(
    ("referred_on", "summons_on", "flagged"),
    [
        (date(2026, 1, 15), date(2026, 3, 14), True),  # a day too early
        (date(2026, 1, 15), date(2026, 3, 15), False),  # 2 months to the day
        (None, date(2026, 3, 15), True),  # no referral recorded
    ],
)
def test_a_summons_served_too_soon_after_the_ccapex_is_flagged(referred_on, summons_on, flagged):
    procedure = EvictionProcedure(ccapex_referred_on=referred_on, summons_on=summons_on)
    assert bool(procedure_warnings(procedure)) is flagged


@pytest.mark.parametrize(
    ("lease_signed_on", "delay", "expected"),
    [
        (date(2023, 7, 29), "", date(2026, 12, 22)),  # a lease from 29/07/2023: 6 weeks
        (date(2023, 7, 28), "", date(2027, 1, 10)),  # the day before: 2 months
        (date(2019, 5, 1), "six_weeks", date(2026, 12, 22)),  # the act says 6 weeks
    ],
)
def test_the_delay_written_in_the_commandement(lease_signed_on, delay, expected):
    procedure = EvictionProcedure(
        lease_signed_on=lease_signed_on,
        payment_order_on=date(2026, 11, 10),
        payment_order_delay=delay,
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 11, 10))}
    assert deadlines["payment_order"] == expected


def test_grace_periods_and_payment_plan_have_their_ends():
    procedure = EvictionProcedure(
        judgement_on=date(2026, 6, 3),
        judgement_outcome="payment_plan",
        judgement_served_on=date(2026, 6, 20),
        payment_plan_months=36,
        grace_period_months=12,
    )
    deadlines = {d.kind: d.on for d in procedure_deadlines(procedure, date(2026, 7, 1))}
    assert deadlines["payment_plan_end"] == date(2029, 6, 20)
    assert deadlines["grace_period_end"] == date(2027, 6, 3)


@pytest.mark.parametrize(
    ("granted_on", "limits"),
    [(date(2023, 7, 29), (1, 12)), (date(2023, 7, 28), (3, 36))],
)
def test_grace_period_limits_changed_with_the_law_of_2023(granted_on, limits):
    assert grace_period_limits(granted_on) == limits


def test_an_ended_procedure_has_no_deadline():
    procedure = EvictionProcedure(
        hearing_on=date(2026, 12, 1), ended_on=date(2026, 11, 2), end_reason="withdrawn"
    )
    assert procedure_deadlines(procedure, date(2026, 11, 2)) == []


@pytest.mark.parametrize(
    ("today", "truce"),
    [
        (date(2026, 10, 31), (date(2026, 11, 1), date(2027, 3, 31))),
        (date(2026, 11, 1), (date(2026, 11, 1), date(2027, 3, 31))),
        (date(2027, 3, 31), (date(2026, 11, 1), date(2027, 3, 31))),
        (date(2027, 4, 1), (date(2027, 11, 1), date(2028, 3, 31))),
    ],
)
def test_the_truce_on_energy_cut_offs(today, truce):
    assert energy_truce_around(today) == truce


def test_lease_review_every_six_months_and_landlord_answer_two_months_before():
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10))
    deadlines = {d.kind: d.on for d in lease_deadlines(lease, today=date(2026, 8, 1))}
    assert deadlines == {
        "lease_review": date(2027, 1, 10),
        "lease_landlord_answer": date(2026, 11, 10),
    }


def test_a_glided_or_ended_lease_and_a_temporary_occupancy_have_no_reviews():
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10), glide_on=date(2027, 6, 1))
    assert lease_deadlines(lease, today=date(2027, 7, 1)) == []
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10), ended_on=date(2027, 6, 1))
    assert lease_deadlines(lease, today=date(2027, 7, 1)) == []
    lease = SlidingLease(sublease_signed_on=date(2026, 1, 10), mode="temporary_occupancy")
    assert lease_deadlines(lease, today=date(2026, 7, 1)) == []
