"""Appointments through the API: the same services and checks as the household page, 400
with French field errors, nothing saved on bad input, constant queries."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from actions import services
from actions.models import Appointment, AppointmentStatus
from tests.factories import household_create, start_measure, user_create
from tests.helpers import TODAY, api_for, at

PLACE = "Chez Mme Lefèvre-Nguyễn 🏠, bâtiment « Les Érables »"


def soon(days: int = 3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_plan_change_and_cancel_an_appointment_through_the_api(flow):
    household = household_create(by=flow.cesf)
    api = api_for(flow.cesf)
    response = api.post(
        "/api/appointments/",
        {
            "household": household.pk,
            "kind": "home_visit",
            "on": soon(),
            "at": "14:30",
            "duration_minutes": 90,
            "place": PLACE,
            "notes": "Point budget — dossier FSL ✨",
            "reminder_days_before": 1,
            "participants": [flow.cesf.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "planned" and body["place"] == PLACE
    assert body["participants"] == [flow.cesf.pk] and body["version"] == 1
    appointment = Appointment.objects.get(pk=body["id"])
    assert appointment.created_by == flow.cesf and appointment.at == time(14, 30)

    listed = api.get("/api/appointments/", {"household": household.pk}).json()
    assert [row["id"] for row in listed["results"]] == [appointment.pk]
    assert api.get("/api/appointments/", {"status": "cancelled"}).json()["count"] == 0

    url = f"/api/appointments/{appointment.pk}/"
    response = api.patch(url, {"place": "Agence de Vif"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    response = api.patch(url, {"place": "Agence de Vif", "version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["place"] == "Agence de Vif" and response.json()["version"] == 2
    # The participants stay when the change does not name them.
    assert response.json()["participants"] == [flow.cesf.pk]
    # A second change made on the version read before: refused, nothing lost.
    stale = api.patch(url, {"place": "Ailleurs", "version": 1}, format="json")
    assert stale.status_code == 400
    assert "modifiée par quelqu'un d'autre" in str(stale.json())
    assert Appointment.objects.get(pk=appointment.pk).place == "Agence de Vif"

    response = api.post(
        f"{url}cancel/", {"version": 2, "reason": "Le ménage est hospitalisé 🏥"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.json()["status"] == "cancelled"
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CANCELLED
    again = api.patch(url, {"place": "Vif", "version": 3}, format="json")
    assert again.status_code == 400 and "plus modifiable" in str(again.json())


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"on": "2031-01-01"}, "on", "plausible"),
        ({"on": "31/02/2026"}, "on", "date"),
        ({"kind": "dinner"}, "kind", "valide"),
        ({"notes": "é" * 10_001}, "notes", "10"),
        ({"place": "x" * 201}, "place", "200"),
        ({"duration_minutes": 5000}, "duration_minutes", "1440"),
        ({"reminder_days_before": 3}, "reminder_days_before", "valide"),
        ({"at": "25:00"}, "at", "heure"),
    ],
)
def test_bad_input_is_a_400_with_french_field_errors_and_nothing_saved(flow, data, field, message):
    household = household_create(by=flow.cesf)
    body = {"household": household.pk, "kind": "office", "on": soon(), **data}
    response = api_for(flow.cesf).post("/api/appointments/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert message.lower() in str(errors[field]).lower()
    assert not Appointment.objects.filter(household=household).exists()


def test_a_participant_who_does_not_see_the_household_is_a_field_error(flow, other_association):
    household = household_create(by=flow.cesf)
    stranger = user_create("caseworker", partner=other_association)
    response = api_for(flow.cesf).post(
        "/api/appointments/",
        {"household": household.pk, "kind": "phone", "on": soon(), "participants": [stranger.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "ne voit pas ce dossier" in str(response.json()["participants"])
    assert not Appointment.objects.filter(household=household).exists()


def test_appointments_of_households_out_of_sight_are_not_found(flow, other_association):
    household = household_create(by=flow.cesf)
    appointment = services.appointment_save(
        household=household, by=flow.cesf, data={"kind": "office", "on": date.today()}
    )
    outsider = api_for(user_create("caseworker", partner=other_association))
    assert outsider.get("/api/appointments/").json()["count"] == 0
    assert outsider.get(f"/api/appointments/{appointment.pk}/").status_code == 404
    response = outsider.post(
        "/api/appointments/", {"household": household.pk, "kind": "office", "on": soon()}
    )
    assert response.status_code == 404
    assert outsider.get("/api/appointments/99999999999999999999/").status_code == 404


def test_the_appointments_are_in_the_schema(client, flow):
    client.force_login(flow.cesf)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/appointments/"])
    assert {"get", "patch", "put"} <= set(schema["paths"]["/api/appointments/{id}/"])
    cancel = schema["paths"]["/api/appointments/{id}/cancel/"]["post"]
    assert {"200", "400", "403", "404"} <= set(cancel["responses"])


def test_the_list_takes_the_same_number_of_queries_at_two_sizes(
    flow, django_assert_max_num_queries, django_assert_num_queries
):
    api = api_for(flow.cesf)

    def grow():
        household = household_create(by=flow.cesf)
        services.appointment_save(
            household=household,
            by=flow.cesf,
            data={"kind": "office", "on": date.today()},
            participants=[flow.cesf],
        )

    grow()
    api.get("/api/appointments/")
    with django_assert_max_num_queries(12) as first:
        assert api.get("/api/appointments/").status_code == 200
    for _ in range(4):
        grow()
    with django_assert_num_queries(len(first.captured_queries)):
        assert api.get("/api/appointments/").json()["count"] == 5


def test_held_through_the_api_becomes_a_follow_up_as_on_the_page(flow):
    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    with at(TODAY):
        appointment = services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={"kind": "office", "on": TODAY, "duration_minutes": 45, "notes": "Budget"},
        )
        url = f"/api/appointments/{appointment.pk}/held/"
        assert api_for(flow.cesf).post(url, {"version": 1}, format="json").status_code == 200
    appointment.refresh_from_db()
    follow_up = appointment.follow_up
    assert appointment.status == AppointmentStatus.HELD
    # As the page: the household's one measure in progress, the appointment's day and kind.
    assert follow_up.measure == measure and follow_up.author == flow.cesf
    assert (follow_up.happened_on, follow_up.kind, follow_up.summary) == (TODAY, "office", "Budget")


@pytest.mark.parametrize(
    ("state", "body", "field", "message"),
    [
        ("held", {}, "status", "déjà tenu"),
        ("cancelled", {}, "status", "déjà annulé"),
        ("future", {}, "on", "il sera noté comme tenu à partir de ce jour"),
        ("planned", {"version": 7}, "non_field_errors", "modifiée par quelqu'un d'autre"),
        ("planned", {"version": None}, "version", "nul"),
        ("planned", {"summary": ""}, "summary", "Résumez ce qui s'est dit"),
        ("planned", {"summary": "Vu.", "happened_on": "2026-02-20"}, "happened_on", "futur"),
        ("planned", {"summary": "Vu.", "kind": "séance"}, "kind", "choix valide"),
        ("planned", {"summary": "Vu.", "measure": 99999}, "measure", "Introuvable pour ce ménage"),
        (
            "planned",
            {"summary": "Vu.", "next_step_on": "2026-03-02"},
            "next_step",
            "Décrivez la prochaine étape",
        ),
    ],
)
def test_held_on_a_bad_state_or_bad_input_is_a_400_in_french(flow, state, body, field, message):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        on = TODAY + timedelta(days=2) if state == "future" else TODAY
        appointment = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "phone", "on": on}
        )
        if state == "cancelled":
            services.appointment_cancel(appointment=appointment, by=flow.cesf)
        if state == "held":
            services.appointment_hold(appointment=appointment, by=flow.cesf, data={"summary": "x"})
        version = Appointment.objects.get(pk=appointment.pk).version
        response = api_for(flow.cesf).post(
            f"/api/appointments/{appointment.pk}/held/",
            {"version": version, **body},
            format="json",
        )
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors and message in str(errors[field])
    if state == "planned":
        assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.PLANNED
        assert not household.follow_ups.exists()
