"""The kept PDF summary is served again only while the case stands where it stood: every
record the summary shows moves its key (cases.exports.summary_key), and so does the day,
since the summary lists what is planned and due from today."""

from datetime import date, timedelta

from django.utils import timezone

from actions import services
from cases import exports
from tests.factories import household_create


def key(household, user) -> str:
    return exports.summary_key(household, user, "partenaires")


def test_an_appointment_planned_then_cancelled_moves_the_key(flow):
    household = household_create(by=flow.cesf)
    before = key(household, flow.cesf)
    assert key(household, flow.cesf) == before  # nothing changed: the kept file is served
    appointment = services.appointment_save(
        household=household,
        by=flow.cesf,
        data={"kind": "home_visit", "on": date.today() + timedelta(days=3)},
    )
    planned = key(household, flow.cesf)
    assert planned != before
    services.appointment_cancel(
        appointment=appointment, by=flow.cesf, reason="Le ménage a demandé un report."
    )
    assert key(household, flow.cesf) not in (before, planned)


def test_an_outreach_request_moves_the_key(flow):
    household = household_create(by=flow.cesf)
    before = key(household, flow.cesf)
    services.outreach_request_create(
        household=household,
        by=flow.cesf,
        association=flow.association,
        reason="Ne répond plus aux courriers depuis trois mois.",
    )
    assert key(household, flow.cesf) != before


def test_the_next_day_the_summary_is_rendered_again(flow, monkeypatch):
    household = household_create(by=flow.cesf)
    today = key(household, flow.cesf)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(exports.timezone, "localdate", lambda *args: tomorrow)
    assert key(household, flow.cesf) != today
