"""Calendar arithmetic: months clipped to their end, working days without public holidays."""

from datetime import date

import pytest

from core.dates import add_months, add_working_days, subtract_working_days


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 15), -2, date(2026, 3, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_working_days_skip_weekends():
    # Friday 2026-03-13 minus 5 working days is Friday 2026-03-06.
    assert subtract_working_days(date(2026, 3, 13), 5) == date(2026, 3, 6)
    # Monday 2026-03-16 minus 5 working days is Monday 2026-03-09.
    assert subtract_working_days(date(2026, 3, 16), 5) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(2026, 4, 10), -5, date(2026, 4, 2)),  # Easter Monday, 6 April 2026
        (date(2026, 5, 4), 5, date(2026, 5, 12)),  # 8 May (a Friday)
        (date(2027, 5, 3), 5, date(2027, 5, 11)),  # 6 May 2027, Ascension Thursday
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # Christmas
        (date(2027, 1, 4), -1, date(2026, 12, 31)),  # New Year's Day, across the year
        (date(2026, 5, 26), -1, date(2026, 5, 22)),  # Whit Monday, 25 May 2026
    ],
)
def test_working_days_skip_public_holidays(day, days, expected):
    counted = add_working_days(day, days) if days > 0 else subtract_working_days(day, -days)
    assert counted == expected
