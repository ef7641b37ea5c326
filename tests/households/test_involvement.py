"""The rule of involvement (households.involvement): access is granted and withdrawn at
every workflow step, read-only for INVOLVEMENT_GRACE_DAYS after an involvement ends, then
nothing; a landlord change is a step; the nightly check repairs drift."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from actions import services as action_services
from actions.permissions import can_log_follow_up
from cases.tasks import nightly_privacy
from codecision import services as codecision_services
from core import events
from core.errors import DomainError
from households import services
from households.events import HouseholdAccessChanged
from households.involvement import Access, expected_access, involvement_repair, stored_access
from households.models import Household, LandlordChange
from households.permissions import HouseholdAction, can
from partners import services as partner_services
from partners.models import Role
from tests.factories import (
    PartnerFactory,
    both_approve,
    household_create,
    orientation_create,
    user_create,
)
from tests.helpers import api_for, sees

LONG_REASON = (
    "Le ménage a emménagé le 3 mars dans un T3 « moins énergivore » 🏠 chez Pluralis ; "
    "l'ancien bail est résilié. " * 12
).strip()


def access_of(user, household) -> str:
    """What the user's partner may do on the household, as a user would find out."""
    household = Household.objects.get(pk=household.pk)
    if not sees(user, household):
        return "none"
    return "change" if can(user, HouseholdAction.EDIT, household) else "read"


def later(days: int):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_rows_always_equal_the_rule(flow):
    household = household_create(by=flow.cesf)
    assert stored_access([household.pk]) == expected_access([household.pk])
    assert access_of(flow.cesf, household) == "change"
    assert access_of(flow.caseworker, household) == "none"


