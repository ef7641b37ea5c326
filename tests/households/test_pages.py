from datetime import date

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import AccessLogEntry, Household
from partners.models import Role
from tests.factories import diagnostic_create, household_create, user_create
from tests.helpers import household_form_data


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("households:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_cesf_opens_a_file_and_finds_it_in_mes_menages(logged_in, cesf):
    data = household_form_data(landlord=str(cesf.partner.pk))
    response = logged_in.post(reverse("households:create"), data)
    household = Household.objects.get(name="Lambert")
    assert response.status_code == 302
    assert response.url == reverse("households:detail", args=[household.pk])
    assert household.members.get().first_name == "Alice"
    page = logged_in.get(reverse("households:list")).content.decode()
    assert household.reference in page and "Lambert" in page


def test_bad_input_is_explained_in_french_and_what_was_typed_is_kept(logged_in, cesf):
    data = household_form_data(landlord=str(cesf.partner.pk), name="", postcode="380")
    response = logged_in.post(reverse("households:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in page
    assert "Le code postal compte 5 chiffres." in page
    assert 'value="3 rue du Drac"' in page
    assert 'value="Alice"' in page
    assert not Household.objects.filter(address="3 rue du Drac").exists()


def test_a_tenant_without_landlord_is_refused_on_the_form(client, db):
    caseworker = user_create(Role.CASEWORKER)
    client.force_login(caseworker)
    response = client.post(reverse("households:create"), household_form_data())
    assert "Indiquez le bailleur d&#x27;un ménage locataire." in response.content.decode()


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(client, cesf):
    household = household_create(by=cesf, name="Morel", city="Grenoble")
    colleague = user_create(Role.CESF, partner=cesf.partner)
    url = reverse("households:edit", args=[household.pk])
    common = household_form_data(
        name="Morel", landlord=str(cesf.partner.pk), **{"members-TOTAL_FORMS": "0"}
    )
    version = str(household.version)
    client.force_login(cesf)
    first = client.post(url, {**common, "version": version, "city": "Voiron"})
    assert first.status_code == 302
    client.force_login(colleague)
    second = client.post(url, {**common, "version": version, "city": "Vienne"})
    page = second.content.decode()
    assert second.status_code == 200
    assert "modifié par quelqu&#x27;un d&#x27;autre" in page
    assert 'value="Vienne"' in page  # what the colleague typed is still on screen
    household.refresh_from_db()
    assert household.city == "Voiron"


def test_the_history_shows_what_changed(client, cesf):
    household = household_create(by=cesf, name="Morel", city="Grenoble")
    url = reverse("households:edit", args=[household.pk])
    client.force_login(cesf)
    data = household_form_data(
        name="Morel",
        landlord=str(cesf.partner.pk),
        city="Voiron",
        version="1",
        **{"members-TOTAL_FORMS": "0"},
    )
    client.post(url, data)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "commune : Grenoble → Voiron" in page


def test_a_diagnostic_is_written_from_the_page(logged_in, cesf):
    household = household_create(by=cesf)
    url = reverse("households:diagnostic_create", args=[household.pk])
    data = {
        "made_on": "2026-03-02",
        "persons": "2",
        "household_met": "on",
        "income_work": "1400",
        "income_unemployment": "0",
        "income_minimum": "0",
        "income_family": "200",
        "income_pension": "0",
        "income_other": "0",
        "rent": "500",
        "recoverable_charges": "100",
        "other_housing_costs": "0",
        "housing_aid": "120",
        "energy_costs": "160",
        "other_fixed_charges": "0",
        "debt_repayments": "0",
        "rent_arrears": "0",
        "other_debts": "0",
        "repayment_capacity": "0",
        "fsl_status": "none",
        "overindebtedness_status": "none",
        "repayment_plan_status": "none",
        "procedure_stage": "none",
        "rent_payment_resumed": "unknown",
        "conclusion": "Budget tendu mais tenu.",
    }
    bad = logged_in.post(url, {**data, "rent": "-5"})
    assert "supérieure ou égale à 0" in bad.content.decode()
    assert not household.diagnostics.exists()
    response = logged_in.post(url, data)
    assert response.status_code == 302
    assert household.diagnostics.get().conclusion == "Budget tendu mais tenu."


def test_mes_menages_searches_by_name_member_and_reference(logged_in, cesf):
    morel = household_create(by=cesf, name="Morel")
    household_create(by=cesf, name="Blanc")
    url = reverse("households:list")
    assert "Morel" in logged_in.get(url, {"q": "mor"}).content.decode()
    assert "Blanc" not in logged_in.get(url, {"q": "mor"}).content.decode()
    assert "Morel" in logged_in.get(url, {"q": morel.reference}).content.decode()
    assert "Morel" in logged_in.get(url, {"q": "Prénom0"}).content.decode()


def test_mes_menages_filters_by_situation(client, db):
    caseworker = user_create(Role.CASEWORKER)
    household_create(by=caseworker, name="Applicantfamily")
    client.force_login(caseworker)
    url = reverse("households:list")
    assert "Applicantfamily" in client.get(url, {"housing_status": "applicant"}).content.decode()
    assert "Applicantfamily" not in client.get(url, {"housing_status": "tenant"}).content.decode()


def test_mes_menages_answers_htmx_with_the_table_only(logged_in, cesf):
    household_create(by=cesf, name="Morel")
    response = logged_in.get(reverse("households:list"), {"q": "Morel"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Morel" in page and "<html" not in page


def test_mes_menages_shows_the_latest_diagnostic(logged_in, cesf):
    household = household_create(by=cesf)
    diagnostic_create(household=household, by=cesf, made_on=date(2026, 1, 5), conclusion="Ancienne")
    diagnostic_create(household=household, by=cesf, made_on=date(2026, 3, 9), conclusion="Récente")
    page = logged_in.get(reverse("households:list")).content.decode()
    assert "09/03/2026" in page and "Récente" in page and "Ancienne" not in page


def count_list_queries(client) -> int:
    """The list's queries, read afresh (the referent choices kept by pages forgotten)."""
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("households:list"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_mes_menages_renders_a_page_of_50_in_a_constant_number_of_queries(logged_in, cesf):
    for _ in range(3):
        diagnostic_create(household=household_create(by=cesf), by=cesf)
    few = count_list_queries(logged_in)
    for _ in range(60):
        diagnostic_create(household=household_create(by=cesf, members=2), by=cesf)
    many = count_list_queries(logged_in)
    assert many == few
    assert many <= 10  # with the referents the filter offers, and the header's two badges
    page = logged_in.get(reverse("households:list")).content.decode()
    assert page.count("/menages/") - page.count("/menages/nouveau/") >= 50
    assert "63 ménages" in page and "Suivants" in page


def test_an_outsider_gets_404_without_personal_data_and_the_attempt_is_logged(client, cesf):
    household = household_create(by=cesf, name="Secretname", contact_phone="06 99 88 77 66")
    outsider = user_create(Role.CESF)
    client.force_login(outsider)
    for name in ("detail", "edit", "diagnostic_create"):
        response = client.get(reverse(f"households:{name}", args=[household.pk]))
        assert response.status_code == 404
        assert "Secretname" not in response.content.decode()
        assert "06 99 88 77 66" not in response.content.decode()
    assert "Secretname" not in client.get(reverse("households:list")).content.decode()
    denied = AccessLogEntry.objects.filter(user=outsider, action="denied")
    assert denied.count() == 3 and denied.first().household == household


def test_an_outsider_cannot_change_a_household_by_posting(client, cesf):
    household = household_create(by=cesf, city="Grenoble")
    client.force_login(user_create(Role.CESF))
    url = reverse("households:edit", args=[household.pk])
    response = client.post(url, household_form_data(city="Ailleurs", version="1"))
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.city == "Grenoble"


def test_coordinators_read_the_access_log(client, cesf):
    household = household_create(by=cesf)
    client.force_login(cesf)
    client.get(reverse("households:detail", args=[household.pk]))
    client.force_login(user_create(Role.COORDINATOR))
    page = client.get(reverse("households:access_log")).content.decode()
    assert household.reference in page and "Consultation" in page


def test_consent_is_required_to_open_a_file(logged_in, cesf):
    data = household_form_data(landlord=str(cesf.partner.pk), consent_given_on="")
    page = logged_in.post(reverse("households:create"), data).content.decode()
    assert "Ce champ est obligatoire." in page
    assert not Household.objects.filter(name="Lambert").exists()


def test_mes_menages_filters_by_landlord(client, db):
    caseworker = user_create(Role.CASEWORKER)
    first, second = user_create(Role.CESF), user_create(Role.CESF)
    household_create(by=caseworker, name="Chezpremier", landlord=first.partner)
    household_create(by=caseworker, name="Chezsecond", landlord=second.partner)
    client.force_login(caseworker)
    page = client.get(reverse("households:list"), {"landlord": first.partner.pk})
    assert "Chezpremier" in page.content.decode()
    assert "Chezsecond" not in page.content.decode()


def test_the_edit_form_never_names_a_landlord(client, db):
    """A caseworker typing a landlord on the edit form hands nothing over: the field is
    shown but not taken; the rest of the form is saved."""
    caseworker = user_create(Role.CASEWORKER)
    landlord_cesf = user_create(Role.CESF)
    household = household_create(by=caseworker, housing_status="applicant", landlord=None)
    client.force_login(caseworker)
    data = household_form_data(
        name=household.name,
        housing_status="applicant",
        landlord=str(landlord_cesf.partner.pk),
        contact_name="Sa sœur, Mme Roche",
        version=str(household.version),
        **{"members-TOTAL_FORMS": "0"},
    )
    response = client.post(reverse("households:edit", args=[household.pk]), data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.landlord is None
    assert not Household.objects.visible_to(landlord_cesf).filter(pk=household.pk).exists()
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Sa sœur, Mme Roche" in page
