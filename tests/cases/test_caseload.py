"""« Mes ménages » says where each case stands (current action, state, next deadline), filters
by action kind and referent, keeps the filters from page to page, and costs the same number of
queries for 2 households as for 12."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import both_approve, household_create, orientation_create


def supported(flow, *, kind="energy", name="Suivi"):
    """A household whose action started: its measure is active."""
    household = household_create(by=flow.cesf, name=name)
    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, kind=kind, household=household
    )
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    return household, orientation.action.measures.get()


def rows(client, **params) -> str:
    response = client.get(reverse("households:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_each_row_says_where_the_case_stands(client, flow):
    _, measure = supported(flow, kind="solvency", name="Avecmesure")
    waiting = household_create(by=flow.cesf, name="Enattente")
    orientation_create(cesf=flow.cesf, association=flow.association, household=waiting)
    household_create(by=flow.cesf, name="Sansrien")
    client.force_login(flow.cesf)
    page = rows(client)
    names = ("Avecmesure", "Enattente", "Sansrien")
    line = {name: page[page.index(name) :].split("</tr>")[0] for name in names}
    assert "Action 2" in line["Avecmesure"] and "Mesure en cours" in line["Avecmesure"]
    assert f"fin de mesure le {measure.ends_on:%d/%m/%Y}" in line["Avecmesure"]
    assert str(flow.caseworker) in line["Avecmesure"]
    assert "Action 1" in line["Enattente"] and "En co-décision" in line["Enattente"]
    assert "Sans action en cours" in line["Sansrien"]


def test_filters_by_action_kind_and_referent(client, flow):
    supported(flow, kind="solvency", name="Solvabilite")
    supported(flow, kind="energy", name="Energie")
    household_create(by=flow.cesf, name="Sansaction")
    client.force_login(flow.cesf)
    page = rows(client, kind="solvency")
    assert "Solvabilite" in page and "Energie" not in page and "Sansaction" not in page
    page = rows(client, referent=flow.caseworker.pk)
    assert "Solvabilite" in page and "Energie" in page and "Sansaction" not in page
    # A referent who is not among the caseload's is no filter at all: nothing leaks, nothing
    # breaks.
    page = rows(client, referent=flow.coordinator.pk)
    assert "Sansaction" in page


def test_the_pages_keep_the_filters(client, flow, settings):
    settings.HOUSEHOLDS_PER_PAGE = 2
    for index in range(5):
        household_create(by=flow.cesf, name=f"Martin{index}")
    client.force_login(flow.cesf)
    page = rows(client, q="martin", housing_status="tenant")
    assert "?q=martin&amp;housing_status=tenant&amp;page=2" in page
    second = rows(client, q="martin", housing_status="tenant", page=2)
    assert "page=1" in second and "q=martin" in second


def test_the_same_number_of_queries_for_2_or_12_households(client, flow):
    client.force_login(flow.cesf)
    for index in range(2):
        supported(flow, name=f"Petit{index}")
    rows(client)
    with CaptureQueriesContext(connection) as few:
        rows(client)
    for index in range(10):
        supported(flow, kind="solvency", name=f"Grand{index}")
    with CaptureQueriesContext(connection) as many:
        page = rows(client)
    assert "Grand9" in page
    assert len(many) == len(few)