def test_an_association_that_refused_reads_during_the_grace_period_then_loses_the_case(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    household, caseworker = orientation.household, flow.caseworker
    assert access_of(caseworker, household) == "change"
    codecision = orientation.action.codecisions.get()
    codecision_services.codecision_answer(
        codecision=codecision, by=caseworker, answer="reject", comment="Hors critères."
    )
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision_services.codecision_arbitrate(
        codecision=codecision, by=flow.coordinator, decision="reject", comment="Refus motivé."
    )
    household.refresh_from_db()
    assert access_of(caseworker, household) == "read"
    assert not can(caseworker, HouseholdAction.WRITE_DIAGNOSTIC, household)
    assert not can_log_follow_up(caseworker, household)
    assert access_of(flow.cesf, household) == "change"

    def repaired():
        return [c for c in involvement_repair() if c.household_id == household.pk]

    with later(settings.INVOLVEMENT_GRACE_DAYS - 1):
        assert repaired() == []
        assert access_of(caseworker, household) == "read"
    with later(settings.INVOLVEMENT_GRACE_DAYS):
        [change] = repaired()
        assert (change.before, change.after) == (Access.READ, Access.NONE)
        assert access_of(caseworker, household) == "none"
        assert access_of(flow.cesf, household) == "change"


def test_with_no_grace_period_a_refusal_withdraws_at_once(flow, settings):
    settings.INVOLVEMENT_GRACE_DAYS = 0
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    for user in (flow.caseworker, flow.cesf):
        codecision_services.codecision_answer(
            codecision=codecision, by=user, answer="reject", comment="Hors critères."
        )
    assert access_of(flow.caseworker, orientation.household) == "none"


def test_a_closed_measure_leaves_its_association_read_only(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    measure = orientation.action.measures.get()
    action_services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    assert access_of(flow.caseworker, orientation.household) == "read"
    assert access_of(flow.cesf, orientation.household) == "change"
    with later(settings.INVOLVEMENT_GRACE_DAYS + 1):
        nightly_privacy()
        assert access_of(flow.caseworker, orientation.household) == "none"


def test_a_partner_leaving_the_programme_loses_every_case_and_gets_back_what_the_rule_gives(
    flow,
):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    created = household_create(by=flow.caseworker, name="Ollivier")
    partner_services.partner_update(
        partner=flow.association, by=flow.coordinator, data={"active": False}
    )
    assert access_of(flow.caseworker, orientation.household) == "none"
    assert access_of(flow.caseworker, created) == "none"
    assert stored_access([orientation.household.pk, created.pk]) == expected_access(
        [orientation.household.pk, created.pk]
    )
    partner_services.partner_update(
        partner=flow.association, by=flow.coordinator, data={"active": True}
    )
    assert access_of(flow.caseworker, orientation.household) == "change"
    assert access_of(flow.caseworker, created) == "change"


def test_only_the_coordination_says_a_partner_left(flow):
    with pytest.raises(DomainError, match="coordination"):
        partner_services.partner_update(
            partner=flow.association, by=flow.caseworker, data={"active": False}
        )


def test_a_transfer_hands_the_case_to_the_new_landlord_and_the_former_one_only_reads(flow):
    household = household_create(by=flow.cesf)
    new_cesf = user_create(Role.CESF)
    change = services.household_landlord_change(
        household=household,
        by=flow.cesf,
        kind="transfer",
        landlord=new_cesf.partner,
        reason=LONG_REASON,
        dwelling={"address": "12 allée des Écrins", "city": "Échirolles", "tenant_number": "P-7"},
    )
    household.refresh_from_db()
    assert (household.landlord, household.city, household.version) == (
        new_cesf.partner,
        "Échirolles",
        2,
    )
    assert LandlordChange.objects.get(pk=change.pk).reason == LONG_REASON
    assert access_of(new_cesf, household) == "change"
    assert access_of(flow.cesf, household) == "read"
    with later(settings.INVOLVEMENT_GRACE_DAYS):
        involvement_repair()
        assert access_of(flow.cesf, household) == "none"
    last = household.history.latest("history_date")
    assert (
        last.history_change_reason
        == "Changement de bailleur : mutation ou relogement chez un autre bailleur"
    )
    assert last.history_user == flow.cesf


def test_a_correction_withdraws_the_wrongly_named_landlord_at_once(flow):
    household = household_create(
        by=flow.caseworker, housing_status="tenant", landlord=flow.landlord
    )
    right = user_create(Role.CESF)
    services.household_landlord_change(
        household=household,
        by=flow.coordinator,
        kind="correction",
        landlord=right.partner,
        reason="Saisie erronée : le ménage est locataire de l'autre bailleur.",
    )
    assert access_of(flow.cesf, household) == "none"
    assert access_of(right, household) == "change"
    assert access_of(flow.caseworker, household) == "change"


@pytest.mark.parametrize(
    ("who", "kind", "message"),
    [
        ("caseworker", "transfer", "CESF du bailleur actuel"),
        ("other_cesf", "transfer", "CESF du bailleur actuel"),
        ("cesf", "correction", "Seule la coordination"),
        ("cesf", "moved", "mutation ou une correction"),
    ],
)
def test_who_may_change_the_landlord(flow, who, kind, message):
    household = household_create(by=flow.cesf)
    users = {"caseworker": flow.caseworker, "cesf": flow.cesf, "other_cesf": user_create()}
    with pytest.raises(DomainError, match=message):
        services.household_landlord_change(
            household=household, by=users[who], kind=kind, landlord=PartnerFactory(), reason="x"
        )
    household.refresh_from_db()
    assert household.landlord == flow.landlord
    assert not LandlordChange.objects.exists()


@pytest.mark.parametrize("reason", ["", "   \n ", "é" * 2001])
def test_a_landlord_change_needs_a_reason_that_fits(flow, reason):
    household = household_create(by=flow.cesf)
    with pytest.raises(DomainError) as error:
        services.household_landlord_change(
            household=household,
            by=flow.coordinator,
            kind="correction",
            landlord=PartnerFactory(),
            reason=reason,
        )
    assert error.value.field == "reason"


def test_a_glide_makes_the_applicant_the_landlords_tenant(flow):
    household = household_create(by=flow.caseworker)
    services.household_landlord_change(
        household=household,
        by=flow.caseworker,
        kind="glide",
        landlord=flow.landlord,
        reason="Bail glissé après le point d'étape favorable.",
    )
    household.refresh_from_db()
    assert (household.housing_status, household.landlord) == ("tenant", flow.landlord)
    assert access_of(flow.cesf, household) == "change"
    assert access_of(flow.caseworker, household) == "change"


def test_access_changes_are_published_for_the_apps_above(flow):
    heard = []
    events.subscribe(HouseholdAccessChanged, heard.append)
    try:
        orientation_create(cesf=flow.cesf, association=flow.association)
    finally:
        events._handlers[HouseholdAccessChanged].remove(heard.append)
    shared = [(e.partner, e.before, e.after) for e in heard if e.partner == flow.association]
    assert shared == [(flow.association, Access.NONE, Access.CHANGE)]


def test_the_check_repairs_rows_written_by_hand_and_says_what_it_fixed(flow):
    household = household_create(by=flow.cesf, name="Lefebvre")
    outsider = PartnerFactory(association=True, name="Relais d'Ozanam « bis »")
    assign_perm("households.view_household", outsider.group, household)
    assign_perm("households.change_household", outsider.group, household)
    remove_perm("households.change_household", flow.landlord.group, household)
    dry = StringIO()
    call_command("involvement_check", "--dry-run", stdout=dry)
    assert "2 écarts à réparer" in dry.getvalue()
    assert stored_access([household.pk]) != expected_access([household.pk])
    out = StringIO()
    call_command("involvement_check", stdout=out)
    assert (
        f"{household.reference} — Relais d'Ozanam « bis » : lecture et modification → aucun accès"
        in out.getvalue()
    )
    assert (
        f"{household.reference} — {flow.landlord.name} : lecture seule → lecture et modification"
        in out.getvalue()
    )
    assert stored_access([household.pk]) == expected_access([household.pk])
    again = StringIO()
    call_command("involvement_check", stdout=again)
    assert "Aucun écart" in again.getvalue()


def test_the_nightly_task_repairs_drift(flow):
    household = household_create(by=flow.cesf)
    assign_perm("households.view_household", PartnerFactory().group, household)
    assert nightly_privacy()["access_rows_repaired"] == 1
    assert stored_access([household.pk]) == expected_access([household.pk])


# Pages and API


def test_patching_the_landlord_is_refused_for_every_role(flow):
    household = household_create(
        by=flow.caseworker, housing_status="tenant", landlord=flow.landlord
    )
    other = PartnerFactory()
    for user in (flow.caseworker, flow.cesf, flow.coordinator):
        response = api_for(user).patch(
            f"/api/households/{household.pk}/",
            {"landlord": other.pk, "version": household.version},
            format="json",
        )
        assert response.status_code == 400, user
        assert "Changer de bailleur" in str(response.json()["landlord"])
    assert not sees(user_create(Role.CESF, partner=other), household)


def test_the_landlord_change_page(client, flow):
    household = household_create(by=flow.cesf, name="Lefèvre")
    new_cesf = user_create(Role.CESF)
    url = reverse("households:landlord_change", args=[household.pk])
    client.force_login(flow.cesf)
    assert (
        "Changer de bailleur"
        in client.get(reverse("households:detail", args=[household.pk])).content.decode()
    )
    page = client.get(url).content.decode()
    assert "Correction par la coordination" not in page
    empty = client.post(
        url, {"kind": "transfer", "landlord": new_cesf.partner.pk, "reason": " ", "version": 1}
    )
    assert empty.status_code == 200 and "Ce champ est obligatoire" in empty.content.decode()
    response = client.post(
        url,
        {
            "kind": "transfer",
            "landlord": new_cesf.partner.pk,
            "reason": LONG_REASON,
            "address": "12 allée des Écrins",
            "postcode": "38130",
            "city": "Échirolles",
            "tenant_number": "",
            "version": 1,
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Changement de bailleur (mutation ou relogement chez un autre bailleur)" in detail
    assert "« moins énergivore » 🏠" in detail
    assert "lecture seule" in detail and "ancien bailleur (terminé le" in detail
    # The former landlord reads only: no more changes from it.
    assert reverse("households:landlord_change", args=[household.pk]) not in detail
    assert reverse("households:edit", args=[household.pk]) not in detail
    client.force_login(new_cesf)
    assert client.get(reverse("households:edit", args=[household.pk])).status_code == 200


def test_the_landlord_change_page_refuses_others(client, flow):
    household = household_create(by=flow.cesf)
    url = reverse("households:landlord_change", args=[household.pk])
    client.force_login(flow.caseworker)
    assert client.get(url).status_code == 404
    partner_worker = household_create(
        by=flow.caseworker, housing_status="tenant", landlord=flow.landlord
    )
    client.force_login(flow.caseworker)
    assert (
        client.get(reverse("households:landlord_change", args=[partner_worker.pk])).status_code
        == 403
    )
    client.force_login(flow.coordinator)
    page = client.get(url).content.decode()
    assert "Correction par la coordination" in page


def test_the_landlord_change_api(flow):
    household = household_create(by=flow.cesf)
    new = PartnerFactory()
    url = f"/api/households/{household.pk}/landlord/"
    body = {"kind": "transfer", "landlord": new.pk, "reason": LONG_REASON, "version": 1}
    assert api_for(flow.caseworker).post(url, body, format="json").status_code == 404
    wrong = api_for(flow.cesf).post(url, {**body, "kind": "correction"}, format="json")
    assert wrong.status_code == 400 and "Seule la coordination" in str(wrong.json())
    stale = api_for(flow.cesf).post(url, {**body, "version": 0}, format="json")
    assert stale.status_code == 400
    response = api_for(flow.cesf).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["landlord"] == new.pk
    # The former landlord now only reads: a second change is refused.
    again = api_for(flow.cesf).post(url, {**body, "version": 2}, format="json")
    assert again.status_code == 403
    corrected = api_for(flow.coordinator).post(
        url,
        {"kind": "correction", "landlord": flow.landlord.pk, "reason": "Retour.", "version": 2},
        format="json",
    )
    assert corrected.status_code == 200
