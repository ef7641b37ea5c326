"""« Mes ménages » says where each case stands (current action, state, next deadline), filters
by action kind and referent, keeps the filters from page to page, and costs the same number of
queries for 2 households as for 12."""

import html
import re
import time
from datetime import timedelta

import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from partners.models import Role
from tests.factories import (
    AppointmentFactory,
    both_approve,
    household_create,
    orientation_create,
    user_create,
)


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


def afresh() -> CaptureQueriesContext:
    """The queries of a page read afresh: the pieces pages keep (the referent filter's
    choices) forgotten first, so that two pages compare alike."""
    caches["pages"].clear()
    return CaptureQueriesContext(connection)


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


def follow(client, page: str) -> str:
    """The page behind « Suivants → »."""
    link = re.search(r'href="\?([^"]*)">Suivants', page)
    assert link, "no next page"
    return client.get(reverse("households:list") + "?" + html.unescape(link[1])).content.decode()


def names(page: str) -> list[str]:
    return re.findall(r">(Martin\d+)</a>", page)


def test_the_pages_keep_the_filters(client, flow, settings):
    settings.HOUSEHOLDS_PER_PAGE = 2
    for index in range(5):
        household_create(by=flow.cesf, name=f"Martin{index}")
    household_create(by=flow.cesf, name="Martinapplicant", housing_status="applicant")
    client.force_login(flow.cesf)
    page = rows(client, q="martin", housing_status="tenant")
    assert "5 ménages" in page
    assert "?q=martin&amp;housing_status=tenant&amp;apres=" in page
    seen = names(page)
    while "Suivants" in page:
        page = follow(client, page)
        assert "q=martin" in page and "5 ménages" in page  # counted the same on each page
        seen += names(page)
    # Newest change first, each household once, by keyset (no page number).
    assert seen == [f"Martin{index}" for index in reversed(range(5))]
    assert "Début de la liste" in page


def test_counts_are_exact_up_to_the_cap_then_more_than(client, flow, settings):
    settings.HOUSEHOLDS_PER_PAGE = 2
    settings.CASELOAD_COUNT_CAP = 3
    for index in range(5):
        household_create(by=flow.cesf, name=f"Martin{index}")
    client.force_login(flow.cesf)
    assert "5 ménages" in rows(client)  # the caseload itself: its ids are counted for free
    page = rows(client, q="martin")
    assert "Plus de 3 ménages" in page
    seen = names(page)
    while "Suivants" in page:  # past the capped matches, the pages go on by keyset
        page = follow(client, page)
        seen += names(page)
    assert seen == [f"Martin{index}" for index in reversed(range(5))]
    client.force_login(flow.coordinator)
    assert "Plus de 3 ménages" in rows(client)


def test_the_search_stays_inside_the_caseload(client, flow, settings):
    """A surname common across the programme: only the partner's households are searched,
    and found households of other partners never show."""
    other = user_create(Role.CESF)
    for index in range(3):
        household_create(by=other, name=f"Martin{index}", members=1)
    mine = household_create(by=flow.cesf, name="Dupont", members=1)
    mine.members.update(last_name="Martinez")
    client.force_login(flow.cesf)
    with CaptureQueriesContext(connection) as queries:
        page = rows(client, q="martín")
    assert "Dupont" in page and "Martin0" not in page and "1 ménage" in page
    member_search = [q["sql"] for q in queries.captured_queries if "householdmember" in q["sql"]]
    assert len(member_search) == 1  # searched and counted once
    # The members searched are the caseload's, by its ids (one array on PostgreSQL).
    assert re.search(r'householdmember" U0 WHERE \(U0."household_id" (IN|= ANY)', member_search[0])


def test_the_worst_case_partner_costs_the_queries_of_an_ordinary_one(client, flow, settings):
    """A partner whose cases are the oldest of a busy programme: the page reads its own
    caseload first, in as many queries as a partner with newer cases, at two sizes."""
    settings.HOUSEHOLDS_PER_PAGE = 5
    oldest = household_create(by=flow.cesf, name="Ancien")
    other = user_create(Role.CESF)
    for index in range(30):
        household_create(by=other, name=f"Recent{index}")
    client.force_login(flow.cesf)
    with afresh() as small:
        page = rows(client)
    assert "Ancien" in page and "Recent" not in page and "1 ménage" in page
    for index in range(12):
        household_create(by=flow.cesf, name=f"Ancien{index}")
    type(oldest).objects.filter(pk=oldest.pk).update(updated_at=oldest.updated_at)
    with afresh() as large:
        page = rows(client)
    assert "13 ménages" in page and "Recent" not in page
    assert len(large) == len(small)
    assert not any("OFFSET" in q["sql"] for q in large.captured_queries)


