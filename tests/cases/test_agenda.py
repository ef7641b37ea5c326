"""« Mes échéances »: every dated thing of a caseload, grouped, filtered, flagged exactly as
the daily sweep flags it, in a constant number of queries."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services
from cases.agenda import AgendaKind, agenda
from core import reminders
from households.models import AccessAction, AccessLogEntry
from partners.models import Role
from partners.recipients import Recipients
from tests.factories import household_create, orientation_create, start_measure, user_create

TODAY = date(2026, 2, 16)  # a Monday
NAME = "Dupont-Éléonore"


def at(day: date, hour: int = 10):
    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(hour))), tick=False)


def busy_case(flow, *, household_name: str = "Lefèvre") -> dict:
    """One household with a bit of everything, as of TODAY:

    - action 3 in progress (measure from 5 January), summons on 10 January and a hearing on
      Monday 2 March; the sublease signed on 31 January (review 31 July, landlord's answer
      31 May);
    - a follow-up on 10 February whose next step is due today;
    - an appointment on Wednesday 18 February at 14:30 with a reminder two days before, and
      one on 10 April without a reminder."""
    measure = start_measure(flow, date(2026, 1, 5), kind="sliding_lease_eviction")
    household = measure.action.household
    household.name = household_name
    household.save(update_fields=["name"])
    procedure = household.procedure
    with at(TODAY):
        services.procedure_update(
            procedure=procedure,
            by=flow.cesf,
            data={"summons_on": date(2026, 1, 10), "hearing_on": date(2026, 3, 2)},
            expected_version=procedure.version,
        )
        lease = measure.action.sliding_lease
        services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={"sublease_signed_on": date(2026, 1, 31)},
            expected_version=lease.version,
        )
        follow_up = services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": date(2026, 2, 10),
                "kind": "home_visit",
                "summary": "Visite, budget revu.",
                "next_step": f"Rappeler Mme {NAME} 🏠 pour le dossier FSL",
                "next_step_on": TODAY,
            },
        )
        soon = services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={
                "kind": "home_visit",
                "on": date(2026, 2, 18),
                "at": time(14, 30),
                "duration_minutes": 90,
                "place": f"Chez Mme {NAME}, 3 rue des Lilas",
                "notes": "Point sur le budget",
                "reminder_days_before": 2,
            },
            participants=[flow.caseworker],
        )
        later = services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={"kind": "office", "on": date(2026, 4, 10)},
        )
    return {
        "household": household,
        "measure": measure,
        "follow_up": follow_up,
        "soon": soon,
        "later": later,
    }


def waiting_codecision(flow):
    """A co-decision opened on 2 February that neither side answered."""
    with at(date(2026, 2, 2)):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    return orientation.action.codecisions.get()


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


def add_cases(flow, count: int) -> None:
    for number in range(count):
        busy_case(flow, household_name=f"Ménage {number}")
        waiting_codecision(flow)


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
