"""The calendar feed of « Mes échéances »: a secret, revocable address on the profile; the
feed parsed with the `icalendar` library as a calendar application reads it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from households.models import AccessAction, AccessLogEntry
from partners import services as partner_services
from partners.models import CalendarFeed, Role
from tests.factories import add_cases, busy_case, user_create, waiting_codecision
from tests.helpers import NAME, TODAY, at

PARIS = ZoneInfo("Europe/Paris")


def feed_secret(client, user) -> str:
    """Generate the address from the profile, as the user does, and read it off the page."""
    client.force_login(user)
    response = client.post(reverse("calendar_feed_create"))
    assert response.status_code == 200
    url = response.context["calendar_feed_url"]
    assert url in response.content.decode()
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def fetch(client, secret: str):
    client.logout()  # a calendar application has no session
    with at(TODAY):
        return client.get(reverse("calendar_feed", args=[secret]))


def test_the_feed_parses_with_events_in_paris_time_and_no_name(client, flow):
    case = busy_case(flow)
    waiting_codecision(flow)
    secret = feed_secret(client, flow.caseworker)
    response = fetch(client, secret)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    reference = case["household"].reference
    # The appointment at 14:30, Paris time (TZID and its VTIMEZONE), lasting 90 minutes.
    appointment = events[f"appointment-{case['soon'].pk}-appointment@logement-toujours"]
    start = appointment.decoded("dtstart")
    assert start == datetime(2026, 2, 18, 14, 30, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris"
    assert appointment["dtstart"].params["TZID"] == "Europe/Paris"
    assert appointment.decoded("dtend") - start == timedelta(minutes=90)
    assert str(appointment["summary"]) == f"{reference} — Rendez-vous : visite à domicile"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    # The European rule, for every year (not a list of dates ending in 2038).
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in response.content
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in response.content
    assert b"TZID=Europe/Paris:20260218T143000" in response.content
    # The hearing and the next step: all-day events (DATE).
    hearing = next(e for uid, e in events.items() if uid.endswith("-hearing@logement-toujours"))
    assert hearing.decoded("dtstart") == date(2026, 3, 2)
    assert not isinstance(hearing.decoded("dtstart"), datetime)
    assert hearing.decoded("dtend") == date(2026, 3, 3)
    assert str(hearing["summary"]) == f"{reference} — Audience"
    step = events[f"follow_up-{case['follow_up'].pk}-next_step@logement-toujours"]
    assert step.decoded("dtstart") == TODAY
    # Every kind of item is there, each with a link back to the application.
    kinds = {str(event["categories"].cats[0]) for event in events.values()}
    assert {
        "Délais légaux et audiences",
        "Baux glissants",
        "Mesures : fins et renouvellements",
        "Co-décisions en attente",
        "Prochaines étapes",
        "Rendez-vous",
    } <= kinds
    assert all(str(event["url"]).startswith("http") for event in events.values())
    # References only: no household name, member, place or typed text.
    text = response.content.decode()
    for private in [
        case["household"].name,
        "Durand",
        "DURAND",
        "Prénom0",
        NAME,
        "Lilas",
        "Rappeler",
        "Point sur le budget",
    ]:
        assert private not in text


def test_uids_are_stable_and_an_event_moves_rather_than_doubles(client, flow):
    from actions import services

    case = busy_case(flow)
    secret = feed_secret(client, flow.caseworker)
    first = Calendar.from_ical(fetch(client, secret).content)
    with at(TODAY):
        services.appointment_save(
            household=case["household"],
            by=flow.caseworker,
            appointment=case["soon"],
            expected_version=case["soon"].version,
            data={"on": date(2026, 7, 2), "at": time(9, 0)},
        )
    second = Calendar.from_ical(fetch(client, secret).content)
    uids = [str(event["uid"]) for event in first.walk("VEVENT")]
    assert sorted(uids) == sorted(str(event["uid"]) for event in second.walk("VEVENT"))
    assert len(uids) == len(set(uids))
    moved = next(
        e
        for e in second.walk("VEVENT")
        if str(e["uid"]).startswith(f"appointment-{case['soon'].pk}-")
    )
    assert moved.decoded("dtstart") == datetime(2026, 7, 2, 9, 0, tzinfo=PARIS)
    assert moved.decoded("dtstart").utcoffset() == timedelta(hours=2)  # summer time


def test_every_fetch_is_written_to_the_access_log_without_the_secret(client, flow):
    case = busy_case(flow)
    secret = feed_secret(client, flow.caseworker)
    fetch(client, secret)
    fetch(client, secret)
    entries = AccessLogEntry.objects.filter(user=flow.caseworker, action=AccessAction.CALENDAR)
    assert entries.count() == 2
    assert set(entries.values_list("household_pk", flat=True)) == {case["household"].pk}
    assert all(secret not in entry.path for entry in entries)
    assert CalendarFeed.objects.get(user=flow.caseworker, revoked_at=None).last_used_at


def test_regenerated_or_revoked_addresses_stop_working(client, flow):
    busy_case(flow)
    old = feed_secret(client, flow.caseworker)
    new = feed_secret(client, flow.caseworker)
    assert old != new
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    client.force_login(flow.caseworker)
    profile = client.get(reverse("profile")).content.decode()
    assert "Adresse active" in profile
    assert new not in profile  # shown once, when generated
    client.post(reverse("calendar_feed_revoke"))
    assert fetch(client, new).status_code == 404
    assert fetch(client, "pas-une-adresse").status_code == 404
    # A password change revokes it too, like the API tokens.
    again = feed_secret(client, flow.caseworker)
    partner_services.user_password_set(
        user=flow.caseworker, password="Un autre mot de passe 2026 !"
    )
    assert fetch(client, again).status_code == 404


def test_a_feed_carries_only_its_users_caseload(client, flow):
    case = busy_case(flow)
    stranger = user_create(Role.CESF)
    secret = feed_secret(client, stranger)
    calendar = Calendar.from_ical(fetch(client, secret).content)
    assert calendar.walk("VEVENT") == []
    assert case["household"].reference.encode() not in fetch(client, secret).content


def feed_queries(client, secret) -> int:
    client.logout()
    with at(TODAY), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("calendar_feed", args=[secret]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["caseworker", "coordinator"])
def test_the_feed_takes_the_same_number_of_queries_at_two_sizes(client, flow, user):
    secret = feed_secret(client, getattr(flow, user))
    add_cases(flow, 1)
    small = feed_queries(client, secret)
    add_cases(flow, 4)
    large = feed_queries(client, secret)
    assert large == small
    assert small <= 15
