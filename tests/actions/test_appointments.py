"""Appointments with a household: planned, changed, cancelled from the household's page; held,
they become a follow-up in one click; their reminder goes out once through the sweep. A
follow-up's next step may carry a date."""

from datetime import date, time

import pytest
from django.urls import reverse

from actions import services
from actions.models import Appointment, AppointmentStatus, FollowUp
from core.errors import DomainError
from notifications.models import Notification
from notifications.sweep import sweep
from partners.models import Role
from tests.factories import household_create, start_measure, user_create
from tests.helpers import TODAY, at

PLACE = "Chez Mme Lefèvre-Nguyễn 🏠, bâtiment « Les Érables »"


def plan(client, household, **data):
    fields = {
        "kind": "home_visit",
        "on": "2026-02-18",
        "at": "14:30",
        "duration_minutes": "60",
        "place": PLACE,
        "notes": "Point budget — préparer le dossier FSL ✨",
        "reminder_days_before": "1",
        **data,
    }
    with at(TODAY):
        return client.post(reverse("actions:appointment_create", args=[household.pk]), fields)


def test_plan_an_appointment_from_the_household_page(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    with at(TODAY):
        page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Prévoir un rendez-vous" in page
    response = plan(client, household, participants=[flow.cesf.pk])
    assert response.status_code == 302
    appointment = Appointment.objects.get(household=household)
    assert (appointment.on, appointment.at, appointment.place) == (
        date(2026, 2, 18),
        time(14, 30),
        PLACE,
    )
    assert list(appointment.participants.all()) == [flow.cesf]
    assert appointment.status == AppointmentStatus.PLANNED
    assert appointment.history.first().history_change_reason == "Rendez-vous prévu"
    with at(TODAY):
        page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Lefèvre-Nguyễn 🏠" in page
    assert "18/02/2026 à 14:30" in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"on": "2099-01-01"}, "on", "n'est pas plausible"),
        ({"on": ""}, "on", "obligatoire"),
        ({"place": "x" * 201}, "place", "200 caractères"),
        ({"notes": "é" * 10_001}, "notes", "10"),
        ({"duration_minutes": "0"}, "duration_minutes", "supérieure ou égale à 1"),
        ({"reminder_days_before": "3"}, "reminder_days_before", "choix valide"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(client, flow, data, field, message):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    response = plan(client, household, **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Appointment.objects.filter(household=household).exists()


def test_a_participant_who_does_not_see_the_household_is_refused(client, flow):
    household = household_create(by=flow.cesf)
    outsider = user_create(Role.CASEWORKER)
    with at(TODAY), pytest.raises(DomainError, match="ne voit pas ce dossier"):
        services.appointment_save(
            household=household,
            by=flow.cesf,
            data={"kind": "office", "on": date(2026, 3, 1)},
            participants=[outsider],
        )
    client.force_login(flow.cesf)
    response = plan(client, household, participants=[outsider.pk])
    assert response.status_code == 200  # not among the choices
    assert not Appointment.objects.filter(household=household).exists()


def test_two_people_changing_the_same_appointment(client, flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        appointment = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "phone", "on": date(2026, 2, 20)}
        )
    url = reverse("actions:appointment_edit", args=[household.pk, appointment.pk])
    client.force_login(flow.cesf)
    fields = {"kind": "phone", "on": "2026-02-21", "version": appointment.version}
    with at(TODAY):
        assert client.post(url, fields).status_code == 302
        stale = client.post(url, {**fields, "on": "2026-02-25"})
    assert "modifiée par quelqu'un d'autre" in " ".join(stale.context["form"].non_field_errors())
    appointment.refresh_from_db()
    assert appointment.on == date(2026, 2, 21)


def test_cancel_an_appointment(client, flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        appointment = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "office", "on": date(2026, 2, 20)}
        )
    client.force_login(flow.cesf)
    url = reverse("actions:appointment_cancel", args=[household.pk, appointment.pk])
    with at(TODAY):
        client.post(url, {"reason": "Le ménage a demandé un report 🙏", "version": 1})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.history.first().history_change_reason == "Le ménage a demandé un report 🙏"
    with at(TODAY):
        again = client.post(url, {"version": appointment.version}, follow=True)
    assert "déjà annulé" in again.content.decode()


