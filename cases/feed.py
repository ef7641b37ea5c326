"""The calendar feed of « Mes échéances » (iCalendar, RFC 5545), read by Outlook, Thunderbird
and phone calendars from a secret address (partners.models.CalendarFeed).

Each agenda item is an event whose summary is the household's reference and the item's
label, never a name, a place or a typed text (cases.agenda.AgendaItem.label). An appointment
with a time is an event in Europe/Paris (TZID, with its VTIMEZONE); anything else is an
all-day event (DATE). The UID is stable (the record and what about it), so that a calendar
updates an event that moved instead of adding one."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from cases.agenda import AgendaItem

PARIS = ZoneInfo(settings.TIME_ZONE)
NAME = "Mes échéances — Le logement toujours"


def calendar_of(items: list[AgendaItem]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Le logement toujours//Mes echeances//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", NAME)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Calendars poll a subscription; ask for about twice a day.
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = timezone.now()
    calendar.add_component(_paris())
    for item in items:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()


def _paris() -> Timezone:
    """Europe/Paris as Outlook and Thunderbird write it: the European rule (last Sunday of
    March and of October) as yearly RRULEs, valid for every year the application accepts
    (icalendar's generated VTIMEZONE lists dates only up to 2038)."""
    zone = Timezone()
    zone.add("tzid", settings.TIME_ZONE)
    for part, name, offsets, start, month in (
        (TimezoneDaylight, "CEST", (1, 2), datetime(1970, 3, 29, 2), 3),
        (TimezoneStandard, "CET", (2, 1), datetime(1970, 10, 25, 3), 10),
    ):
        rule = part()
        rule.add("tzname", name)
        rule.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        rule.add("tzoffsetto", timedelta(hours=offsets[1]))
        rule.add("dtstart", start)
        rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(rule)
    return zone


def _event(item: AgendaItem, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", f"{item.reference} — {item.label}")
    url = settings.SITE_URL.rstrip("/") + item.link
    event.add("description", f"{item.kind_label}.\n{url}")
    event.add("url", url)
    event.add("categories", [item.kind_label])
    event.add("transp", "OPAQUE" if item.at else "TRANSPARENT")
    if item.attention:
        event.add("priority", 1)
    if item.at is not None:
        start = datetime.combine(item.on, item.at, tzinfo=PARIS)
        minutes = item.minutes or settings.AGENDA_APPOINTMENT_DEFAULT_MINUTES
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
    else:
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
    return event


def feed_items(items: list[AgendaItem], today: date) -> list[AgendaItem]:
    """What the feed carries: from AGENDA_FEED_PAST_DAYS ago, at most AGENDA_FEED_LIMIT
    items (the nearest to today first kept)."""
    since = today - timedelta(days=settings.AGENDA_FEED_PAST_DAYS)
    recent = [item for item in items if item.on >= since]
    if len(recent) > settings.AGENDA_FEED_LIMIT:
        recent = sorted(recent, key=lambda item: abs((item.on - today).days))
        recent = sorted(recent[: settings.AGENDA_FEED_LIMIT], key=lambda item: item.on)
    return recent
