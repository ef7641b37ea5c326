"""The committee minutes as a PDF: coordinators and the partners represented, each household
examined logged."""

import pytest
from django.urls import reverse

from codecision.models import CommitteeSession
from households.models import AccessLogEntry
from tests.demo_access import READS_DEMO_MINUTES, USERS
from tests.helpers import pdf_text


def test_committee_minutes(client, demo):
    session = CommitteeSession.objects.get()
    client.force_login(demo["coordinator.lt"])
    lefevre = session.codecisions.get(household__name="Lefèvre")  # in disagreement
    response = client.post(
        reverse("codecision:session_sign_off", args=[session.pk]), {"notes": "Relevé."}
    )
    assert response.status_code == 400
    assert "ajournez-les explicitement" in response.content.decode()
    examined = {c.household_id for c in session.codecisions.all()}
    client.post(
        reverse("codecision:session_sign_off", args=[session.pk]),
        {"notes": "Relevé.", "adjourned": [lefevre.pk]},
    )
    response = client.get(reverse("codecision:minutes_pdf", args=[session.pk]))
    _, text = pdf_text(response)
    assert f"{session.held_on:%d/%m/%Y}" in text
    assert "Lefèvre" in text and "Garcia" in text
    assert "Opac38 : Approuve" in text and "Ulisse Energie : Refuse" in text
    assert "L'Oiseau Bleu : Demande l'ajournement" in text and "Ajournée" in text
    assert "validé par" in text
    assert "Ajournée à un prochain comité" in text
    logged = AccessLogEntry.objects.filter(
        user=demo["coordinator.lt"], action="export", household__in=examined
    )
    assert {entry.household_id for entry in logged} == examined


@pytest.mark.parametrize("username", USERS)
def test_access_matrix_of_the_committee_minutes(client, demo, username):
    session = CommitteeSession.objects.get()
    client.force_login(demo[username])
    response = client.get(reverse("codecision:minutes_pdf", args=[session.pk]))
    assert response.status_code == (200 if username in READS_DEMO_MINUTES else 403)
