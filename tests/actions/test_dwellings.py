"""The register of the dwellings each association holds (action 4): read only by that
association and the coordination, kept by the association's caseworkers and manager."""

import pytest
from django.urls import reverse

from actions.models import Dwelling
from tests.demo_access import USERS
from tests.helpers import page_text

# Addresses of the demo register (logement_toujours/demo/workflow.py, DWELLINGS), by holder.
OISEAU_BLEU = {"3 place Notre-Dame", "18 avenue Jean Jaurès"}
OZANAM = {"7 rue de la Liberté"}
ULISSE = {"22 cours Berriat"}
READS = {
    "coordinator.lt": OISEAU_BLEU | OZANAM | ULISSE,
    "caseworker.oiseaubleu": OISEAU_BLEU,
    "manager.oiseaubleu": OISEAU_BLEU,
    "caseworker.ozanam": OZANAM,
    "manager.ozanam": OZANAM,
    "caseworker.ulisse": ULISSE,
    "manager.ulisse": ULISSE,
}
KEEPS = set(READS) - {"coordinator.lt"}


@pytest.mark.parametrize("username", USERS)
def test_who_reads_and_keeps_the_register(client, demo, username):
    client.force_login(demo[username])
    response = client.get(reverse("actions:dwelling_list"))
    if username not in READS:
        assert response.status_code == 403
        assert "Notre-Dame" not in page_text(response)
    else:
        page = page_text(response)
        every = OISEAU_BLEU | OZANAM | ULISSE
        assert {a for a in every if a in page} == READS[username]
    notre_dame = Dwelling.objects.get(address="3 place Notre-Dame")
    edit = client.post(
        reverse("actions:dwelling_edit", args=[notre_dame.pk]),
        {
            "address": "3 place Notre-Dame",
            "postcode": "38000",
            "city": "Grenoble",
            "landlord": notre_dame.landlord_id,
            "dwelling_type": "t3",
            "version": notre_dame.version,
        },
    )
    created = client.post(
        reverse("actions:dwelling_create"),
        {
            "address": "5 rue « Neuve » 🏠",
            "landlord": notre_dame.landlord_id,
            "dwelling_type": "t1",
        },
    )
    expected_edit = (
        302
        if username in {"caseworker.oiseaubleu", "manager.oiseaubleu"}
        else 404
        if username in KEEPS
        else 403
    )
    assert (edit.status_code, created.status_code) == (
        expected_edit,
        302 if username in KEEPS else 403,
    )
    if username in KEEPS:
        new = Dwelling.objects.get(address="5 rue « Neuve » 🏠")
        assert new.association == demo[username].partner


def test_the_register_shows_who_occupies_each_dwelling(client, demo):
    from households.models import Household

    diallo = Household.objects.get(name="Diallo")
    client.force_login(demo["caseworker.oiseaubleu"])
    page = client.get(reverse("actions:dwelling_list")).content.decode()
    assert f">{diallo.reference}</a>" in page and "occupé par" in page
    assert "libre" in page


def test_a_missing_address_is_refused_in_french(client, demo):
    client.force_login(demo["caseworker.ozanam"])
    response = client.post(reverse("actions:dwelling_create"), {"dwelling_type": "t1"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in page_text(response)
