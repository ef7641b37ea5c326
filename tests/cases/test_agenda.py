"""« Mes échéances »: every dated thing of a caseload, grouped, filtered, flagged exactly as
the daily sweep flags it, in a constant number of queries."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from cases.agenda import AgendaKind, agenda
from core import reminders
from households.models import AccessAction, AccessLogEntry
from partners.models import Role
from partners.recipients import Recipients
from tests.factories import (
    add_cases,
    busy_case,
    household_create,
    start_measure,
    user_create,
    waiting_codecision,
)
from tests.helpers import NAME, TODAY, at


def sweep_flags(today: date) -> set[tuple]:
    """What every reminder rule of the sweep finds due on `today` (the notices of a
    co-decision's opening aside: a notice, not a dated thing)."""
    people = Recipients()
    found = set()
    for rule in reminders.rules():
        if rule.__name__ == "codecisions_opened":
            continue
        for dues in rule(today, people):
            found |= {(due.object_type, due.object_id, due.due_on) for due in dues}
    return found


def agenda_flags(user, today: date) -> set[tuple]:
    return {
        (item.object_type, item.object_id, item.on)
        for item in agenda(user, today)
        if item.attention
    }


@pytest.mark.parametrize(
    "today",
    [
        TODAY,
        date(2026, 2, 20),
        date(2026, 3, 1),
        date(2026, 3, 2),
        date(2026, 5, 5),
        date(2026, 6, 10),
        date(2026, 7, 3),
        date(2026, 7, 10),
    ],
)
def test_the_page_flags_exactly_what_the_sweep_reminds(flow, today):
    """The coordinator sees every household: on any day, the items the agenda marks « à
    surveiller » are exactly the reminders the sweep's rules find due (the demo's records
    included), record by record and date by date."""
    busy_case(flow)
    waiting_codecision(flow)
    start_measure(flow, date(2026, 1, 2))  # action 1: quiet, the energy truce
    flags = agenda_flags(flow.coordinator, today)
    assert flags == sweep_flags(today)
    assert flags  # the comparison is not between two empty sets


def test_items_of_every_kind_grouped_overdue_today_this_week_later(client, flow):
    case = busy_case(flow)
    codecision = waiting_codecision(flow)
    client.force_login(flow.caseworker)
    with at(TODAY):
        response = client.get(reverse("agenda"))
    assert response.status_code == 200
    groups = {group["key"]: group["items"] for group in response.context["groups"]}

    def whats(key):
        return [(row["item"].what, row["item"].on) for row in groups[key]]

    # Overdue: the co-decision waited past its 7 days (9 February).
    assert ("waiting_association", date(2026, 2, 9)) in whats("overdue")
    assert ("waiting_landlord", date(2026, 2, 9)) in whats("overdue")
    waits = {row["item"].what: row["item"].label for row in groups["overdue"]}
    assert waits["waiting_association"].endswith("réponse de votre structure attendue")
    assert waits["waiting_landlord"].endswith(f"réponse du bailleur {flow.landlord.name} attendue")
    # Today: the dated next step.
    assert whats("today") == [("next_step", TODAY)]
    # This week (to Sunday 22 February): the appointment on Wednesday.
    assert ("appointment", date(2026, 2, 18)) in whats("week")
    # Later: the hearing, the notice of the summons, the lease's dates, the measure's end, the
    # window to decide its renewal, the appointment in April.
    later = whats("later")
    for expected in [
        ("hearing", date(2026, 3, 2)),
        ("dsf_to_judge", date(2026, 2, 23)),
        ("lease_landlord_answer", date(2026, 5, 31)),
        ("lease_review", date(2026, 7, 31)),
        ("measure_end", date(2026, 7, 5)),
        ("renewal_window", date(2026, 6, 5)),
        ("appointment", date(2026, 4, 10)),
    ]:
        assert expected in later
    page = response.content.decode()
    assert "Mes échéances" in page
    assert f"Rappeler Mme {NAME}" in page  # the page shows the typed next step
    assert "Audience" in page
    assert "À surveiller" in page
    row = next(row for row in groups["week"] if row["item"].what == "appointment")
    assert row["item"].attention  # its reminder is due from today
    assert row["item"].at == time(14, 30)
    # The households shown are written to the access log.
    assert (
        AccessLogEntry.objects.filter(
            user=flow.caseworker,
            household_pk__in=[case["household"].pk, codecision.household_id],
            action=AccessAction.LIST,
            path=reverse("agenda"),
        ).count()
        == 2
    )


def test_filters_by_type_household_and_attention(client, flow):
    case = busy_case(flow)
    other = busy_case(flow, household_name="Moreau")
    client.force_login(flow.caseworker)
    url = reverse("agenda")
    with at(TODAY):
        by_type = client.get(url, {"type": [AgendaKind.APPOINTMENT, AgendaKind.NEXT_STEP]})
        by_household = client.get(url, {"menage": case["household"].pk})
        flagged = client.get(url, {"attention": "on"})
        unknown = client.get(url, {"menage": 999999999})

    def items(response):
        return [row["item"] for group in response.context["groups"] for row in group["items"]]

    assert {item.kind for item in items(by_type)} == {"appointment", "next_step"}
    assert len(items(by_type)) == 6  # two cases: two appointments and a next step each
    assert {item.household_id for item in items(by_household)} == {case["household"].pk}
    assert other["household"].reference not in {item.reference for item in items(by_household)}
    assert items(flagged) and all(item.attention for item in items(flagged))
    # An unknown household is a filter error on the page, not someone else's agenda.
    assert unknown.status_code == 200
    assert "Sélectionnez un choix valide" in unknown.content.decode()


def test_only_the_caseload_and_never_another_partners_confidential_next_step(client, flow):
    case = busy_case(flow)
    stranger = user_create(Role.CESF)  # another landlord
    household_create(by=stranger, name="Étrangère")
    with at(TODAY):
        # A confidential note of the landlord's CESF: the association never sees its step.
        services.follow_up_create(
            household=case["household"],
            by=flow.cesf,
            data={
                "happened_on": date(2026, 2, 12),
                "kind": "phone",
                "summary": "Appel confidentiel.",
                "next_step": "Étape confidentielle du bailleur",
                "next_step_on": date(2026, 2, 25),
                "confidential": True,
            },
        )
    mine = agenda(flow.caseworker, TODAY)
    assert {item.household_id for item in mine} == {case["household"].pk}
    # The association's own next step stands: the later note is not one it can see.
    steps = [item for item in mine if item.kind == AgendaKind.NEXT_STEP]
    assert [step.detail for step in steps] == [f"Rappeler Mme {NAME} 🏠 pour le dossier FSL"]
    landlord_steps = [item for item in agenda(flow.cesf, TODAY) if item.kind == "next_step"]
    assert [step.detail for step in landlord_steps] == ["Étape confidentielle du bailleur"]
    assert agenda(stranger, TODAY) == []
    client.force_login(stranger)
    with at(TODAY):
        page = client.get(reverse("agenda")).content.decode()
    assert case["household"].reference not in page


def test_a_next_step_leaves_the_agenda_once_a_later_follow_up_is_logged(flow):
    case = busy_case(flow)
    with at(date(2026, 2, 17)):
        services.follow_up_create(
            household=case["household"],
            by=flow.caseworker,
            measure=case["measure"],
            data={"happened_on": date(2026, 2, 17), "kind": "phone", "summary": "Rappel fait."},
        )
    assert [i for i in agenda(flow.caseworker, TODAY) if i.kind == AgendaKind.NEXT_STEP] == []


def test_a_funder_has_no_agenda(client, db):
    client.force_login(user_create(Role.FUNDER_VIEWER))
    assert client.get(reverse("agenda")).status_code == 403


def page_queries(client, user) -> int:
    client.force_login(user)
    with at(TODAY), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agenda"))
    assert response.status_code == 200
    return len(queries)


def test_the_page_takes_the_same_number_of_queries_at_two_sizes(client, flow):
    add_cases(flow, 1)
    small = page_queries(client, flow.caseworker)
    add_cases(flow, 4)
    large = page_queries(client, flow.caseworker)
    items = agenda(flow.caseworker, TODAY)
    assert len({item.household_id for item in items}) == 10
    assert large == small
    assert small <= 25


def test_the_week_group_runs_to_sunday(client, flow):
    busy_case(flow)
    client.force_login(flow.caseworker)
    with at(date(2026, 2, 21)):  # a Saturday: Sunday the 22nd ends the week
        response = client.get(reverse("agenda"))
    groups = {group["key"]: group["items"] for group in response.context["groups"]}
    assert all(row["item"].on <= date(2026, 2, 22) for row in groups["week"])
    assert all(row["item"].on > date(2026, 2, 22) for row in groups["later"])
    assert "dimanche 22/02" in response.content.decode()