def test_held_becomes_a_follow_up_of_the_measure_in_one_click(client, flow):
    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    with at(TODAY):
        appointment = services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={"kind": "office", "on": TODAY, "duration_minutes": 45, "notes": "Budget"},
        )
    client.force_login(flow.caseworker)
    with at(TODAY):
        page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
        held_url = reverse("actions:follow_up_create", args=[household.pk])
        assert f"{held_url}?rendez_vous={appointment.pk}" in page
        form = client.get(held_url, {"rendez_vous": appointment.pk})
        initial = {name: form.context["form"][name].value() for name in ("happened_on", "kind")}
        assert initial == {"happened_on": TODAY, "kind": "office"}
        assert form.context["measure"] == measure
        response = client.post(
            held_url,
            {
                "rendez_vous": appointment.pk,
                "mesure": measure.pk,
                "happened_on": "2026-02-16",
                "kind": "office",
                "duration_minutes": "45",
                "summary": "Entretien tenu : budget revu.",
                "next_step": "Envoyer le dossier FSL",
                "next_step_on": "2026-03-02",
            },
        )
    assert response.status_code == 302
    appointment.refresh_from_db()
    follow_up = FollowUp.objects.get(household=household)
    assert appointment.status == AppointmentStatus.HELD
    assert appointment.follow_up == follow_up
    assert follow_up.measure == measure
    assert follow_up.next_step_on == date(2026, 3, 2)


def test_held_before_any_measure_is_a_household_visit(client, flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        appointment = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "home_visit", "on": TODAY}
        )
        client.force_login(flow.cesf)
        url = reverse("actions:follow_up_create", args=[household.pk])
        client.post(
            url,
            {
                "rendez_vous": appointment.pk,
                "happened_on": "2026-02-16",
                "kind": "home_visit",
                "summary": "Première visite.",
            },
        )
    follow_up = FollowUp.objects.get(household=household)
    assert follow_up.measure is None
    assert Appointment.objects.get(household=household).follow_up == follow_up


def test_an_appointment_to_come_cannot_be_held_yet_nor_twice(client, flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        future = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "phone", "on": date(2026, 2, 20)}
        )
        client.force_login(flow.cesf)
        url = reverse("actions:follow_up_create", args=[household.pk])
        response = client.get(url, {"rendez_vous": future.pk}, follow=True)
    assert "il sera noté comme tenu à partir de ce jour" in response.content.decode()
    with at(date(2026, 2, 20)):
        client.force_login(flow.cesf)
        data = {"happened_on": "2026-02-20", "kind": "phone", "summary": "Appel."}
        client.post(url, {"rendez_vous": future.pk, **data})
        again = client.post(url, {"rendez_vous": future.pk, **data}, follow=True)
    assert "déjà tenu" in again.content.decode()
    assert FollowUp.objects.filter(household=household).count() == 1


def test_an_appointment_of_another_household_is_not_found(client, flow):
    mine = household_create(by=flow.cesf)
    other = household_create(by=flow.cesf, name="Autre")
    with at(TODAY):
        appointment = services.appointment_save(
            household=other, by=flow.cesf, data={"kind": "phone", "on": TODAY}
        )
        client.force_login(flow.cesf)
        url = reverse("actions:follow_up_create", args=[mine.pk])
        assert client.get(url, {"rendez_vous": appointment.pk}).status_code == 404
        edit = reverse("actions:appointment_edit", args=[mine.pk, appointment.pk])
        assert client.get(edit).status_code == 404


def test_only_social_workers_and_coordinators_plan(client, flow):
    household = household_create(by=flow.cesf)
    url = reverse("actions:appointment_create", args=[household.pk])
    manager = user_create(Role.MANAGER, partner=flow.landlord)
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(flow.coordinator)
    assert client.get(url).status_code == 200
    client.force_login(user_create(Role.CESF))
    assert client.get(url).status_code == 404


def test_the_reminder_goes_out_once_to_the_participants(flow):
    household = household_create(by=flow.cesf)
    colleague = user_create(Role.CESF, partner=flow.landlord)
    with at(TODAY):
        services.appointment_save(
            household=household,
            by=flow.cesf,
            data={
                "kind": "hearing",
                "on": date(2026, 2, 20),
                "at": time(9, 0),
                "reminder_days_before": 2,
            },
            participants=[colleague],
        )
    for day in (date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19), date(2026, 2, 20)):
        sweep(day)
    [notice] = Notification.objects.filter(kind="appointment")
    assert notice.recipient == colleague
    assert notice.text == f"{household.reference} : rendez-vous (audience) le 20/02/2026 à 09:00."
    assert household.name not in notice.text


