"""The coordination's writes behind the statistics: the year's budget and target, the
measures a funding source finances, the report text; and the API's hidden cells."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from actions.models import SupportMeasure
from core.errors import DomainError
from funding import services as funding_services
from funding.models import FundingKind, FundingSource, MeasureFunding, YearlyBudget
from stats import services


def test_only_the_coordination_sets_the_budget_and_its_target(demo):
    with pytest.raises(DomainError, match="coordination"):
        funding_services.yearly_budget_set(
            by=demo["manager.actis"], year=2030, amount_engaged=Decimal(1), households_targeted=1
        )
    with pytest.raises(DomainError, match="négatif"):
        funding_services.yearly_budget_set(
            by=demo["coordinator.lt"], year=2030, amount_engaged=Decimal(1), households_targeted=-1
        )
    budget = funding_services.yearly_budget_set(
        by=demo["coordinator.lt"],
        year=2030,
        amount_engaged=Decimal("999999999.99"),
        households_targeted=90,
    )
    assert YearlyBudget.objects.get(year=2030).households_targeted == budget.households_targeted


def test_a_source_finances_measures_of_its_year_once(demo):
    coordinator = demo["coordinator.lt"]
    source = FundingSource.objects.get(kind=FundingKind.AVDL, year=date.today().year)
    nguyen = SupportMeasure.objects.get(action__household__name="Nguyen")
    with pytest.raises(DomainError, match="heures ou le montant"):
        funding_services.measure_funding_add(by=coordinator, source=source, measure=nguyen)
    with pytest.raises(DomainError, match="coordination"):
        funding_services.measure_funding_add(
            by=demo["manager.actis"], source=source, measure=nguyen, hours=Decimal(3)
        )
    old = FundingSource.objects.get(kind=FundingKind.AVDL, year=2016)
    with pytest.raises(DomainError, match="pas en cours en 2016"):
        funding_services.measure_funding_add(
            by=coordinator, source=old, measure=nguyen, hours=Decimal(3)
        )
    funding_services.measure_funding_add(
        by=coordinator, source=source, measure=nguyen, amount=Decimal(1500)
    )
    with pytest.raises(DomainError, match="déjà financée"):
        funding_services.measure_funding_add(
            by=coordinator, source=source, measure=nguyen, hours=Decimal(1)
        )


def test_the_coordination_links_a_measure_through_the_page(client, demo):
    source = FundingSource.objects.get(kind=FundingKind.AVDL, year=date.today().year)
    nguyen = SupportMeasure.objects.get(action__household__name="Nguyen")
    url = reverse("funding:source_measures", args=[source.pk])
    client.force_login(demo["manager.opac38"])
    assert client.get(url).status_code == 403
    client.force_login(demo["coordinator.lt"])
    unknown = client.post(url, {"reference": "LT-1999-9999", "hours": "3"})
    assert "Aucune mesure pour cette référence" in unknown.content.decode()
    empty = client.post(url, {"reference": nguyen.action.household.reference})
    assert "Indiquez les heures ou le montant" in empty.content.decode()
    done = client.post(url, {"reference": nguyen.action.household.reference, "hours": "12,5"})
    assert done.status_code == 302
    assert MeasureFunding.objects.get(source=source, measure=nguyen).hours == Decimal("12.5")


def test_the_demo_state_finances_the_measures_of_actions_2_and_3(demo):
    source = FundingSource.objects.get(kind=FundingKind.AVDL, year=date.today().year)
    assert source.funder == demo["funder.ddets"].partner
    kinds = set(source.measure_fundings.values_list("measure__action__kind", flat=True))
    assert kinds == {"solvency", "sliding_lease_eviction"}


def test_the_report_text_is_the_coordinations(demo):
    with pytest.raises(PermissionDenied):
        services.report_text_save(by=demo["manager.actis"], year=2016, text="Bilan")
    with pytest.raises(DomainError, match="20000 caractères"):
        services.report_text_save(by=demo["coordinator.lt"], year=2016, text="é" * 20001)
    text = services.report_text_save(by=demo["coordinator.lt"], year=2016, text="")
    assert text.text == "" and text.history.count() == 1


def test_the_api_hides_small_cells_from_a_funder_and_not_from_the_coordination(demo):
    def headline(username: str) -> dict:
        api = APIClient()
        api.force_authenticate(demo[username])
        data = api.get("/api/statistics/", {"year": date.today().year}).json()
        rows = {h["key"]: h["cell"] for h in data["programme"]["headlines"]}
        return rows["measures_started"], data

    funder, data = headline("funder.ddets")
    assert funder == {"value": None, "suppressed": True} or int(funder["value"]) >= 5
    assert data["contribution"]["title"] == "Contribution de État — DDETS de l'Isère"
    coordinator, data = headline("coordinator.lt")
    assert coordinator["suppressed"] is False and coordinator["value"] is not None
    assert data["contribution"] is None
    api = APIClient()
    api.force_authenticate(demo["coordinator.lt"])
    assert api.get("/api/statistics/", {"year": 1900}).status_code == 400
    assert api.get("/api/statistics/", {"since": "2026-13-01"}).status_code == 400
