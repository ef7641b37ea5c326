"""A household's request for its data: recorded (who asked, when, on what basis) before any
export, listed in the case history, and the only way out for other partners' confidential
notes."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import SubjectAccessRequest
from core.dates import add_months
from core.errors import DomainError
from households.models import AccessLogEntry, Household
from tests.demo_access import USERS
from tests.helpers import exported_data


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def nguyen(demo) -> Household:
    return Household.objects.get(name="Nguyen")


def request_data(**overrides) -> dict:
    return {
        "requester": "Mme Thi Lan Nguyen « la titulaire » 🙂",
        "basis": "household",
        "received_on": timezone.localdate().isoformat(),
        "basis_detail": "Carte d'identité présentée à l'accueil, sans en recopier le numéro.",
        **overrides,
    }


def test_the_data_export_is_produced_only_from_a_recorded_request(client, demo, nguyen):
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    page = text(client.get(reverse("households:detail", args=[nguyen.pk])))
    assert "Enregistrer une demande d'accès" in page
    assert "Aucune demande." in page and "donnees" not in page
    # The export that needed no request is gone.
    assert client.get(f"/menages/{nguyen.pk}/donnees.json").status_code == 404

    form = reverse("households:access_request_create", args=[nguyen.pk])
    assert client.get(form).status_code == 200
    response = client.post(form, request_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("households:detail", args=[nguyen.pk])
    page = text(response)
    assert "La demande d'accès est enregistrée" in page
    access_request = SubjectAccessRequest.objects.get(household=nguyen)
    assert access_request.recorded_by == coordinator
    assert access_request.requester == "Mme Thi Lan Nguyen « la titulaire » 🙂"
    assert access_request.answer_by == add_months(timezone.localdate(), 1)
    assert f"avant le {access_request.answer_by:%d/%m/%Y}" in page
    # The request is in the case history, which every partner of the case reads.
    client.force_login(demo["cesf.opac38"])
    history = text(client.get(reverse("households:detail", args=[nguyen.pk])))
    assert "Demande d'accès du ménage (Mme Thi Lan Nguyen « la titulaire » 🙂" in history
    assert "Exporter toutes les données" not in history

    client.force_login(coordinator)
    url = reverse("households:subject_access", args=[nguyen.pk, access_request.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'{nguyen.reference}-donnees-{access_request.pk}.zip"'
    )
    data = exported_data(response)
    assert data["ménage"] == nguyen.reference
    assert data["demande"]["demandeur"] == access_request.requester
    assert data["demande"]["au titre de"].startswith("Le ménage lui-même")
    sections = data["données"]
    assert {m["first_name"] for m in sections["membres du ménage"]} == set(
        nguyen.members.values_list("first_name", flat=True)
    )
    summaries = " ".join(f["summary"] for f in sections["suivis"])
    assert "Situation familiale difficile" in summaries  # other partners' confidential notes
    assert sections["diagnostics"] and sections["minorations de loyer"]
    assert sections["ménages : historique"][0]["type"] == "création"
    assert sections["demandes d'accès du ménage"][0]["requester"] == access_request.requester
    assert AccessLogEntry.objects.filter(
        user=coordinator, household=nguyen, action="export", path=url
    ).exists()
    access_request.refresh_from_db()
    assert access_request.exported_by == coordinator and access_request.exported_at
    page = text(client.get(reverse("households:detail", args=[nguyen.pk])))
    assert "Données exportées pour répondre à la demande" in page
    assert f"par {coordinator}" in page


def test_a_request_exports_only_its_own_household(client, demo, nguyen):
    coordinator = demo["coordinator.lt"]
    martin = Household.objects.get(name="Martin")
    access_request = services.subject_access_request_create(
        household=martin,
        by=coordinator,
        requester="M. Martin",
        basis="representative",
        received_on=timezone.localdate(),
    )
    client.force_login(coordinator)
    wrong = reverse("households:subject_access", args=[nguyen.pk, access_request.pk])
    assert client.get(wrong).status_code == 404
    access_request.refresh_from_db()
    assert access_request.exported_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"requester": ""}, "requester", "Ce champ est obligatoire."),
        ({"requester": "   "}, "requester", "Ce champ est obligatoire."),
        ({"requester": "N" * 121}, "requester", "au plus 120 caractères"),
        ({"basis": ""}, "basis", "Ce champ est obligatoire."),
        ({"basis": "judge"}, "basis", "Sélectionnez un choix valide."),
        ({"received_on": "9999-12-31"}, "received_on", "ne peut pas être dans le futur"),
        ({"received_on": "1901-01-01"}, "received_on", "ne peut pas précéder l'ouverture"),
        ({"received_on": "31/02/2026"}, "received_on", "Saisissez une date valide."),
    ],
)
def test_a_request_form_says_what_is_wrong_and_keeps_what_was_typed(
    client, demo, nguyen, overrides, field, message
):
    client.force_login(demo["coordinator.lt"])
    data = request_data(**overrides)
    response = client.post(reverse("households:access_request_create", args=[nguyen.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Carte d'identité présentée à l'accueil" in text(response)
    assert not SubjectAccessRequest.objects.filter(household=nguyen).exists()


def test_the_service_refuses_a_request_without_requester_or_dated_wrong(flow):
    from tests.factories import household_create

    household = household_create(by=flow.cesf)
    today = timezone.localdate()
    cases = [
        ({"requester": " "}, "requester"),
        ({"basis": "police"}, "basis"),
        ({"received_on": today + timedelta(days=1)}, "received_on"),
        ({"received_on": date(1901, 1, 1)}, "received_on"),
    ]
    for overrides, field in cases:
        data = {
            "requester": "M. Durand",
            "basis": "household",
            "received_on": today,
            **overrides,
        }
        with pytest.raises(DomainError) as refused:
            services.subject_access_request_create(household=household, by=flow.coordinator, **data)
        assert refused.value.field == field
    made = services.subject_access_request_create(
        household=household,
        by=flow.coordinator,
        requester="  M. Durand ",
        basis="household",
        received_on=today,
    )
    assert made.requester == "M. Durand"
    assert made.history.get().history_change_reason == "Demande d'accès du ménage enregistrée"


@pytest.mark.parametrize("username", USERS)
def test_only_the_coordination_records_requests_and_exports(client, demo, nguyen, username):
    access_request = services.subject_access_request_create(
        household=nguyen,
        by=demo["coordinator.lt"],
        requester="Mme Nguyen",
        basis="household",
        received_on=timezone.localdate(),
    )
    client.force_login(demo[username])
    form = reverse("households:access_request_create", args=[nguyen.pk])
    export = reverse("households:subject_access", args=[nguyen.pk, access_request.pk])
    outcomes = {
        "form": client.get(form).status_code,
        "record": client.post(form, request_data()).status_code,
        "export": client.get(export).status_code,
    }
    if username == "coordinator.lt":
        assert outcomes == {"form": 200, "record": 302, "export": 200}
    else:
        assert outcomes == {"form": 403, "record": 403, "export": 403}
        assert SubjectAccessRequest.objects.filter(household=nguyen).count() == 1
