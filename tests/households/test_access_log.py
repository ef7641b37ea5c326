"""The access log: every read of case content, in pages and the API; refusals limited per
user; the coordinators' page and its filters (docs/DESIGN.md section 5)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Appointment, Dwelling, SupportMeasure
from actions.services import outreach_request_create, procedure_open
from codecision.models import CoDecision
from documents import services as document_services
from households.models import AccessAction, AccessLogEntry, Household
from partners.models import Partner, Role
from tests.documents import samples
from tests.factories import household_create, orientation_create, user_create
from tests.helpers import api_for

# Every GET operation of the API, and how its answer reaches case content: "list" (the
# households of the page's rows), "view" or "export" (one household), or why it holds none.
# A new endpoint fails test_every_api_read_of_case_content_is_written_to_the_access_log
# until it is written here.
CASE_READS = {
    "/api/households/": "list",
    "/api/households/{id}/": "view",
    "/api/households/{id}/diagnostics/": "view",
    "/api/households/{id}/resume-pdf/": "export",
    "/api/households/{id}/procedure/": "view",
    "/api/orientations/": "list",
    "/api/codecisions/": "list",
    "/api/codecisions/{id}/": "view",
    "/api/measures/": "list",
    "/api/measures/{id}/": "view",
    "/api/measures/{id}/rent-reductions/": "view",
    "/api/follow-ups/": "list",
    "/api/documents/": "list",
    "/api/documents/{id}/": "view",
    "/api/documents/{id}/download/": "export",
    # The associations' register: an occupied dwelling names its household.
    "/api/dwellings/": "list",
    "/api/dwellings/{id}/": "view",
    "/api/appointments/": "list",
    "/api/appointments/{id}/": "view",
    # A request names its household and says why the landlord asks.
    "/api/outreach-requests/": "list",
    "/api/outreach-requests/{id}/": "view",
}
NO_CASE_CONTENT = {
    "/api/partners/": "the programme's organisations",
    "/api/partners/{id}/": "the programme's organisations",
    "/api/notifications/": "the user's own notices: a reference and an event",
    "/api/notifications/{id}/": "the user's own notices: a reference and an event",
    "/api/ledger/": "money lines: a reference and amounts, no name nor situation",
    "/api/ledger/{id}/": "money lines: a reference and amounts, no name nor situation",
    "/api/ledger/figures/": "the year's totals",
    "/api/ledger/totals/": "totals per month, kind and partner (what funders read)",
    "/api/statistics/": "aggregate indicators, small cells hidden",
}


def new_entries(after: int):
    return AccessLogEntry.objects.filter(pk__gt=after).order_by("pk")


def last_entry_pk() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def log_inserts(queries) -> int:
    return sum(
        1 for query in queries if query["sql"].startswith('INSERT INTO "households_accesslogentry"')
    )


def households_in(data, path: str) -> set[int]:
    rows = data["results"]
    key = {"/api/households/": "id", "/api/dwellings/": "occupant"}.get(path, "household")
    return {row[key] for row in rows if row[key] is not None}


def test_every_api_read_of_case_content_is_written_to_the_access_log(client, demo):
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    reads = {path for path, operations in schema["paths"].items() if "get" in operations}
    assert reads == set(CASE_READS) | set(NO_CASE_CONTENT)

    nguyen = Household.objects.get(name="Nguyen")
    procedure_open(household=nguyen, by=demo["cesf.opac38"])
    occupied = Dwelling.objects.with_occupant().filter(occupant_id__isnull=False).first()
    ids = {
        "/api/households/": nguyen.pk,
        "/api/codecisions/": CoDecision.objects.get(household__name="Benali", purpose="start").pk,
        "/api/measures/": SupportMeasure.objects.get(action__household=nguyen).pk,
        "/api/documents/": document_services.document_create(
            household=nguyen,
            by=demo["caseworker.oiseaubleu"],
            uploads=[SimpleUploadedFile("fsl.pdf", samples.pdf())],
            kind="fsl_decision",
            title="Décision FSL",
            dated_on=date(2026, 1, 2),
        )[0].pk,
        "/api/dwellings/": occupied.pk,
        "/api/appointments/": Appointment.objects.filter(household=nguyen).first().pk,
        "/api/outreach-requests/": outreach_request_create(
            household=nguyen,
            by=demo["cesf.opac38"],
            association=Partner.objects.get(name="Relais Ozanam"),
            reason="Le locataire ne répond plus aux courriers depuis l'été.",
        ).pk,
    }
    api = api_for(coordinator)
    for path, kind in CASE_READS.items():
        base = path.split("{id}")[0]
        url = path.replace("{id}", str(ids[base])) if "{id}" in path else path
        before = last_entry_pk()
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
        entries = list(new_entries(before))
        if kind == "list":
            shown = households_in(response.data, path)
            assert shown, f"{url}: the demo should list something"
            assert sorted(e.household_id for e in entries) == sorted(shown), url
            assert log_inserts(queries.captured_queries) == 1, f"{url}: one insert"
        else:
            household = ids[path.split("{id}")[0]]
            expected_household = (
                household
                if base == "/api/households/"
                else (
                    CoDecision.objects.get(pk=household).household_id
                    if base == "/api/codecisions/"
                    else nguyen.pk
                    if base in ("/api/documents/", "/api/appointments/", "/api/outreach-requests/")
                    else occupied.occupant_id
                    if base == "/api/dwellings/"
                    else SupportMeasure.objects.get(pk=household).action.household_id
                )
            )
            assert [e.household_id for e in entries] == [expected_household], url
        assert {(e.user, e.partner, e.action, e.path) for e in entries} == {
            (coordinator, coordinator.partner, kind, url)
        }, url


@pytest.mark.parametrize(
    "url", ["/api/follow-ups/", "/api/orientations/", "/api/codecisions/", "/api/measures/"]
)
def test_a_partner_listing_case_records_leaves_one_entry_per_household(demo, url):
    """The lists that left no trace: a partner reading them leaves one entry per household
    it read, and none for the households it cannot see."""
    user = demo["caseworker.oiseaubleu"]
    before = last_entry_pk()
    response = api_for(user).get(url)
    assert response.status_code == 200
    entries = list(new_entries(before))
    shown = households_in(response.data, url)
    assert shown and {e.household_id for e in entries} == shown
    assert len(entries) == len(shown)
    assert shown <= set(Household.objects.visible_to(user).values_list("pk", flat=True))


def test_the_pages_that_list_households_write_each_one_in_one_insert(client, demo):
    coordinator = demo["coordinator.lt"]
    client.force_login(coordinator)
    session = CoDecision.objects.filter(session__isnull=False).first().session
    pages = {
        reverse("households:list"): Household.objects.count(),
        reverse("codecision:pending"): None,
        reverse("actions:measure_overview"): None,
        reverse("codecision:session_detail", args=[session.pk]): None,
    }
    for url, count in pages.items():
        before = last_entry_pk()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        entries = list(new_entries(before))
        assert entries, url
        assert log_inserts(queries.captured_queries) == 1, url
        assert {e.action for e in entries} == {AccessAction.LIST}
        assert len({e.household_id for e in entries}) == len(entries)
        for entry in entries:
            assert entry.household.reference in page, url
            # Who, from which partner, on which page, when: as any other entry.
            assert (entry.user, entry.partner, entry.path) == (
                coordinator,
                coordinator.partner,
                url.split("?")[0],
            )
            assert (entry.household_pk, entry.count) == (entry.household_id, 1)
            assert abs((timezone.now() - entry.at).total_seconds()) < 60
        if count is not None:
            assert len(entries) == min(count, 50)


# --- Refused attempts are limited per user ------------------------------------------------


@pytest.fixture
def outsider_and_hidden(db, settings):
    settings.ACCESS_REFUSALS_PER_MINUTE = 3
    owner = user_create(Role.CESF)
    outsider = user_create(Role.CESF)
    hidden = [household_create(by=owner, name=f"Caché{i}") for i in range(6)]
    own = household_create(by=outsider, name="Visible")
    return outsider, hidden, own


def test_refusals_beyond_the_limit_get_429_and_are_counted_in_one_entry(
    client, outsider_and_hidden
):
    outsider, hidden, own = outsider_and_hidden
    client.force_login(outsider)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        codes = [client.get(reverse("households:detail", args=[h.pk])).status_code for h in hidden]
        assert codes == [404, 404, 404, 429, 429, 429]
        refused = client.get(reverse("households:edit", args=[hidden[0].pk]))
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        assert "Trop d'accès refusés" in refused.content.decode()
        # What the user may see still opens.
        assert client.get(reverse("households:detail", args=[own.pk])).status_code == 200
    entries = AccessLogEntry.objects.filter(user=outsider).exclude(action=AccessAction.VIEW)
    assert sorted(entries.values_list("action", "count")) == sorted(
        [("denied", 1)] * 3 + [("throttled", 4)]
    )
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert client.get(reverse("households:detail", args=[hidden[5].pk])).status_code == 404
    assert AccessLogEntry.objects.filter(user=outsider, action="denied").count() == 4


def test_the_api_limits_refusals_the_same_way(outsider_and_hidden):
    outsider, hidden, own = outsider_and_hidden
    api = api_for(outsider)
    with time_machine.travel(timezone.now(), tick=False):
        codes = [api.get(f"/api/households/{h.pk}/").status_code for h in hidden[:4]]
        assert codes == [404, 404, 404, 429]
        response = api.get(f"/api/households/{hidden[4].pk}/diagnostics/")
        assert response.status_code == 429 and response["Retry-After"] == "60"
        assert response.json()["detail"].startswith("Trop d'accès refusés en une minute")
        assert api.get(f"/api/households/{own.pk}/").status_code == 200
        # Ids of nothing at all count as refusals too.
        assert api.get("/api/measures/999999999/").status_code == 429
    throttled = AccessLogEntry.objects.get(user=outsider, action="throttled")
    assert throttled.count == 3
    assert AccessLogEntry.objects.filter(user=outsider, action="denied").count() == 3


def test_other_users_are_not_held_back_by_someone_elses_refusals(client, outsider_and_hidden):
    outsider, hidden, _ = outsider_and_hidden
    owner_partner_user = user_create(Role.CESF, partner=hidden[0].created_by_partner)
    api = api_for(outsider)
    with time_machine.travel(timezone.now(), tick=False):
        for household in hidden:
            api.get(f"/api/households/{household.pk}/")
        client.force_login(owner_partner_user)
        assert client.get(reverse("households:detail", args=[hidden[0].pk])).status_code == 200


def test_the_429_answer_is_documented_in_the_schema(client, flow):
    client.force_login(flow.cesf)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["paths"]["/api/households/{id}/"]["get"]["responses"]
    assert "429" in detail
    assert "429" not in schema["paths"]["/api/households/"]["get"]["responses"]


# --- The coordinators' page and its filters -----------------------------------------------


@pytest.fixture
def log(db):
    """Entries of two partners' users on two households over three days."""
    cesf = user_create(Role.CESF)
    caseworker = user_create(Role.CASEWORKER)
    martin = household_create(by=cesf, name="Martin")
    orientation = orientation_create(cesf=cesf, association=caseworker.partner)
    other = orientation.household
    rows = [
        (cesf, martin.pk, "view", datetime(2026, 3, 1, 9)),
        (cesf, other.pk, "list", datetime(2026, 3, 2, 9)),
        (caseworker, other.pk, "view", datetime(2026, 3, 2, 23, 30)),
        (caseworker, martin.pk, "denied", datetime(2026, 3, 3, 0, 30)),
        (caseworker, 987654, "denied", datetime(2026, 3, 3, 10)),
    ]
    AccessLogEntry.objects.all().delete()
    for user, household_pk, action, at in rows:
        entry = AccessLogEntry.objects.create(
            user=user,
            partner=user.partner,
            household_id=household_pk if household_pk != 987654 else None,
            household_pk=household_pk,
            action=action,
            path=f"/menages/{household_pk}/",
        )
        local = timezone.make_aware(at)
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=local)
    return cesf, caseworker, martin, other


