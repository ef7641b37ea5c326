"""Hostile values are refused at the edge, in French, and cannot be stored: amounts whose
figures overflow, ids past the database's range, NUL bytes, JSON nested past the limit."""

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.errors import DomainError
from core.parsers import MAX_JSON_DEPTH
from households.models import Diagnostic
from tests.api.test_api import api_for
from tests.factories import diagnostic_create, diagnostic_data, household_create

HUGE_RENT = {"rent": Decimal("99999999.99"), "income_work": Decimal("0.01"), "income_family": 0}


# --- Amounts whose figures do not fit ------------------------------------------------------


def test_a_diagnostic_whose_effort_rate_overflows_is_refused_before_saving(flow):
    household = household_create(by=flow.cesf)
    with pytest.raises(DomainError, match="taux d'effort de plus de 999\u202f999,9 %"):
        diagnostic_create(household=household, by=flow.cesf, **HUGE_RENT)
    assert not household.diagnostics.exists()
    # At the limit it is stored, and read back through the API.
    fits = {"rent": Decimal("9999.99"), "income_work": Decimal("1.00"), "income_family": 0}
    fits |= {"recoverable_charges": 0, "housing_aid": 0, "energy_costs": 0}
    diagnostic_create(household=household, by=flow.cesf, **fits)
    answer = api_for(flow.cesf).get(f"/api/households/{household.pk}/diagnostics/")
    assert answer.status_code == 200 and answer.json()[0]["effort_rate"] == "999999.0"


def test_the_database_refuses_a_diagnostic_whose_figures_overflow(flow):
    household = household_create(by=flow.cesf)
    with pytest.raises(IntegrityError), transaction.atomic():
        Diagnostic.objects.create(
            household=household, author=flow.cesf, author_partner=flow.cesf.partner,
            **diagnostic_data(**HUGE_RENT),
        )  # fmt: skip


def test_the_diagnostic_page_and_api_refuse_an_overflowing_effort_rate(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    form = {f.name: "0" for f in Diagnostic._meta.fields if f.get_internal_type() == "DecimalField"}
    form |= {key: str(value) for key, value in diagnostic_data(**HUGE_RENT).items()}
    form |= {"made_on": "2026-03-02", "fsl_status": "none", "overindebtedness_status": "none"}
    form |= {"repayment_plan_status": "none", "procedure_stage": "none", "household_met": "on"}
    page = client.post(reverse("households:diagnostic_create", args=[household.pk]), form)
    assert page.status_code == 200, page.context["form"].errors
    assert "taux d&#x27;effort de plus de 999\u202f999,9 %" in page.content.decode()
    body = {key: str(value) for key, value in diagnostic_data(**HUGE_RENT).items()}
    answer = api_for(flow.cesf).post(
        f"/api/households/{household.pk}/diagnostics/", body, format="json"
    )
    assert answer.status_code == 400 and "taux d'effort" in str(answer.json())
    assert not household.diagnostics.exists()


# --- Ids past the database's range ---------------------------------------------------------


def patterns(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def test_no_route_takes_an_unbounded_integer():
    unbounded = [
        str(p.pattern)
        for p in patterns()
        if any(isinstance(c, IntConverter) for c in p.pattern.converters.values())
        # django-otp's admin pages (staff only, behind the second factor) are its own.
        and not p.lookup_str.startswith("django_otp")
    ]
    assert unbounded == []


@pytest.mark.parametrize("number", [2**63, 2**64, 10**19 - 1, 0])
def test_ids_past_the_range_are_not_found_on_pages(client, flow, number):
    client.force_login(flow.cesf)
    assert client.get(f"/menages/{number}/").status_code == 404
    assert client.get(f"/actions/{number}/").status_code == 404


def test_the_largest_id_is_a_plain_refusal_written_to_the_access_log(client, flow):
    client.force_login(flow.cesf)
    assert client.get(f"/menages/{2**63 - 1}/").status_code == 404


def test_a_year_past_the_calendar_is_not_found(client, flow):
    client.force_login(flow.coordinator)
    assert client.get("/budget/9999/").status_code == 404


# --- NUL bytes ----------------------------------------------------------------------------


def test_a_nul_byte_in_the_search_box_is_refused_in_french(client, flow):
    client.force_login(flow.cesf)
    page = client.get("/menages/", {"q": "Dupont\x00"})
    assert page.status_code == 400 and "caractère nul" in page.content.decode()
    answer = api_for(flow.cesf).get("/api/households/", {"q": "\x00"})
    assert answer.status_code == 400 and "caractère nul" in answer.json()["detail"]


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_stored(client, flow):
    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    page = client.post(
        reverse("households:diagnostic_create", args=[household.pk]),
        {"conclusion": "Situation\x00 stable", "persons": "2", "made_on": "2026-03-02"},
    )
    assert page.status_code == 400 and "caractère nul" in page.content.decode()
    assert not household.diagnostics.exists()


def test_a_nul_byte_in_an_api_body_is_a_field_error(flow):
    household = household_create(by=flow.cesf)
    body = {key: str(value) for key, value in diagnostic_data(conclusion="Fin\x00").items()}
    answer = api_for(flow.cesf).post(
        f"/api/households/{household.pk}/diagnostics/", body, format="json"
    )
    assert answer.status_code == 400 and "conclusion" in answer.json()


# --- JSON nested past the limit ------------------------------------------------------------


def test_json_nested_a_hundred_thousand_levels_is_a_400_not_a_crash(flow):
    api = api_for(flow.cesf)
    deep = "[" * 100_000 + "]" * 100_000
    answer = api.post("/api/follow-ups/", deep, content_type="application/json")
    assert answer.status_code == 400
    assert f"{MAX_JSON_DEPTH} niveaux au plus" in answer.json()["detail"]


def test_json_at_the_depth_limit_is_parsed(flow):
    api = api_for(flow.cesf)
    # Brackets inside strings do not count.
    at_limit = "[" * (MAX_JSON_DEPTH - 1) + '{"summary": "[[[[{{{{"}' + "]" * (MAX_JSON_DEPTH - 1)
    answer = api.post("/api/follow-ups/", at_limit, content_type="application/json")
    assert answer.status_code == 400
    assert "niveaux au plus" not in str(answer.json())


def test_an_api_address_no_route_matches_answers_json_404(flow):
    api = api_for(flow.cesf)
    for path in (f"/api/households/{2**64}/", "/api/households/abc/", "/api/nulle-part/"):
        answer = api.get(path)
        assert answer.status_code == 404 and answer["Content-Type"] == "application/json", path
        assert answer.json() == {"detail": "Introuvable."}


def test_page_zero_of_a_list_is_a_documented_404(flow):
    api = api_for(flow.cesf)
    answer = api.get("/api/households/", {"page": 0})
    assert answer.status_code == 404
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = json.loads(schema.content)["paths"]["/api/households/"]["get"]
    assert "404" in operation["responses"]
