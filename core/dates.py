"""Calendar arithmetic the programme's rules count in (months, working days)."""

import calendar
from datetime import date, timedelta

from dateutil.easter import easter
from django.conf import settings


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def public_holidays(year: int) -> set[date]:
    """France's public holidays of `year` (settings PUBLIC_HOLIDAYS_*)."""
    sunday = easter(year)
    return {date(year, month, day) for month, day in settings.PUBLIC_HOLIDAYS_FIXED} | {
        sunday + timedelta(days=days) for days in settings.PUBLIC_HOLIDAYS_DAYS_AFTER_EASTER
    }


def is_working_day(day: date) -> bool:
    """Monday to Friday, public holidays excepted (jours ouvrés)."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def subtract_working_days(day: date, days: int) -> date:
    """`days` working days before `day`."""
    while days:
        day -= timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def add_working_days(day: date, days: int) -> date:
    """`days` working days after `day`."""
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