def listed(client, **filters) -> list[tuple[str, str]]:
    page = client.get(reverse("households:access_log"), filters)
    assert page.status_code == 200
    return [(e.user.username, e.action) for e in page.context["page"]]


def test_the_access_log_filters_by_user_partner_household_action_and_period(client, log):
    cesf, caseworker, martin, other = log
    client.force_login(user_create(Role.COORDINATOR))
    everything = listed(client)
    assert len(everything) == 5
    by_cesf = [(cesf.username, "list"), (cesf.username, "view")]
    assert listed(client, user=cesf.pk) == by_cesf
    assert listed(client, partner=cesf.partner.pk) == by_cesf
    assert [a for _, a in listed(client, household=martin.reference)] == ["denied", "view"]
    assert [a for _, a in listed(client, household=martin.reference.lower())] == [
        "denied",
        "view",
    ]
    assert listed(client, household="987654") == [(caseworker.username, "denied")]
    assert len(listed(client, action="denied")) == 2
    # A day in the Paris calendar: 23:30 on the 2nd stays on the 2nd, 00:30 on the 3rd too.
    assert listed(client, since="2026-03-02", until="2026-03-02") == [
        (caseworker.username, "view"),
        (cesf.username, "list"),
    ]
    assert listed(client, since="2026-03-03") == [(caseworker.username, "denied")] * 2
    assert listed(client, user=caseworker.pk, action="view", household=other.reference) == [
        (caseworker.username, "view")
    ]


