"""The REST API: tokens, the whole case through HTTP, errors, query counts, docs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actions import services
from actions.services import SECOND_RENEWAL_MESSAGE
from codecision.models import CoDecision
from households.models import Household
from partners.models import ApiToken, Partner
from tests.factories import household_create
from tests.helpers import api_for


def test_tokens_are_stored_hashed_and_revocation_shuts_the_door(client, flow):
    token, secret = ApiToken.objects.create_for(user=flow.cesf, name="Logiciel locatif")
    assert secret not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/households/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/households/").status_code == 200
    client.force_login(flow.cesf)
    client.post(reverse("token_revoke", args=[token.pk]))
    assert api.get("/api/households/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token lt_inconnu")
    assert api.get("/api/households/").status_code == 401
    assert APIClient().get("/api/households/").status_code == 401


def test_profile_page_shows_a_new_secret_once(client, flow):
    client.force_login(flow.caseworker)
    page = client.post(
        reverse("profile"),
        {"name": "Tableau de bord", "expires_in_days": "90", "password": settings.DEMO_PASSWORD},
    ).content.decode()
    token = ApiToken.objects.get(user=flow.caseworker)
    secret = page.split('<code class="secret">')[1].split("</code>")[0]
    assert ApiToken.hash(secret) == token.key_hash
    assert secret not in client.get(reverse("profile")).content.decode()
    other = ApiToken.objects.create_for(user=flow.cesf, name="autre")[0]
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404


def test_the_whole_case_through_the_api(flow):
    today = timezone.localdate()
    cesf, caseworker = api_for(flow.cesf), api_for(flow.caseworker)
    response = cesf.post(
        "/api/households/",
        {
            "name": "Lambert",
            "housing_status": "tenant",
            "landlord": flow.landlord.pk,
            "city": "Grenoble",
            "members": [{"first_name": "Anne", "last_name": "LAMBERT", "relationship": "head"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    household = response.data["id"]
    assert response.data["reference"].startswith(f"LT-{today.year}-")
    response = cesf.post(
        f"/api/households/{household}/diagnostics/",
        {
            "made_on": today.isoformat(),
            "persons": 1,
            "income_work": "1200.00",
            "rent": "450.00",
            "energy_costs": "180.00",
            "conclusion": "Factures d'énergie trop lourdes.",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["effort_rate"] == "37.5"
    diagnostic = response.data["id"]
    response = cesf.post(
        "/api/orientations/",
        {
            "household": household,
            "kind": "energy",
            "association": flow.association.pk,
            "diagnostic": diagnostic,
            "reason": "Logement énergivore.",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    codecision = response.data["codecision_id"]
    assert cesf.post(f"/api/codecisions/{codecision}/approve/", {}).status_code == 200
    # Opened a week ago: a measure starts no earlier than its co-decision's opening.
    CoDecision.objects.filter(pk=codecision).update(opened_at=timezone.now() - timedelta(days=7))
    response = caseworker.post(
        f"/api/codecisions/{codecision}/approve/",
        {"referent": flow.caseworker.pk, "starts_on": (today - timedelta(days=5)).isoformat()},
        format="json",
    )
    assert response.data["status"] == "approved"
    [measure] = caseworker.get("/api/measures/", {"status": "active"}).data["results"]
    assert measure["household"] == household and measure["renewal_count"] == 0
    for summary in ("Visite à domicile.", "Appel de suivi."):
        response = caseworker.post(
            "/api/follow-ups/",
            {
                "household": household,
                "measure": measure["id"],
                "happened_on": today.isoformat(),
                "kind": "home_visit",
                "summary": summary,
            },
            format="json",
        )
        assert response.status_code == 201, response.data
    follow_ups = caseworker.get("/api/follow-ups/", {"household": household}).data
    assert follow_ups["count"] == 2
    response = caseworker.post(
        f"/api/measures/{measure['id']}/renewal/", {"comment": "Audience à venir."}, format="json"
    )
    assert response.status_code == 201
    renewal = response.data["id"]
    cesf.post(f"/api/codecisions/{renewal}/approve/", {})
    caseworker.post(f"/api/codecisions/{renewal}/approve/", {})
    assert caseworker.get(f"/api/measures/{measure['id']}/").data["renewal_count"] == 1
    response = caseworker.post(
        f"/api/measures/{measure['id']}/renewal/", {"comment": "Audience à venir."}, format="json"
    )
    assert response.status_code == 400
    assert SECOND_RENEWAL_MESSAGE in str(response.data)
    response = caseworker.post(
        f"/api/measures/{measure['id']}/close/", {"outcome": "stayed"}, format="json"
    )
    assert response.status_code == 200 and response.data["status"] == "closed"
    pdf = caseworker.get(f"/api/households/{household}/resume-pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_errors_are_400_with_fields_and_hidden_objects_404(flow, other_association):
    from tests.factories import user_create

    cesf = api_for(flow.cesf)
    response = cesf.post(
        "/api/households/", {"name": "Sans bailleur", "housing_status": "tenant"}, format="json"
    )
    assert response.status_code == 400
    assert "landlord" in response.data
    household = household_create(by=flow.cesf)
    outsider = api_for(user_create("caseworker", partner=other_association))
    assert outsider.get(f"/api/households/{household.pk}/").status_code == 404
    assert outsider.get("/api/households/999999999/").status_code == 404
    response = cesf.patch(
        f"/api/households/{household.pk}/", {"name": "X", "version": 99}, format="json"
    )
    assert response.status_code == 400
    assert "modifié par quelqu'un d'autre" in str(response.data)
    assert Household.objects.get(pk=household.pk).name != "X"


def test_confidential_follow_ups_never_leave_the_authors_partner(demo):
    nguyen = Household.objects.get(name="Nguyen")
    own = api_for(demo["caseworker.oiseaubleu"]).get("/api/follow-ups/", {"household": nguyen.pk})
    other = api_for(demo["cesf.opac38"]).get("/api/follow-ups/", {"household": nguyen.pk})
    coordinator = api_for(demo["coordinator.lt"]).get("/api/follow-ups/", {"household": nguyen.pk})
    summaries = lambda r: {f["summary"] for f in r.data["results"]}  # noqa: E731
    assert any("Situation familiale" in s for s in summaries(own))
    assert not any("Situation familiale" in s for s in summaries(other))
    assert not any("Situation familiale" in s for s in summaries(coordinator))
    assert summaries(other) < summaries(own)


@pytest.mark.parametrize(
    "url",
    [
        "/api/households/",
        "/api/orientations/",
        "/api/codecisions/",
        "/api/measures/",
        "/api/follow-ups/",
        "/api/notifications/",
    ],
)
def test_list_query_counts_do_not_grow_with_the_data(
    flow, url, django_assert_max_num_queries, django_assert_num_queries
):
    from notifications.services import notify
    from tests.factories import both_approve, orientation_create

    api = api_for(flow.caseworker)

    def grow():
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
        )
        services.follow_up_create(
            household=orientation.household,
            by=flow.caseworker,
            measure=orientation.action.measures.get(),
            data={"happened_on": timezone.localdate(), "kind": "phone", "summary": "Appel."},
        )
        notify(
            recipients=[flow.caseworker],
            kind="codecision_opened",
            text=f"{orientation.household.reference} : mesure ouverte.",
            household=orientation.household,
        )

    grow()
    api.get(url)
    with django_assert_max_num_queries(12) as first:
        assert api.get(url).status_code == 200
    for _ in range(4):
        grow()
    with django_assert_num_queries(len(first.captured_queries)):
        body = api.get(url).data
        assert body.get("count", len(body["results"])) >= 5


def test_docs_are_served_without_a_cdn(client, flow):
    client.force_login(flow.cesf)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["info"]["title"].startswith("Le logement toujours")
    assert "/api/measures/{id}/renewal/" in schema["paths"]
    renewal = schema["paths"]["/api/measures/{id}/renewal/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404"} <= set(renewal)
    assert schema["paths"]["/api/households/"]["get"]["responses"]["403"]["description"] == (
        "Votre rôle ne permet pas cette action"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/households/?landlord=²",
        "/api/measures/?partner=²",
        "/api/follow-ups/?household=²",
        "/api/ledger/?partner=²&year=²",
        "/api/ledger/figures/?year=²",
        "/api/households/?landlord=99999999999999999999",
        "/api/follow-ups/?measure=99999999999999999999",
    ],
)
def test_odd_filters_filter_nothing_and_never_break(demo, url):
    assert api_for(demo["coordinator.lt"]).get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/households/99999999999999999999/",
        "/api/households/9999999999999999999/diagnostics/",
        "/api/households/999999999999999999/resume-pdf/",
        "/api/households/²/",
        "/api/partners/99999999999999999999/",
        "/api/notifications/99999999999999999999/read/",
    ],
)
def test_ids_out_of_range_are_not_found(demo, url):
    api = api_for(demo["coordinator.lt"])
    response = api.post(url) if url.endswith("read/") else api.get(url)
    assert response.status_code == 404


def test_ids_out_of_range_in_a_body_are_field_errors(demo):
    api = api_for(demo["caseworker.oiseaubleu"])
    response = api.post(
        "/api/follow-ups/",
        {"household": 99999999999999999999, "happened_on": "2026-01-05", "kind": "phone"},
        format="json",
    )
    assert response.status_code == 400 and "household" in response.json()


def test_a_cesf_cannot_hand_martin_over_to_another_landlord_through_the_api(demo):
    martin = Household.objects.get(name="Martin")
    opac38 = Partner.objects.get(short_name="opac38")
    response = api_for(demo["cesf.actis"]).patch(
        f"/api/households/{martin.pk}/",
        {"landlord": opac38.pk, "version": martin.version},
        format="json",
    )
    assert response.status_code == 400 and "landlord" in response.json()
    assert api_for(demo["cesf.opac38"]).get(f"/api/households/{martin.pk}/").status_code == 404


def test_the_apis_steps_keep_the_rules_the_forms_keep(flow, other_association):
    """Each refusal comes from the service both the page and the API call."""
    from codecision import services as codecision_services
    from tests.factories import both_approve, diagnostic_create, orientation_create

    # An inactive association is no longer offered, nor accepted.
    other_association.active = False
    other_association.save()
    household = household_create(by=flow.cesf)
    diagnostic_create(household=household, by=flow.cesf, made_on=timezone.localdate())
    response = api_for(flow.cesf).post(
        "/api/orientations/",
        {
            "household": household.pk,
            "kind": "energy",
            "association": other_association.pk,
            "diagnostic": household.diagnostics.get().pk,
            "reason": "Énergie.",
        },
        format="json",
    )
    assert response.status_code == 400 and "association" in response.json()

    # A follow-up goes on a measure in progress, not on a closed one.
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    measure = orientation.action.measures.get()
    caseworker = api_for(flow.caseworker)
    stale = caseworker.post(
        f"/api/measures/{measure.pk}/close/",
        {"outcome": "stayed", "version": measure.version - 1},
        format="json",
    )
    assert stale.status_code == 400 and "modifiée par quelqu'un d'autre" in str(stale.json())
    closed = caseworker.post(
        f"/api/measures/{measure.pk}/close/",
        {"outcome": "stayed", "version": measure.version},
        format="json",
    )
    assert closed.status_code == 200
    # The landlord is still involved (the association only reads now, households.involvement).
    response = api_for(flow.cesf).post(
        "/api/follow-ups/",
        {
            "household": orientation.household.pk,
            "measure": measure.pk,
            "happened_on": timezone.localdate().isoformat(),
            "kind": "phone",
            "summary": "Appel.",
        },
        format="json",
    )
    assert response.status_code == 400 and "measure" in response.json()

    # A household is changed from the version one has read.
    response = api_for(flow.cesf).patch(
        f"/api/households/{household.pk}/", {"city": "Voiron"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()

    # Once a committee's minutes are signed, nobody answers in its name.
    waiting = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = waiting.action.codecisions.get()
    session = codecision_services.committee_session_create(
        by=flow.coordinator, held_on=timezone.localdate(), codecisions=[codecision]
    )
    codecision_services.committee_session_sign_off(
        session=session, by=flow.coordinator, adjourned=[codecision]
    )
    response = api_for(flow.coordinator).post(
        f"/api/codecisions/{codecision.pk}/adjourn/",
        {"side": "landlord", "session": session.pk, "comment": "Revu."},
        format="json",
    )
    assert response.status_code == 400 and "session" in response.json()


def test_ids_of_other_households_cannot_be_told_from_missing_ones(demo):
    """Naming another household's measure or diagnostic says no more than a missing id."""
    from actions.models import SupportMeasure

    benali = Household.objects.get(name="Benali")
    nguyen_measure = SupportMeasure.objects.get(action__household__name="Nguyen")
    caseworker = api_for(demo["caseworker.ulisse"])
    answers = [
        caseworker.post(
            "/api/follow-ups/",
            {
                "household": benali.pk,
                "measure": measure,
                "happened_on": timezone.localdate().isoformat(),
                "kind": "phone",
            },
            format="json",
        )
        for measure in (nguyen_measure.pk, 999999999)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()


def test_the_api_answers_json_only(demo):
    response = api_for(demo["cesf.actis"]).get("/api/orientations/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406 or response["Content-Type"].startswith("application/json")
    assert b"<select" not in response.content


def test_members_are_changed_by_their_id_and_never_duplicated(flow, other_association):
    household = household_create(by=flow.cesf, members=2)
    api = api_for(flow.cesf)
    read = api.get(f"/api/households/{household.pk}/").json()
    members = read["members"]
    members[0]["occupation"] = "Aide-soignante"
    response = api.patch(
        f"/api/households/{household.pk}/",
        {"members": members, "version": read["version"]},
        format="json",
    )
    assert response.status_code == 200
    assert household.members.count() == 2
    assert household.members.get(pk=members[0]["id"]).occupation == "Aide-soignante"
    stranger = household_create(by=flow.cesf).members.first()
    response = api.patch(
        f"/api/households/{household.pk}/",
        {"members": [{"id": stranger.pk, "first_name": "X"}], "version": read["version"] + 1},
        format="json",
    )
    assert response.status_code == 400 and "members" in response.json()
    stranger.refresh_from_db()
    assert stranger.first_name != "X"


def _all(api, url, **params) -> list[dict]:
    rows, page = [], 1
    while True:
        response = api.get(url, {**params, "page": page})
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


def test_list_filters_keep_only_what_they_name(demo):
    from partners.models import PartnerKind

    api = api_for(demo["coordinator.lt"])
    ulisse = Partner.objects.get(short_name="ulisse").pk
    oiseau = Partner.objects.get(short_name="oiseaubleu").pk
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    checks = [
        ("/api/orientations/", {"kind": "energy"}, lambda r: r["kind"] == "energy"),
        (
            "/api/orientations/",
            {"partner": ulisse},
            lambda r: ulisse in (r["association"], r["landlord"]),
        ),
        ("/api/codecisions/", {"purpose": "renewal"}, lambda r: r["purpose"] == "renewal"),
        (
            "/api/codecisions/",
            {"partner": ulisse},
            lambda r: ulisse in (r["association"], r["landlord"]),
        ),
        ("/api/follow-ups/", {"kind": "home_visit"}, lambda r: r["kind"] == "home_visit"),
        ("/api/follow-ups/", {"partner": oiseau}, lambda r: r["author_partner"] == oiseau),
        ("/api/measures/", {"status": "active"}, lambda r: r["status"] == "active"),
        ("/api/measures/", {"kind": "energy"}, lambda r: r["kind"] == "energy"),
        (
            "/api/partners/",
            {"kind": "association"},
            lambda r: r["kind"] == PartnerKind.ASSOCIATION,
        ),
    ]
    for url, params, keeps in checks:
        everything, kept = _all(api, url), _all(api, url, **params)
        assert kept and len(kept) < len(everything), (url, params)
        assert all(keeps(row) for row in kept), (url, params)
    for url in ("/api/households/", "/api/orientations/", "/api/codecisions/", "/api/follow-ups/"):
        assert _all(api, url, since=tomorrow) == [], url
        assert len(_all(api, url, until=tomorrow)) == len(_all(api, url)), url


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/measures/", "ends_on"),
        ("/api/follow-ups/", "happened_on"),
        ("/api/households/", "reference"),
        ("/api/partners/", "name"),
    ],
)
def test_lists_are_ordered_as_asked(demo, url, field):
    api = api_for(demo["coordinator.lt"])
    for ordering, descending in ((field, False), (f"-{field}", True)):
        values = [row[field] for row in _all(api, url, ordering=ordering)]
        assert len(values) > 2 and values == sorted(values, reverse=descending)
