"""Rent reductions, the household's eviction procedure and the associations' dwellings
register through the API: the rules of the pages (the same services), refusals as 400 on
their field in French, nothing saved when refused."""

import pytest
from django.conf import settings
from django.utils import timezone

from actions.models import Dwelling, EvictionProcedure, RentReduction, SupportMeasure
from core.dates import add_months
from funding.models import LedgerEntry
from households.models import Household
from partners.models import Partner
from tests.helpers import api_for


@pytest.fixture
def nguyen_measure(demo):
    return SupportMeasure.objects.get(action__household__name="Nguyen")


def reduce(demo, measure, **body):
    url = f"/api/measures/{measure.pk}/rent-reductions/"
    return api_for(demo["cesf.opac38"]).post(url, body, format="json")


def test_a_rent_reduction_through_the_api_is_booked_and_listed(demo, nguyen_measure):
    month = max(nguyen_measure.starts_on, timezone.localdate()).replace(day=15)
    entries = LedgerEntry.objects.count()
    response = reduce(demo, nguyen_measure, monthly_amount="45.50", starts_on=month, ends_on=month)
    assert response.status_code == 201, response.content
    assert response.json()["starts_on"] == month.replace(day=1).isoformat()
    assert LedgerEntry.objects.count() > entries  # booked by funding, as from the page
    listed = api_for(demo["caseworker.oiseaubleu"]).get(
        f"/api/measures/{nguyen_measure.pk}/rent-reductions/"
    )
    assert "45.50" in [r["monthly_amount"] for r in listed.json()]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"monthly_amount": "100000000"}, "monthly_amount", "chiffres"),
        ({"monthly_amount": "0"}, "monthly_amount", "montant positif"),
        ({"monthly_amount": "above"}, "monthly_amount", "nombre"),
        ({"starts_on": "1990-01-01"}, "starts_on", ""),
        ({"ends_on": "9999-12-31"}, "ends_on", ""),
        ({"starts_on": "pas une date"}, "starts_on", "date"),
    ],
)
def test_bad_rent_reductions_are_400_on_their_field(demo, nguyen_measure, body, field, message):
    month = max(nguyen_measure.starts_on, timezone.localdate()).isoformat()
    data = {"monthly_amount": "45.50", "starts_on": month, "ends_on": month, **body}
    response = reduce(demo, nguyen_measure, **data)
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert RentReduction.objects.filter(action=nguyen_measure.action).count() == 1  # the demo's


def test_the_cap_the_months_and_overlaps_are_the_services_rules(demo, nguyen_measure):
    month = max(nguyen_measure.starts_on, timezone.localdate())
    cap = settings.RENT_REDUCTION_MAX_MONTHLY
    over = reduce(demo, nguyen_measure, monthly_amount=cap + 1, starts_on=month, ends_on=month)
    assert over.status_code == 400
    assert f"au plus {cap} €" in str(over.json()["monthly_amount"])
    after = add_months(nguyen_measure.ends_on, 2)
    outside = reduce(demo, nguyen_measure, monthly_amount=10, starts_on=month, ends_on=after)
    assert outside.status_code == 400
    assert "mois de la mesure" in str(outside.json()["ends_on"])
    assert reduce(demo, nguyen_measure, monthly_amount=10, starts_on=month, ends_on=month)
    again = reduce(demo, nguyen_measure, monthly_amount=20, starts_on=month, ends_on=month)
    assert again.status_code == 400
    assert "couvre déjà" in str(again.json()["starts_on"])
    assert RentReduction.objects.filter(action=nguyen_measure.action).count() == 2


def test_the_procedure_through_the_api(demo):
    rousseau = Household.objects.get(name="Rousseau")
    procedure = EvictionProcedure.objects.get(household=rousseau)
    api = api_for(demo["caseworker.ulisse"])
    url = f"/api/households/{rousseau.pk}/procedure/"
    today = timezone.localdate().isoformat()
    read = api.get(url).json()
    assert read["judgement_outcome"] == "payment_plan"
    assert read["court"] == "Tribunal judiciaire de Grenoble"
    assert all({"on", "label", "kind"} <= set(d) for d in read["deadlines"])
    # The stages follow each other: a hearing before the assignation is refused.
    early = (procedure.summons_on.replace(day=1) - timezone.timedelta(days=1)).isoformat()
    refused = api.patch(url, {"hearing_on": early, "version": procedure.version}, format="json")
    assert refused.status_code == 400
    assert "L'audience suit l'assignation" in str(refused.json()["hearing_on"])
    missing = api.patch(url, {"court": "TJ de Vienne"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    other = Household.objects.get(name="Martin").diagnostics.first()
    foreign = api.patch(url, {"dsf_diagnostic": other.pk, "version": 1}, format="json")
    assert foreign.status_code == 400
    ok = api.patch(
        url, {"court": "TJ de Vienne « chambre 2 »", "version": procedure.version}, format="json"
    )
    assert ok.status_code == 200, ok.content
    ended = api.post(
        f"{url}end/",
        {"ended_on": today, "end_reason": "paid", "version": 0},
        format="json",
    )
    assert ended.status_code == 400  # the version read is stale
    ended = api.post(
        f"{url}end/",
        {
            "ended_on": timezone.localdate().isoformat(),
            "end_reason": "paid",
            "version": ok.json()["version"],
        },
        format="json",
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_reason"] == "paid" and ended.json()["deadlines"] == []


def test_a_household_without_procedure_answers_404_then_opens_one(demo):
    martin = Household.objects.get(name="Martin")
    api = api_for(demo["cesf.actis"])
    url = f"/api/households/{martin.pk}/procedure/"
    assert api.get(url).status_code == 404
    assert api.post(url).status_code == 201
    assert api.get(url).json()["household"] == martin.pk


def test_the_dwellings_register_through_the_api(demo):
    api = api_for(demo["caseworker.ozanam"])
    listed = api.get("/api/dwellings/").json()
    assert {d["association"] for d in listed["results"]} == {
        Partner.objects.get(short_name="ozanam").pk
    }
    body = {
        "address": "12 rue « Très-Cloîtres » 🏠",
        "postcode": "38000",
        "city": "Grenoble",
        "landlord": Partner.objects.get(short_name="oiseaubleu").pk,  # not a landlord
        "dwelling_type": "t2",
    }
    refused = api.post("/api/dwellings/", body, format="json")
    assert refused.status_code == 400 and "landlord" in refused.json()
    body["landlord"] = Partner.objects.get(short_name="pluralis").pk
    made = api.post("/api/dwellings/", body, format="json")
    assert made.status_code == 201, made.content
    dwelling = Dwelling.objects.get(pk=made.json()["id"])
    assert dwelling.association.short_name == "ozanam"
    assert dwelling.address == "12 rue « Très-Cloîtres » 🏠"
    changed = api.patch(
        f"/api/dwellings/{dwelling.pk}/", {"city": "Échirolles", "version": 1}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["city"] == "Échirolles"
    stale = api.patch(
        f"/api/dwellings/{dwelling.pk}/", {"city": "Vif", "version": 1}, format="json"
    )
    assert stale.status_code == 400
    assert api.delete(f"/api/dwellings/{dwelling.pk}/").status_code == 405


def test_the_api_records_the_same_stages_as_the_procedure_page():
    from actions.api import PROCEDURE_FIELDS
    from actions.forms import ProcedureForm

    assert ProcedureForm.Meta.fields == PROCEDURE_FIELDS