def test_a_period_that_ends_before_it_starts_says_so(client, log):
    client.force_login(user_create(Role.COORDINATOR))
    page = client.get(
        reverse("households:access_log"), {"since": "2026-03-03", "until": "2026-03-01"}
    )
    assert page.status_code == 200
    assert "La fin de la période précède son début." in page.content.decode()
    assert not page.context["page"].object_list
    bad = client.get(reverse("households:access_log"), {"since": "31/02/2026", "user": "x"})
    assert bad.status_code == 200 and not bad.context["page"].object_list


def test_the_access_log_page_shows_partner_and_counted_refusals(client, log):
    _, caseworker, *_ = log
    AccessLogEntry.objects.create(
        user=caseworker,
        partner=caseworker.partner,
        household_pk=55,
        action="throttled",
        path="/menages/55/",
        count=17,
    )
    client.force_login(user_create(Role.COORDINATOR))
    page = client.get(reverse("households:access_log"), {"action": "throttled"}).content.decode()
    assert "Refus au-delà de la limite : 17 tentatives" in page
    assert caseworker.partner.name in page


def test_access_log_query_count_does_not_grow_with_entries(
    client, log, django_assert_max_num_queries, django_assert_num_queries
):
    cesf, *_ = log
    client.force_login(user_create(Role.COORDINATOR))
    url = reverse("households:access_log")
    with django_assert_max_num_queries(12) as first:
        client.get(url, {"partner": cesf.partner.pk})
    for index in range(30):
        household = household_create(by=cesf, name=f"Autre{index}")
        AccessLogEntry.objects.create(
            user=cesf,
            partner=cesf.partner,
            household=household,
            household_pk=household.pk,
            action="view",
            path="/",
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url, {"partner": cesf.partner.pk})
