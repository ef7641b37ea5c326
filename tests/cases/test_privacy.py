"""What the application forgets, and when (docs/DOMAIN_RULES.md, personal data)."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import FollowUp
from cases import privacy
from cases.tasks import nightly_privacy
from households.models import AccessLogEntry, Household
from tests.factories import both_approve, diagnostic_create, orientation_create


def closed_case(flow, closed_on: date, name: str):
    from tests.factories import household_create

    household = household_create(
        by=flow.cesf, name=name, contact_phone="06 11 22 33 44", address="3 rue du Drac"
    )
    with time_machine.travel(closed_on - timedelta(days=200)):
        diagnostic = diagnostic_create(
            household=household, by=flow.cesf, made_on=closed_on - timedelta(days=210)
        )
        orientation = services.orientation_create(
            household=household,
            by=flow.cesf,
            kind="energy",
            association=flow.association,
            diagnostic=diagnostic,
            reason="Factures d'énergie.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
        )
        measure = orientation.action.measures.get()
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": measure.starts_on,
                "kind": "home_visit",
                "summary": f"Visite chez {name}, difficultés de santé évoquées.",
            },
        )
    with time_machine.travel(closed_on):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    return household


def test_a_case_closed_for_two_years_is_anonymised_and_its_figures_kept(client, flow):
    old = closed_case(flow, date(2023, 6, 1), "Vasseur")
    recent = closed_case(flow, date(2025, 6, 1), "Caron")
    old.members.update(birth_date=date(1981, 7, 14))
    diagnostic = old.diagnostics.first()
    rent, reference = diagnostic.rent, old.reference
    with time_machine.travel(date(2025, 11, 25)):
        assert nightly_privacy()["households_anonymised"] == 1
        assert privacy.anonymise_closed_cases() == 0  # the next night has nothing to do
    old.refresh_from_db()
    assert (old.name, old.contact_phone, old.address) == (privacy.ANONYMOUS, "", "")
    assert old.reference == reference and old.anonymised_on == date(2025, 11, 25)
    assert not old.members.exclude(first_name="").exists()
    assert {m.birth_date for m in old.members.all()} == {date(1981, 1, 1)}  # the year only
    diagnostic.refresh_from_db()
    assert diagnostic.rent == rent and diagnostic.conclusion == ""
    assert FollowUp.objects.get(household=old).summary == ""
    client.force_login(flow.cesf)
    page = client.get(reverse("households:detail", args=[old.pk])).content.decode()
    assert "Vasseur" not in page and "VASSEUR" not in page and "06 11 22 33 44" not in page
    recent.refresh_from_db()
    assert recent.name == "Caron" and recent.anonymised_on is None


def test_an_open_case_is_never_anonymised(flow):
    open_case = orientation_create(cesf=flow.cesf, association=flow.association).household
    with time_machine.travel(timezone.localdate() + timedelta(days=3000)):
        privacy.anonymise_closed_cases()
    assert Household.objects.get(pk=open_case.pk).anonymised_on is None


def test_the_access_log_is_kept_one_year(flow):
    household = orientation_create(cesf=flow.cesf, association=flow.association).household
    for days in (400, 366, 10):
        entry = AccessLogEntry.objects.create(
            user=flow.cesf, household=household, household_pk=household.pk, action="view"
        )
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days))
    assert privacy.purge_access_log() == 2
    assert AccessLogEntry.objects.filter(household=household).count() == 1


def test_a_household_gets_everything_held_about_it(client, demo):
    import json

    from tests.demo_access import USERS

    nguyen = Household.objects.get(name="Nguyen")
    url = reverse("households:subject_access", args=[nguyen.pk])
    client.force_login(demo["coordinator.lt"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{nguyen.reference}-donnees.json"')
    data = json.loads(response.content)
    sections = data["données"]
    assert data["ménage"] == nguyen.reference
    assert {m["first_name"] for m in sections["membres du ménage"]} == set(
        nguyen.members.values_list("first_name", flat=True)
    )
    summaries = " ".join(f["summary"] for f in sections["suivis"])
    assert "Situation familiale difficile" in summaries  # confidential notes too
    assert sections["diagnostics"] and sections["minorations de loyer"]
    assert sections["ménages : historique"][0]["type"] == "création"
    assert any(e["user"] for e in sections["entrées du journal d'accès"])
    assert AccessLogEntry.objects.filter(
        user=demo["coordinator.lt"], household=nguyen, action="export", path=url
    ).exists()
    for username in USERS:
        if username == "coordinator.lt":
            continue
        client.force_login(demo[username])
        assert client.get(url).status_code == 403, username