def test_a_cancelled_appointment_is_not_reminded(flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        appointment = services.appointment_save(
            household=household,
            by=flow.cesf,
            data={"kind": "office", "on": date(2026, 2, 17), "reminder_days_before": 1},
        )
        services.appointment_cancel(appointment=appointment, by=flow.cesf)
    sweep(TODAY)
    assert not Notification.objects.filter(kind="appointment").exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"next_step_on": "2026-02-10"}, "next_step_on", "datez-la du 16/02/2026 ou après"),
        ({"next_step": "", "next_step_on": "2026-03-01"}, "next_step", "Décrivez"),
        ({"next_step_on": "2031-01-01"}, "next_step_on", "n'est pas plausible"),
    ],
)
def test_a_dated_next_step_is_checked(client, flow, data, field, message):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    fields = {
        "happened_on": "2026-02-16",
        "kind": "phone",
        "summary": "Appel.",
        "next_step": "Relancer la CAF",
        **data,
    }
    with at(TODAY):
        response = client.post(reverse("actions:follow_up_create", args=[household.pk]), fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not FollowUp.objects.filter(household=household).exists()


def test_a_dated_next_step_is_reminded_once_the_day_before_to_author_and_referent(flow):
    """The sweep reminds a dated next step once, REMINDER_NEXT_STEP_DAYS before its date,
    to the follow-up's author and the measure's referent, without the typed step; the
    agenda flags it on the same days (FollowUpQuerySet.with_next_step_due)."""
    from cases.agenda import agenda

    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    with at(TODAY):
        follow_up = services.follow_up_create(
            household=household,
            by=flow.cesf,
            measure=measure,
            data={
                "happened_on": TODAY,
                "kind": "phone",
                "summary": "Appel.",
                "next_step": "Rappeler Mme Lefèvre-Nguyễn 🏠",
                "next_step_on": date(2026, 2, 20),
            },
        )

    def flagged(day):
        return next(
            item
            for item in agenda(flow.coordinator, day)
            if item.object_type == "follow_up" and item.object_id == follow_up.pk
        ).attention

    assert not flagged(date(2026, 2, 18))
    sweep(date(2026, 2, 18))
    assert not Notification.objects.filter(kind="next_step").exists()
    for day in (date(2026, 2, 19), date(2026, 2, 20)):
        assert flagged(day)
        sweep(day)
    notices = Notification.objects.filter(kind="next_step")
    assert {n.recipient for n in notices} == {flow.cesf, measure.referent}
    assert len(notices) == 2  # once each, though two sweeps found it due
    text = notices[0].text
    assert text == (
        f"{household.reference} : prochaine étape (suivi du 16/02/2026) prévue le 20/02/2026."
    )
    assert "Lefèvre" not in text
    sweep(date(2026, 2, 21))
    assert not flagged(date(2026, 2, 21))
    assert Notification.objects.filter(kind="next_step").count() == 2


def test_a_next_step_followed_by_a_later_follow_up_is_not_reminded(flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        for happened_on, step_on in ((date(2026, 2, 10), date(2026, 2, 17)), (TODAY, None)):
            services.follow_up_create(
                household=household,
                by=flow.cesf,
                data={
                    "happened_on": happened_on,
                    "kind": "phone",
                    "summary": "Appel.",
                    "next_step": "Relancer la CAF",
                    "next_step_on": step_on,
                },
            )
    sweep(date(2026, 2, 17))
    assert not Notification.objects.filter(kind="next_step").exists()


def test_the_demo_has_appointments_and_its_first_sweep_reminds_none(demo):
    from django.utils import timezone

    from cases.agenda import agenda

    planned = Appointment.objects.filter(status=AppointmentStatus.PLANNED)
    assert planned.count() == 4
    assert Appointment.objects.filter(status=AppointmentStatus.CANCELLED).count() == 1
    mine = [item for item in agenda(demo["caseworker.oiseaubleu"]) if item.kind == "appointment"]
    assert [item.label for item in mine] == [
        "Rendez-vous : entretien au bureau (à noter comme tenu ou à annuler)",
        "Rendez-vous : visite à domicile",
    ]
    sweep(timezone.localdate())
    assert not Notification.objects.filter(kind__in=["appointment", "next_step"]).exists()


def test_holding_takes_what_the_appointment_says_unless_told_otherwise(flow):
    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    with at(TODAY):
        appointment = services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={"kind": "hearing", "on": TODAY, "duration_minutes": 120, "notes": "Audience"},
        )
        follow_up = services.appointment_hold(
            appointment=appointment, by=flow.caseworker, data={}, measure=measure
        )
    assert (follow_up.happened_on, follow_up.kind) == (TODAY, "accompaniment")
    assert (follow_up.duration_minutes, follow_up.summary) == (120, "Audience")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD and appointment.follow_up == follow_up


def test_holding_refuses_a_stale_version_a_blank_summary_and_every_state_but_planned(flow):
    household = household_create(by=flow.cesf)
    with at(TODAY):
        silent = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "phone", "on": TODAY}
        )
        with pytest.raises(DomainError) as blank:
            services.appointment_hold(appointment=silent, by=flow.cesf, data={})
        assert blank.value.field == "summary"
        with pytest.raises(DomainError, match="modifiée par quelqu'un d'autre"):
            services.appointment_hold(
                appointment=silent, by=flow.cesf, data={"summary": "Appel."}, expected_version=9
            )
        cancelled = services.appointment_save(
            household=household, by=flow.cesf, data={"kind": "office", "on": TODAY}
        )
        services.appointment_cancel(appointment=cancelled, by=flow.cesf)
        with pytest.raises(DomainError, match="déjà annulé") as refused:
            services.appointment_hold(appointment=cancelled, by=flow.cesf, data={"summary": "x"})
        assert refused.value.field == "status"
    assert not FollowUp.objects.filter(household=household).exists()
