"""The diagnostic in the sections of a DSF, its figures as one types (htmx), its correction
until a decision rests on it."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import AccessRefused, DomainError
from households import services
from households.models import Diagnostic
from partners.models import Role
from tests.factories import diagnostic_create, household_create, orientation_create, user_create
from tests.helpers import api_for

DIAGNOSTIC_FORM = {
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


def figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>(.*?)</dd>', page, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("\xa0", " ").replace("\u202f", " ")


def test_the_diagnostic_is_in_the_sections_of_a_dsf_with_today_prefilled(logged_in, cesf):
    household = household_create(by=cesf)
    page = logged_in.get(reverse("households:diagnostic_create", args=[household.pk]))
    text = unescape(page.content.decode())
    legends = re.findall(r"<legend>([^<]+)</legend>", text)
    assert legends == [
        "Le ménage",
        "Ressources mensuelles",
        "Charges mensuelles",
        "Dettes",
        "Procédure d'expulsion",
        "Dispositifs sollicités",
        "Besoins et proposition",
    ]
    assert f'name="made_on" value="{timezone.localdate():%Y-%m-%d}"' in text
    assert "hx-post=" in text and 'id="diagnostic-figures"' in text


def test_the_figures_follow_what_is_typed_and_the_thresholds_are_highlighted(logged_in, cesf):
    household = household_create(by=cesf)
    url = reverse("households:diagnostic_figures", args=[household.pk])
    # 1 000 € of resources, 500 − 120 + 100 € of housing, 160 € of energy.
    typed = {"persons": "2", "income_work": "1000", "rent": "500", "recoverable_charges": "100"}
    page = logged_in.post(
        url, {**typed, "housing_aid": "120", "energy_costs": "160"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert figure(page, "total_resources") == "1 000,00 €"
    assert figure(page, "effort_rate").startswith("48,0 % au-dessus de 30 %")
    assert "précarité énergétique" in figure(page, "energy_effort_rate")
    assert figure(page, "energy_effort_rate").startswith("16,0 %")
    # The same figures as the model gives once saved (one formula).
    amounts = {"income_work": 1000, "rent": 500, "recoverable_charges": 100}
    amounts.update(housing_aid=120, energy_costs=160)
    zero = {
        f.name: Decimal(0)
        for f in Diagnostic._meta.fields
        if f.get_internal_type() == "DecimalField"
    }
    diagnostic = Diagnostic(persons=2, **{**zero, **{k: Decimal(v) for k, v in amounts.items()}})
    assert figure(page, "remaining_income_per_day").startswith(
        f"{diagnostic.remaining_income_per_day:.2f}".replace(".", ",")
    )
    calm = logged_in.post(
        url, {**typed, "income_work": "3000", "energy_costs": "90", "housing_aid": "abc"}
    ).content.decode()
    assert figure(calm, "effort_rate") == "20,0 %"  # an unreadable amount counts as 0
    assert "au-dessus" not in calm and "précarité" not in calm
    assert not household.diagnostics.exists()


def test_a_figure_that_cannot_be_read_is_said_while_typing(logged_in, cesf):
    household = household_create(by=cesf)
    page = logged_in.post(
        reverse("households:diagnostic_figures", args=[household.pk]),
        {"income_work": "0.01", "rent": "99999999.99"},
    ).content.decode()
    assert "taux d'effort de plus de" in unescape(page)


def test_the_figures_of_another_partner_s_household_are_404(client, cesf):
    household = household_create(by=cesf)
    client.force_login(user_create(Role.CESF))
    url = reverse("households:diagnostic_figures", args=[household.pk])
    assert client.post(url, {"income_work": "1000"}).status_code == 404


def test_errors_are_summarised_at_the_top_and_linked_to_their_field(logged_in, cesf):
    household = household_create(by=cesf)
    url = reverse("households:diagnostic_create", args=[household.pk])
    page = logged_in.post(url, {**DIAGNOSTIC_FORM, "rent": "-5", "conclusion": ""})
    text = page.content.decode()
    summary = text[
        text.index("data-error-summary") : text.index("</div>", text.index("data-error-summary"))
    ]
    assert 'role="alert"' in text and 'tabindex="-1"' in text
    assert '<a href="#id_rent">Loyer : ' in summary
    assert (
        '<a href="#id_conclusion">Conclusion et préconisation : Ce champ est obligatoire.'
        in summary
    )
    assert 'aria-describedby="id_rent_error"' in text or "id_rent_error" in re.search(
        r'<input[^>]*name="rent"[^>]*>', text
    ).group(0)
    assert 'id="id_rent_error"' in text
    assert "novalidate" in re.search(r"<form[^>]*diagnostic-form[^>]*>", text).group(0)


def test_a_diagnostic_is_corrected_with_its_history(logged_in, cesf):
    household = household_create(by=cesf)
    diagnostic = diagnostic_create(household=household, by=cesf)
    detail = logged_in.get(reverse("households:detail", args=[household.pk])).content.decode()
    url = reverse("households:diagnostic_edit", args=[household.pk, diagnostic.pk])
    assert url in detail
    form = logged_in.get(url).content.decode()
    assert 'value="1400.00"' in form and "Enregistrer la correction" in form
    response = logged_in.post(
        url, {**DIAGNOSTIC_FORM, "income_work": "1450", "conclusion": "Ré-évalué 🙂"}
    )
    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.income_work == 1450 and diagnostic.conclusion == "Ré-évalué 🙂"
    assert diagnostic.history.count() == 2
    assert diagnostic.history.first().history_change_reason == "Correction du diagnostic"
    detail = unescape(
        logged_in.get(reverse("households:detail", args=[household.pk])).content.decode()
    )
    assert "Correction du diagnostic" in detail  # in the case history, with who and when


def test_a_diagnostic_an_orientation_rests_on_is_no_longer_corrected(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    diagnostic = orientation.diagnostic
    assert "Ce diagnostic fonde l" in services.diagnostic_used_in(diagnostic)
    with pytest.raises(DomainError, match="Rédigez un nouveau diagnostic"):
        services.diagnostic_update(diagnostic=diagnostic, by=flow.cesf, data={"persons": 3})
    diagnostic.refresh_from_db()
    assert diagnostic.persons == 2


def test_the_page_refuses_the_correction_and_offers_a_new_diagnostic(client, flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    household, diagnostic = orientation.household, orientation.diagnostic
    client.force_login(flow.cesf)
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    url = reverse("households:diagnostic_edit", args=[household.pk, diagnostic.pk])
    assert url not in detail and "ne se corrige plus" in detail
    page = unescape(client.post(url, {**DIAGNOSTIC_FORM, "persons": "5"}).content.decode())
    assert "Ce diagnostic fonde l" in page and "il ne se corrige plus" in page
    assert "Rédiger un nouveau diagnostic" in page
    assert reverse("households:diagnostic_create", args=[household.pk]) in page
    diagnostic.refresh_from_db()
    assert diagnostic.persons == 2


def test_only_the_author_s_partner_corrects_a_diagnostic(flow):
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    from households.permissions import can_correct_diagnostic, ensure_can_correct_diagnostic

    assert can_correct_diagnostic(flow.cesf, diagnostic)
    assert not can_correct_diagnostic(flow.coordinator, diagnostic)
    with pytest.raises(AccessRefused):
        ensure_can_correct_diagnostic(flow.caseworker, diagnostic)


def test_a_correction_on_a_version_read_before_another_is_refused(flow):
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    assert diagnostic.version == 1
    services.diagnostic_update(
        diagnostic=diagnostic, by=flow.cesf, data={"persons": 3}, expected_version=1
    )
    with pytest.raises(DomainError, match="corrigé par quelqu'un d'autre"):
        services.diagnostic_update(
            diagnostic=diagnostic, by=flow.cesf, data={"persons": 4}, expected_version=1
        )
    diagnostic.refresh_from_db()
    assert (diagnostic.persons, diagnostic.version) == (3, 2)


def test_the_api_corrects_a_diagnostic_with_its_version_and_history(flow):
    household = household_create(by=flow.cesf)
    diagnostic = diagnostic_create(household=household, by=flow.cesf)
    api = api_for(flow.cesf)
    url = f"/api/households/{household.pk}/diagnostics/{diagnostic.pk}/"
    listed = api.get(f"/api/households/{household.pk}/diagnostics/").json()
    assert listed[0]["version"] == 1
    missing = api.patch(url, {"persons": 3}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    response = api.patch(
        url,
        {"persons": 3, "conclusion": "Ré-évalué « à la hausse » 🙂", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["persons"] == 3 and response.json()["version"] == 2
    diagnostic.refresh_from_db()
    assert diagnostic.conclusion == "Ré-évalué « à la hausse » 🙂"
    assert diagnostic.history.first().history_change_reason == "Correction du diagnostic"
    assert diagnostic.history.first().history_user == flow.cesf
    stale = api.patch(url, {"persons": 5, "version": 1}, format="json")
    assert stale.status_code == 400 and "quelqu'un d'autre" in str(stale.json())
    future = api.patch(url, {"made_on": "2099-01-01", "version": 2}, format="json")
    assert future.status_code == 400 and "made_on" in future.json()
    negative = api.patch(url, {"rent": "-5", "version": 2}, format="json")
    assert negative.status_code == 400 and "rent" in negative.json()
    diagnostic.refresh_from_db()
    assert (diagnostic.persons, diagnostic.version) == (3, 2)
    # Another household's diagnostic under this one's address: unknown.
    other = diagnostic_create(household=household_create(by=flow.cesf), by=flow.cesf)
    wrong = f"/api/households/{household.pk}/diagnostics/{other.pk}/"
    assert api.patch(wrong, {"version": 1}, format="json").status_code == 404


def test_the_api_refuses_to_correct_a_diagnostic_a_decision_rests_on(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    household, diagnostic = orientation.household, orientation.diagnostic
    url = f"/api/households/{household.pk}/diagnostics/{diagnostic.pk}/"
    response = api_for(flow.cesf).patch(url, {"persons": 5, "version": 1}, format="json")
    assert response.status_code == 400
    assert "il ne se corrige plus" in str(response.json()["non_field_errors"])
    diagnostic.refresh_from_db()
    assert (diagnostic.persons, diagnostic.version) == (2, 1)
    # The association involved through the orientation reads it and corrects nothing.
    refused = api_for(flow.caseworker).patch(url, {"persons": 5, "version": 1}, format="json")
    assert refused.status_code == 403


def test_two_people_correcting_the_same_diagnostic_on_the_page_do_not_overwrite(client, cesf):
    from tests.conftest import SecondFactorClient

    colleague = user_create(Role.CESF, partner=cesf.partner)
    household = household_create(by=cesf)
    diagnostic = diagnostic_create(household=household, by=cesf)
    url = reverse("households:diagnostic_edit", args=[household.pk, diagnostic.pk])
    first, second = client, SecondFactorClient()
    first.force_login(cesf)
    second.force_login(colleague)
    read_by = {}
    for name, browser in (("first", first), ("second", second)):
        page = browser.get(url).content.decode()
        read_by[name] = re.search(r'name="version" value="(\d+)"', page).group(1)

    saved = first.post(url, {**DIAGNOSTIC_FORM, "version": read_by["first"], "rent": "510"})
    assert saved.status_code == 302
    refused = second.post(url, {**DIAGNOSTIC_FORM, "version": read_by["second"], "rent": "650"})

    assert refused.status_code == 200
    assert "corrigé par quelqu'un d'autre" in unescape(refused.content.decode())
    diagnostic.refresh_from_db()
    assert diagnostic.rent == Decimal("510")
