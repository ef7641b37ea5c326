"""A change through the API says which version it read: without it, a 400 on `version` in
French, and nothing saved, so that no change overwrites a colleague's unseen."""

import pytest

from actions.models import Appointment
from households.models import Household
from tests.factories import AppointmentFactory, household_create
from tests.helpers import api_for

pytestmark = pytest.mark.django_db


def test_a_household_changed_without_its_version_is_refused_and_kept(cesf):
    household = household_create(by=cesf, name="Lefèvre")
    answer = api_for(cesf).patch(
        f"/api/households/{household.pk}/", {"name": "Lefèvre-Nguyen"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["version"] == [
        "Indiquez la version lue du dossier : une modification ne doit pas en écraser une autre."
    ]
    assert Household.objects.get(pk=household.pk).name == "Lefèvre"


def test_an_appointment_changed_without_its_version_is_refused_and_kept():
    appointment = AppointmentFactory(place="Permanence de Fontaine")
    answer = api_for(appointment.created_by).patch(
        f"/api/appointments/{appointment.pk}/", {"place": "Au domicile"}, format="json"
    )
    assert answer.status_code == 400
    assert "Indiquez la version lue du rendez-vous" in answer.json()["version"][0]
    assert Appointment.objects.get(pk=appointment.pk).place == "Permanence de Fontaine"