def test_the_same_number_of_queries_for_2_or_12_households(client, flow):
    client.force_login(flow.cesf)
    for index in range(2):
        supported(flow, name=f"Petit{index}")
    rows(client)
    with afresh() as few:
        rows(client)
    for index in range(10):
        supported(flow, kind="solvency", name=f"Grand{index}")
    with afresh() as many:
        page = rows(client)
    assert "Grand9" in page
    assert len(many) == len(few)


def test_a_referent_named_since_the_choices_were_read(client, flow, settings):
    """The referent filter's choices are read at most REFERENT_CHOICES_SECONDS ago; a row
    names its referent at once all the same, and the filter offers them after that time."""
    client.force_login(flow.cesf)

    def choices(page: str) -> list[str]:
        select = page.split('<select name="referent">', 1)[1:] or [""]
        return re.findall(r'<option value="(\d+)"', select[0].split("</select>")[0])

    assert str(flow.caseworker.pk) not in choices(rows(client))
    supported(flow, name="Nouveaureferent")
    page = rows(client)
    line = page[page.index("Nouveaureferent") :].split("</tr>")[0]
    assert f"référent : {flow.caseworker}" in html.unescape(line)
    later = time.time() + settings.REFERENT_CHOICES_SECONDS + 1
    with time_machine.travel(later):
        assert str(flow.caseworker.pk) in choices(rows(client))


def summoned(flow, household, *, hearing_on) -> None:
    """The household summoned today, heard on `hearing_on` (its procedure, by the CESF)."""
    procedure = action_services.procedure_open(household=household, by=flow.cesf)
    action_services.procedure_update(
        procedure=procedure,
        by=flow.cesf,
        data={"summons_on": timezone.localdate(), "hearing_on": hearing_on},
        expected_version=procedure.version,
    )


def test_the_next_deadline_is_the_earliest_hearing_appointment_or_measure_end(client, flow):
    """« Prochaine échéance »: an appointment in 3 days comes before its measure's end,
    which is still said; a hearing in 10 days before a measure's end; a cancelled
    appointment is no deadline."""
    _, measure = supported(flow, name="Avecrendezvous")
    in_three_days = timezone.localdate() + timedelta(days=3)
    AppointmentFactory(measure=measure, on=in_three_days, kind="home_visit")
    heard, other = supported(flow, kind="solvency", name="Avecaudience")
    in_ten_days = timezone.localdate() + timedelta(days=10)
    summoned(flow, heard, hearing_on=in_ten_days)
    AppointmentFactory(measure=other, on=in_three_days, cancelled=True)
    _, plain = supported(flow, kind="solvency", name="Sansrendezvous")
    client.force_login(flow.cesf)
    page = html.unescape(rows(client))
    line = {n: page[page.index(n) :].split("</tr>")[0] for n in ("Avecr", "Avecau", "Sans")}
    assert f"rendez-vous (visite à domicile) le {in_three_days:%d/%m/%Y}" in line["Avecr"]
    assert f"fin de mesure le {measure.ends_on:%d/%m/%Y}" in line["Avecr"]
    assert f"audience le {in_ten_days:%d/%m/%Y}" in line["Avecau"]
    assert "rendez-vous" not in line["Avecau"]
    assert f"fin de mesure le {plain.ends_on:%d/%m/%Y}" in line["Sans"]


def test_the_next_deadline_is_read_from_the_day_the_page_is_seen(client, flow):
    """The rows' SQL is written once a day per process (cases.caseload.page_rows): on a
    later day the page reads from that day, and a hearing passed is no more the next
    deadline."""
    heard, measure = supported(flow, kind="solvency", name="Avecaudience")
    tomorrow = timezone.localdate() + timedelta(days=1)
    summoned(flow, heard, hearing_on=tomorrow)

    def line() -> str:
        client.force_login(flow.cesf)
        page = html.unescape(rows(client))
        return page[page.index("Avecau") :].split("</tr>")[0]

    assert f"audience le {tomorrow:%d/%m/%Y}" in line()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        later = line()
    assert "audience le" not in later
    assert f"fin de mesure le {measure.ends_on:%d/%m/%Y}" in later
