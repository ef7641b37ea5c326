"""Every demo user against every API endpoint and method; expectations written out."""

import pytest
from django.utils import timezone

from actions.models import SupportMeasure
from codecision.models import CoDecision
from funding.models import LedgerEntry
from households.models import Household
from partners.models import Partner
from tests.api.test_api import api_for
from tests.demo_access import SEES_BENALI, SEES_MARTIN, SEES_NGUYEN, USERS

FUNDER = "funder.fondation"
SOCIAL_WORKERS = {u for u in USERS if u.startswith(("cesf.", "caseworker."))}
EDITS_MARTIN = {"coordinator.lt", "cesf.actis"}
BUDGET = {"coordinator.lt", FUNDER} | {u for u in USERS if u.startswith("manager.")}
SEES_OPAC38_MONEY = {"coordinator.lt", FUNDER, "manager.opac38"}
ANSWERS_BENALI = {"cesf.actis", "manager.actis", "caseworker.ulisse", "manager.ulisse"}


def within(username: str, sees: set, allowed: set, ok: int) -> int:
    if username not in sees:
        return 404
    return ok if username in allowed else 403


def expected(username: str) -> dict[str, int]:
    caseload = 403 if username == FUNDER else 200
    return {
        "GET partners": 200,
        "GET households": caseload,
        "POST households": 201 if username in SOCIAL_WORKERS else 403,
        "GET household": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "PATCH household": within(username, SEES_MARTIN, EDITS_MARTIN, 200),
        "GET diagnostics": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "POST diagnostics": within(username, SEES_MARTIN, {"cesf.actis"}, 201),
        "GET summary pdf": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "GET orientations": caseload,
        "POST orientations": within(username, SEES_MARTIN, {"cesf.actis"}, 201),
        "GET codecisions": caseload,
        "GET codecision": within(username, SEES_BENALI, SEES_BENALI, 200),
        "POST codecision adjourn": (
            400
            if username == "coordinator.lt"
            else within(username, SEES_BENALI, ANSWERS_BENALI, 200)
        ),
        "GET measures": caseload,
        "GET measure": within(username, SEES_NGUYEN, SEES_NGUYEN, 200),
        "POST measure renewal": within(username, SEES_NGUYEN, {"caseworker.oiseaubleu"}, 201),
        "POST measure close": within(
            username, SEES_NGUYEN, {"caseworker.oiseaubleu", "coordinator.lt"}, 200
        ),
        "GET follow-ups": caseload,
        "POST follow-ups": within(
            username, SEES_NGUYEN, {"cesf.opac38", "caseworker.oiseaubleu"}, 201
        ),
        "GET notifications": 200,
        "GET ledger": 200 if username in BUDGET else 403,
        "GET ledger entry": (
            403 if username not in BUDGET else 200 if username in SEES_OPAC38_MONEY else 404
        ),
        "GET ledger figures": 200 if username in BUDGET else 403,
    }


@pytest.mark.parametrize("username", USERS)
def test_api_access_matrix(demo, username):
    api = api_for(demo[username])
    martin = Household.objects.get(name="Martin")
    nguyen = Household.objects.get(name="Nguyen")
    measure = SupportMeasure.objects.get(action__household=nguyen)
    benali = CoDecision.objects.get(action__household__name="Benali", purpose="start")
    today = timezone.localdate().isoformat()
    opac38_entry = LedgerEntry.objects.filter(year=2016, partner__short_name="opac38").first()
    calls = {
        "GET partners": lambda: api.get("/api/partners/"),
        "GET households": lambda: api.get("/api/households/"),
        "POST households": lambda: api.post(
            "/api/households/", {"name": "Nouveau", "housing_status": "applicant"}, format="json"
        ),
        "GET household": lambda: api.get(f"/api/households/{martin.pk}/"),
        "PATCH household": lambda: api.patch(
            f"/api/households/{martin.pk}/",
            {"city": "Grenoble", "version": martin.version},
            format="json",
        ),
        "GET diagnostics": lambda: api.get(f"/api/households/{martin.pk}/diagnostics/"),
        "POST diagnostics": lambda: api.post(
            f"/api/households/{martin.pk}/diagnostics/",
            {"made_on": today, "persons": 2, "rent": "500.00", "conclusion": "À suivre."},
            format="json",
        ),
        "GET summary pdf": lambda: api.get(f"/api/households/{martin.pk}/resume-pdf/"),
        "GET orientations": lambda: api.get("/api/orientations/"),
        "POST orientations": lambda: api.post(
            "/api/orientations/",
            {
                "household": martin.pk,
                "kind": "energy",
                "association": Partner.objects.get(short_name="ulisse").pk,
                "diagnostic": martin.diagnostics.first().pk,
                "reason": "Énergie.",
            },
            format="json",
        ),
        "GET codecisions": lambda: api.get("/api/codecisions/"),
        "GET codecision": lambda: api.get(f"/api/codecisions/{benali.pk}/"),
        "POST codecision adjourn": lambda: api.post(
            f"/api/codecisions/{benali.pk}/adjourn/", {"comment": "À revoir."}, format="json"
        ),
        "GET measures": lambda: api.get("/api/measures/"),
        "GET measure": lambda: api.get(f"/api/measures/{measure.pk}/"),
        "POST measure renewal": lambda: api.post(
            f"/api/measures/{measure.pk}/renewal/", {}, format="json"
        ),
        "POST measure close": lambda: api.post(
            f"/api/measures/{measure.pk}/close/", {"outcome": "stayed"}, format="json"
        ),
        "GET follow-ups": lambda: api.get("/api/follow-ups/"),
        "POST follow-ups": lambda: api.post(
            "/api/follow-ups/",
            {"household": nguyen.pk, "happened_on": today, "kind": "phone", "summary": "Appel."},
            format="json",
        ),
        "GET notifications": lambda: api.get("/api/notifications/"),
        "GET ledger": lambda: api.get("/api/ledger/", {"year": 2016}),
        "GET ledger entry": lambda: api.get(f"/api/ledger/{opac38_entry.pk}/"),
        "GET ledger figures": lambda: api.get("/api/ledger/figures/", {"year": 2016}),
    }
    outcomes = {name: call().status_code for name, call in calls.items()}
    assert outcomes == expected(username)
