"""Calendar arithmetic the programme's rules count in (months, working days), and the window
of plausible dates a user may type (one helper for forms, the API and the services)."""

import calendar
from datetime import date, timedelta

from dateutil.easter import easter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from core.errors import DomainError


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


# --- Plausible dates ------------------------------------------------------------------------

# What the database accepts at all on the workflow's dates (CHECK constraints): a typing slip
# like 0001-01-01 or 9999-12-31 never reaches a calculation.
DATE_FLOOR = date(2000, 1, 1)
DATE_CEILING = date(2099, 12, 31)


def dates_plausible(*fields: str, floor: date = DATE_FLOOR) -> models.Q:
    """A CHECK condition: each of `fields` is empty or lies between `floor` and DATE_CEILING.
    A field whose PlausibleDate reaches further back takes the floor its window had in 2020
    (80 years back: 1940), so that nothing the forms accept is refused by the database."""
    condition = models.Q()
    for field in fields:
        condition &= models.Q(**{f"{field}__isnull": True}) | models.Q(
            **{f"{field}__range": (floor, DATE_CEILING)}
        )
    return condition


def plausible_window(
    *, past_years: int | None = None, future_years: int | None = None
) -> tuple[date, date]:
    """The dates a user may type today: from DATES_PAST_YEARS years ago to DATES_FUTURE_YEARS
    years ahead (settings), unless the field says otherwise (a lease signed long ago)."""
    today = timezone.localdate()
    past = settings.DATES_PAST_YEARS if past_years is None else past_years
    future = settings.DATES_FUTURE_YEARS if future_years is None else future_years
    return add_months(today, -12 * past), add_months(today, 12 * future)


@deconstructible
class PlausibleDate:
    """A model field's validator: the date lies in the plausible window. Forms and API
    serializers built from the model take it; services check it through `check_dates`
    (core.history.save_with_history calls it)."""

    def __init__(self, past_years: int | None = None, future_years: int | None = None):
        self.past_years, self.future_years = past_years, future_years

    def __call__(self, day: date) -> None:
        message = implausible_date_message(
            day, past_years=self.past_years, future_years=self.future_years
        )
        if message:
            raise ValidationError(message, code="implausible_date")

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate) and (self.past_years, self.future_years) == (
            other.past_years,
            other.future_years,
        )


plausible_date = PlausibleDate()


def implausible_date_message(
    day: date | None, *, past_years: int | None = None, future_years: int | None = None
) -> str:
    """A French message when `day` lies outside the plausible window, else ""."""
    if day is None:
        return ""
    earliest, latest = plausible_window(past_years=past_years, future_years=future_years)
    if earliest <= day <= latest:
        return ""
    return (
        f"La date du {day:%d/%m/%Y} n'est pas plausible : saisissez une date entre le "
        f"{earliest:%d/%m/%Y} et le {latest:%d/%m/%Y}."
    )


def ensure_plausible(day: date | None, *, field: str | None = None, **window) -> None:
    """Refuse with a French DomainError a date outside the plausible window."""
    message = implausible_date_message(day, **window)
    if message:
        raise DomainError(message, field=field)


def check_dates(obj) -> None:
    """Refuse with a French DomainError any date of `obj` its field declares implausible."""
    for field in obj._meta.concrete_fields:
        day = getattr(obj, field.attname, None)
        for validator in field.validators:
            if isinstance(validator, PlausibleDate) and isinstance(day, date):
                ensure_plausible(
                    day,
                    field=field.name,
                    past_years=validator.past_years,
                    future_years=validator.future_years,
                )
