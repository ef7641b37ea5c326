"""Appointments in the case: their history on the household page (planned, changed,
cancelled with its reason, held) and in the PDF summary (kind, date, time and state, never
the place nor the subject); a dated next step shows its date in the summary."""

from datetime import date, time, timedelta

from django.urls import reverse

from actions import services
from cases.history import case_history
from tests.factories import household_create
from tests.helpers import pdf_text, summary_pdf

PLACE = "Chez Mme Lefèvre-Nguyễn 🏠, 3 rue des Lilas"


def plan(household, by, on, **data):
    return services.appointment_save(
        household=household, by=by, data={"kind": "home_visit", "on": on, **data}
    )


def test_the_history_tells_each_appointment_planned_changed_and_cancelled(client, flow):
    household = household_create(by=flow.cesf)
    today = date.today()
    appointment = plan(household, flow.cesf, today + timedelta(days=3), at=time(14, 30))
    appointment = services.appointment_save(
        household=household,
        by=flow.cesf,
        data={"on": today + timedelta(days=4), "place": PLACE},
        appointment=appointment,
        expected_version=appointment.version,
    )
    services.appointment_cancel(
        appointment=appointment,
        by=flow.cesf,
        expected_version=appointment.version,
        reason="Le ménage est hospitalisé 🏥",
    )
    events = [e for e in case_history(household, flow.cesf) if e.subject.startswith("Rendez-vous")]
    assert [e.what for e in events] == ["modification", "modification", "création"]
    subject = f"Rendez-vous (visite à domicile) du {today + timedelta(days=4):%d/%m/%Y} à 14:30"
    cancelled, changed, planned = events
    assert cancelled.subject == subject
    assert cancelled.reason == "Le ménage est hospitalisé 🏥"
    assert ("état", "Prévu", "Annulé") in cancelled.changes
    assert (
        "date",
        f"{today + timedelta(days=3):%d/%m/%Y}",
        f"{today + timedelta(days=4):%d/%m/%Y}",
    ) in changed.changes
    assert planned.reason == "Rendez-vous prévu" and planned.who == str(flow.cesf)
    client.force_login(flow.cesf)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Rendez-vous (visite à domicile)" in page
    assert "Le ménage est hospitalisé 🏥" in page


def test_the_summary_lists_appointments_to_come_and_held_never_their_place(client, flow):
    household = household_create(by=flow.cesf, name="Rendez-vous")
    today = date.today()
    coming = plan(
        household,
        flow.cesf,
        today + timedelta(days=5),
        at=time(9, 15),
        place=PLACE,
        notes="Parler de la dette de loyer",
    )
    held = plan(household, flow.cesf, today, kind="office")
    services.follow_up_create(
        household=household,
        by=flow.cesf,
        data={
            "happened_on": today,
            "kind": "office",
            "summary": "Entretien tenu.",
            "next_step": "Relancer la CAF",
            "next_step_on": today + timedelta(days=10),
        },
        appointment=held,
    )
    cancelled = plan(household, flow.cesf, today + timedelta(days=6), kind="phone")
    services.appointment_cancel(appointment=cancelled, by=flow.cesf)
    _, text = pdf_text(summary_pdf(client, flow.cesf, household))
    assert "Rendez-vous (2)" in text
    assert f"{coming.on:%d/%m/%Y} à 09:15 — Visite à domicile (prévu)" in text
    assert f"{today:%d/%m/%Y} — Entretien au bureau (tenu)" in text
    assert "Entretien téléphonique" not in text
    assert "Lilas" not in text and "dette de loyer" not in text
    assert (
        f"Prochaine étape (pour le {today + timedelta(days=10):%d/%m/%Y}) : Relancer la CAF" in text
    )
