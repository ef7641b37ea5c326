"""Duplicate detection before a case file is opened: what is similar, what the user is told
(the files it may see; for the others one sentence only), and the coordination's notice."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from households import services
from households.duplicates import (
    SIMILAR_ELSEWHERE,
    DuplicateSuspected,
    duplicate_report,
    find_similar,
)
from households.models import AccessAction, AccessLogEntry, Household
from notifications.models import Notification
from partners.models import Role
from tests.factories import PartnerFactory, household_create, user_create
from tests.helpers import api_for

BORN = date(1977, 6, 14)


def lemaitre(by, **data):
    """The Lemaître household as a first partner opened it: Inès, born 14 June 1977 (no
    demo household is near it)."""
    fields = {
        "name": "Lemaître",
        "address": "7 chemin des Buttes",
        "postcode": "38000",
        "city": "Grenoble",
        "tenant_number": "A 1234",
        **data,
    }
    household = household_create(by=by, members=0, **fields)
    services._member_save(
        household=household,
        data={
            "first_name": "Inès",
            "last_name": "LEMAITRE",
            "birth_date": BORN,
            "relationship": "head",
        },
        by=by,
    )
    return household


def new_file(**data):
    fields = {"name": "Lemaître", "address": "", "postcode": "", "city": "", "tenant_number": ""}
    return {**fields, **data}


def born(day=BORN, name="LEMAITRE"):
    return [{"first_name": "Inès", "last_name": name, "birth_date": day}]


# --- What is similar ----------------------------------------------------------------------


def test_a_close_name_and_the_same_birth_date_is_similar(flow):
    existing = lemaitre(flow.cesf)
    [found] = find_similar(new_file(name="Lemaitres"), born())
    assert found.household == existing
    assert found.reasons == ("un nom proche", "une même date de naissance")


def test_a_name_alone_or_a_birth_date_alone_is_another_household(flow):
    lemaitre(flow.cesf)
    assert find_similar(new_file(), []) == []
    assert find_similar(new_file(), born(date(1990, 1, 1))) == []
    assert find_similar(new_file(name="Bernard"), born(name="BERNARD")) == []
    # « Lemerle » is not close enough to « Lemaître » (DUPLICATE_NAME_SIMILARITY).
    assert find_similar(new_file(name="Lemerle"), born(name="LEMERLE")) == []


def test_a_members_last_name_is_compared_too(flow):
    existing = lemaitre(flow.cesf)
    [found] = find_similar(new_file(name="Durand-Lemaître"), born(name="LEMAITRE"))
    assert found.household == existing


def test_the_tenant_number_spaces_and_case_aside_with_the_same_landlord(flow):
    existing = lemaitre(flow.cesf, landlord=flow.landlord, housing_status="tenant")
    data = new_file(tenant_number=" a1234 ", landlord=flow.landlord)
    [found] = find_similar(data, [])
    assert found.household == existing and "le même numéro de locataire" in found.reasons
    other_landlord = PartnerFactory()
    assert find_similar(new_file(tenant_number="A1234", landlord=other_landlord), []) == []


def test_a_close_address_in_the_same_postcode_with_the_same_number(flow):
    existing = lemaitre(flow.cesf)
    near = new_file(address="7, Chemin des Buttes", postcode="38000")
    [found] = find_similar(near, [])
    assert found.household == existing and "une adresse proche" in found.reasons
    assert find_similar(new_file(address="9 chemin des Buttes", postcode="38000"), []) == []
    assert find_similar(new_file(address="7 chemin des Buttes", postcode="38100"), []) == []
    assert find_similar(new_file(address="7 chemin des Buttes", city="GRENOBLE"), []) != []


def test_merged_and_anonymised_files_are_never_proposed(flow):
    existing = lemaitre(flow.cesf)
    Household.objects.filter(pk=existing.pk).update(anonymised_on=date(2026, 1, 1))
    assert find_similar(new_file(), born()) == []


def test_the_search_costs_the_same_for_one_or_twenty_similar_files(flow):
    lemaitre(flow.cesf)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            find_similar(new_file(), born())
        return len(captured)

    few = queries()
    for _ in range(19):
        lemaitre(flow.cesf)
    assert queries() == few


# --- What the user is told ----------------------------------------------------------------


def test_the_report_splits_what_the_user_may_see(flow, other_association):
    mine = lemaitre(flow.caseworker)
    theirs = lemaitre(flow.cesf)
    stranger = user_create(Role.CASEWORKER, partner=other_association)
    mine_report = duplicate_report(flow.caseworker, find_similar(new_file(), born()))
    assert [item.household for item in mine_report.visible] == [mine]
    assert mine_report.elsewhere is True
    stranger_report = duplicate_report(stranger, find_similar(new_file(), born()))
    assert stranger_report.visible == [] and stranger_report.elsewhere is True
    assert set(stranger_report.all_ids) == {mine.pk, theirs.pk}


def test_the_service_opens_nothing_until_the_user_confirms(flow):
    existing = lemaitre(flow.cesf)
    before = Household.objects.count()
    data = {**new_file(), "housing_status": "applicant", "consent_given_on": date(2026, 1, 5)}
    with pytest.raises(DuplicateSuspected) as raised:
        services.household_create(by=flow.caseworker, data=data, members=born())
    assert isinstance(raised.value, DomainError)
    assert raised.value.report.visible == [] and raised.value.report.elsewhere
    assert Household.objects.count() == before
    household = services.household_create(
        by=flow.caseworker, data=data, members=born(), confirm_duplicate=True
    )
    [notice] = Notification.objects.filter(kind="duplicate_suspected", recipient=flow.coordinator)
    assert household.reference in notice.text and existing.reference in notice.text
    assert notice.link == reverse("households:merge", args=[household.pk])
    assert not Notification.objects.filter(recipient=flow.caseworker).exists()


def test_a_file_with_no_similar_one_is_opened_at_once_and_nobody_is_told(flow):
    lemaitre(flow.cesf)
    data = {**new_file(name="Bernard"), "housing_status": "applicant"}
    services.household_create(by=flow.caseworker, data=data, members=born(name="BERNARD"))
    assert not Notification.objects.filter(kind="duplicate_suspected").exists()


# --- The page -----------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "name": "Lemaître",
        "housing_status": "applicant",
        "landlord": "",
        "address": "",
        "postcode": "",
        "city": "",
        "tenant_number": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "consent_given_on": "2026-02-01",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-first_name": "Inès",
        "members-0-last_name": "Lemaître",
        "members-0-relationship": "head",
        "members-0-birth_date": BORN.isoformat(),
        "members-0-occupation": "",
        "members-0-left_on": "",
    }
    return {**data, **overrides}


def without_tokens(html: str) -> str:
    """The page without what differs at every drawing (the CSRF and submit tokens)."""
    html = re.sub(r'name="(csrfmiddlewaretoken|submit_token)" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_the_page_shows_the_similar_files_the_user_may_see_with_a_link(client, flow):
    existing = lemaitre(flow.caseworker)
    client.force_login(flow.caseworker)
    response = client.post(reverse("households:create"), form_data())
    page = response.content.decode()
    assert response.status_code == 200
    assert existing.reference in page
    assert reverse("households:detail", args=[existing.pk]) in page
    assert "une même date de naissance" in page
    assert SIMILAR_ELSEWHERE not in page
    assert Household.objects.filter(name="Lemaître").count() == 1
    # Showing it is a read of it, in the access log.
    assert AccessLogEntry.objects.filter(
        user=flow.caseworker, household=existing, action=AccessAction.LIST
    ).exists()


def test_the_page_says_only_one_sentence_of_the_files_of_other_partners(client, flow):
    existing = lemaitre(flow.cesf)
    client.force_login(flow.caseworker)
    page = client.post(reverse("households:create"), form_data()).content.decode()
    assert SIMILAR_ELSEWHERE in page
    for secret in (existing.reference, "7 chemin des Buttes", "A 1234"):
        assert secret not in page
    assert f"/menages/{existing.pk}/" not in page
    assert "demander à la coordination" in page.lower()
    assert not AccessLogEntry.objects.filter(household=existing).exists()


def test_the_page_is_the_same_whichever_and_however_many_files_are_elsewhere(client, flow):
    client.force_login(flow.caseworker)
    other_landlord = user_create(Role.CESF)
    lemaitre(flow.cesf)
    one = without_tokens(client.post(reverse("households:create"), form_data()).content.decode())
    lemaitre(other_landlord, name="Lemaîtres", address="1 place Verdun", tenant_number="Z9")
    lemaitre(other_landlord)
    several = client.post(reverse("households:create"), form_data()).content.decode()
    assert without_tokens(several) == one


def test_confirming_on_the_page_opens_the_file_and_tells_the_coordination(client, flow):
    existing = lemaitre(flow.cesf)
    client.force_login(flow.caseworker)
    data = form_data(
        confirm_duplicate="on", ask_coordination="on", **{"members-0-last_name": "LEMAÎTRE"}
    )
    response = client.post(reverse("households:create"), data)
    created = Household.objects.exclude(pk=existing.pk).get(name="Lemaître")
    assert response.status_code == 302
    assert response.url == reverse("households:detail", args=[created.pk])
    [notice] = Notification.objects.filter(recipient=flow.coordinator)
    assert created.reference in notice.text and existing.reference in notice.text
    assert "demande à la coordination de vérifier" in notice.text
    assert "Lemaître" not in notice.text and "Inès" not in notice.text


def test_the_form_keeps_what_was_typed_on_the_confirmation_step(client, flow):
    lemaitre(flow.cesf)
    client.force_login(flow.caseworker)
    typed = form_data(
        contact_name="Inès Lemaître 🏠", **{"members-0-occupation": "Aide à domicile"}
    )
    page = client.post(reverse("households:create"), typed).content.decode()
    assert "Inès Lemaître 🏠" in page and "Aide à domicile" in page


# --- The API ------------------------------------------------------------------------------


def api_data(**overrides):
    data = {
        "name": "Lemaître",
        "housing_status": "applicant",
        "consent_given_on": "2026-02-01",
        "members": [
            {
                "first_name": "Inès",
                "last_name": "LEMAITRE",
                "birth_date": BORN.isoformat(),
                "relationship": "head",
            }
        ],
    }
    return {**data, **overrides}


def test_the_api_answers_409_with_the_visible_files(flow):
    existing = lemaitre(flow.caseworker)
    response = api_for(flow.caseworker).post("/api/households/", api_data(), format="json")
    assert response.status_code == 409
    body = response.json()
    assert [match["reference"] for match in body["visible_matches"]] == [existing.reference]
    assert body["visible_matches"][0]["reasons"] == ["un nom proche", "une même date de naissance"]
    assert body["similar_elsewhere"] is False
    assert Household.objects.filter(name="Lemaître").count() == 1


def test_the_api_answers_the_same_409_whichever_files_are_elsewhere(flow):
    api = api_for(flow.caseworker)
    lemaitre(flow.cesf)
    one = api.post("/api/households/", api_data(), format="json")
    lemaitre(user_create(Role.CESF), name="Lemaîtres")
    several = api.post("/api/households/", api_data(), format="json")
    assert one.status_code == several.status_code == 409
    assert (
        one.json()
        == several.json()
        == {
            "detail": one.json()["detail"],
            "visible_matches": [],
            "similar_elsewhere": True,
            "similar_elsewhere_text": SIMILAR_ELSEWHERE,
        }
    )


def test_the_api_opens_the_file_with_confirm_duplicate(flow):
    existing = lemaitre(flow.cesf)
    response = api_for(flow.caseworker).post(
        "/api/households/", api_data(confirm_duplicate=True), format="json"
    )
    assert response.status_code == 201
    assert "confirm_duplicate" not in response.json()
    created = Household.objects.get(pk=response.json()["id"])
    [notice] = Notification.objects.filter(recipient=flow.coordinator)
    assert created.reference in notice.text and existing.reference in notice.text


def test_a_check_without_a_match_and_with_one_elsewhere_differ_only_by_the_sentence(flow):
    api = api_for(flow.caseworker)
    nothing = api.post("/api/households/duplicates/", api_data(), format="json")
    lemaitre(flow.cesf)
    elsewhere = api.post("/api/households/duplicates/", api_data(), format="json")
    assert nothing.status_code == elsewhere.status_code == 200
    assert nothing.json() == {
        "visible_matches": [],
        "similar_elsewhere": False,
        "similar_elsewhere_text": None,
    }
    assert elsewhere.json() == {
        **nothing.json(),
        "similar_elsewhere": True,
        "similar_elsewhere_text": SIMILAR_ELSEWHERE,
    }
    assert (
        not Household.objects.filter(name="Lemaître")
        .exclude(created_by_partner=flow.landlord)
        .exists()
    )


def test_bad_input_is_still_a_400_with_fields(flow):
    response = api_for(flow.caseworker).post(
        "/api/households/", api_data(confirm_duplicate="peut-être", name=""), format="json"
    )
    assert response.status_code == 400
    assert {"name", "confirm_duplicate"} <= set(response.json())
