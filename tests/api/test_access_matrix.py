"""Every demo user against every API endpoint and method; expectations written out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actions import services
from actions.models import Appointment, Dwelling, EvictionProcedure, SupportMeasure
from codecision.models import CoDecision
from funding.models import LedgerEntry
from households.models import Household
from notifications.services import notify
from partners.models import Partner
from tests.demo_access import (
    FUNDERS,
    INVOLVEMENT_STATES,
    SEES_BENALI,
    SEES_MARTIN,
    SEES_NGUYEN,
    SOCIAL_WORKERS,
    USERS,
    involvement_state,
)
from tests.helpers import api_for

EDITS_MARTIN = {"coordinator.lt", "cesf.actis"}
BUDGET = {"coordinator.lt", *FUNDERS} | {u for u in USERS if u.startswith("manager.")}
# Ledger lines name a household's reference: funders read the totals only.
LEDGER_LINES = BUDGET - FUNDERS
SEES_OPAC38_MONEY = {"coordinator.lt", "manager.opac38"}
STATISTICS = {"coordinator.lt", *FUNDERS} | {u for u in USERS if u.startswith("manager.")}
ANSWERS_BENALI = {"cesf.actis", "manager.actis", "caseworker.ulisse", "manager.ulisse"}
# Rousseau: an Opac38 tenant in action 2 with Ulisse Energie, with an eviction procedure.
SEES_ROUSSEAU = {
    "coordinator.lt",
    "cesf.opac38",
    "manager.opac38",
    "caseworker.ulisse",
    "manager.ulisse",
}
ASSOCIATIONS = {"oiseaubleu", "ozanam", "ulisse"}
READS_DWELLINGS = {"coordinator.lt"} | {u for u in USERS if u.split(".")[1] in ASSOCIATIONS}
KEEPS_DWELLINGS = READS_DWELLINGS - {"coordinator.lt"}


def within(username: str, sees: set, allowed: set, ok: int) -> int:
    if username not in sees:
        return 404
    return ok if username in allowed else 403


def expected(username: str) -> dict[str, int]:
    caseload = 403 if username in FUNDERS else 200
    return {
        "GET partners": 200,
        "GET households": caseload,
        "POST households": 201 if username in SOCIAL_WORKERS else 403,
        "GET household": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "PATCH household": within(username, SEES_MARTIN, EDITS_MARTIN, 200),
        "GET diagnostics": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "POST diagnostics": within(username, SEES_MARTIN, {"cesf.actis"}, 201),
        # Corrected by the partner that wrote it (Actis), through its CESF.
        "PATCH diagnostic": within(username, SEES_MARTIN, {"cesf.actis"}, 200),
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
        "GET measure rent reductions": within(username, SEES_NGUYEN, SEES_NGUYEN, 200),
        # A reduction is borne by the landlord: its CESF enters it.
        "POST measure rent reductions": within(username, SEES_NGUYEN, {"cesf.opac38"}, 201),
        "GET procedure": within(username, SEES_ROUSSEAU, SEES_ROUSSEAU, 200),
        "PATCH procedure": within(
            username, SEES_ROUSSEAU, {"cesf.opac38", "caseworker.ulisse"}, 200
        ),
        "POST procedure end": within(
            username, SEES_ROUSSEAU, {"cesf.opac38", "caseworker.ulisse"}, 400
        ),
        "POST procedure open": within(username, SEES_MARTIN, {"cesf.actis"}, 201),
        "GET dwellings": 200 if username in READS_DWELLINGS else 403,
        "POST dwellings": 201 if username in KEEPS_DWELLINGS else 403,
        "GET dwelling of oiseaubleu": (
            403
            if username not in READS_DWELLINGS
            else 200
            if username == "coordinator.lt" or username.endswith(".oiseaubleu")
            else 404
        ),
        "PATCH dwelling of oiseaubleu": (
            403
            if username not in KEEPS_DWELLINGS
            else 200
            if username.endswith(".oiseaubleu")
            else 404
        ),
        "POST measure renewal": within(username, SEES_NGUYEN, {"caseworker.oiseaubleu"}, 201),
        "POST measure close": within(
            username, SEES_NGUYEN, {"caseworker.oiseaubleu", "coordinator.lt"}, 200
        ),
        "GET follow-ups": caseload,
        # L'Oiseau Bleu closed its measure just before (« POST measure close »): its
        # involvement ended, it reads the case for INVOLVEMENT_GRACE_DAYS and no longer writes.
        "POST follow-ups": within(username, SEES_NGUYEN, {"cesf.opac38"}, 201),
        "POST codecision approve": (
            200
            if username in {"cesf.actis", "manager.actis"}
            else 400  # the association names the referent; a coordinator, the committee
            if username in SEES_BENALI
            else 404
        ),
        "POST codecision reject": (
            400 if username == "coordinator.lt" else within(username, SEES_BENALI, SEES_BENALI, 200)
        ),
        "GET appointments": caseload,
        "POST appointments": within(username, SEES_MARTIN, EDITS_MARTIN, 201),
        "GET appointment": within(username, SEES_MARTIN, SEES_MARTIN, 200),
        "PATCH appointment": within(username, SEES_MARTIN, EDITS_MARTIN, 200),
        "POST appointment cancel": within(username, SEES_MARTIN, EDITS_MARTIN, 200),
        # Held, it becomes a follow-up: the social workers who change the file.
        "POST appointment held": within(username, SEES_MARTIN, {"cesf.actis"}, 200),
        "GET notifications": 200,
        "GET notification of cesf.actis": 200 if username == "cesf.actis" else 404,
        "POST notification of cesf.actis read": 200 if username == "cesf.actis" else 404,
        "GET partner": 200,
        "DELETE household": 405,
        "PUT measure": 405,
        "GET ledger": 200 if username in LEDGER_LINES else 403,
        "GET ledger entry": (
            403 if username not in LEDGER_LINES else 200 if username in SEES_OPAC38_MONEY else 404
        ),
        "GET ledger figures": 200 if username in BUDGET else 403,
        "GET ledger totals": 200 if username in BUDGET else 403,
        "GET statistics": 200 if username in STATISTICS else 403,
    }


@pytest.mark.parametrize("username", USERS)
def test_api_access_matrix(demo, username):
    api = api_for(demo[username])
    martin = Household.objects.get(name="Martin")
    nguyen = Household.objects.get(name="Nguyen")
    measure = SupportMeasure.objects.get(action__household=nguyen)
    benali = CoDecision.objects.get(household__name="Benali", purpose="start")
    today = timezone.localdate().isoformat()
    opac38_entry = LedgerEntry.objects.filter(year=2016, partner__short_name="opac38").first()
    appointment = services.appointment_save(
        household=martin,
        by=demo["coordinator.lt"],
        data={"kind": "office", "on": timezone.localdate() + timedelta(days=3)},
    )
    held = services.appointment_save(
        household=martin,
        by=demo["coordinator.lt"],
        data={"kind": "phone", "on": timezone.localdate(), "notes": "Appel prévu."},
    )
    diagnostic = martin.diagnostics.first()
    [note] = notify(recipients=[demo["cesf.actis"]], kind="codecision_opened", text="Essai.")
    rousseau = Household.objects.get(name="Rousseau")
    procedure = EvictionProcedure.objects.get(household=rousseau)
    reduced_month = max(measure.starts_on, timezone.localdate()).isoformat()
    reduction = {"monthly_amount": "45.50", "starts_on": reduced_month, "ends_on": reduced_month}
    dwelling = Dwelling.objects.filter(association__short_name="oiseaubleu").first()
    new_dwelling = {
        "address": "5 rue « Très-Cloîtres » 🏠",
        "postcode": "38000",
        "city": "Grenoble",
        "landlord": Partner.objects.get(short_name="actis").pk,
        "dwelling_type": "t2",
    }
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
        "PATCH diagnostic": lambda: api.patch(
            f"/api/households/{martin.pk}/diagnostics/{diagnostic.pk}/",
            {"persons": 3, "version": diagnostic.version},
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
        "GET measure rent reductions": lambda: api.get(
            f"/api/measures/{measure.pk}/rent-reductions/"
        ),
        "POST measure rent reductions": lambda: api.post(
            f"/api/measures/{measure.pk}/rent-reductions/", reduction, format="json"
        ),
        "GET procedure": lambda: api.get(f"/api/households/{rousseau.pk}/procedure/"),
        "PATCH procedure": lambda: api.patch(
            f"/api/households/{rousseau.pk}/procedure/",
            {"court": "Tribunal judiciaire de Vienne", "version": procedure.version},
            format="json",
        ),
        # The version read before the PATCH: refused as stale by whoever may end it.
        "POST procedure end": lambda: api.post(
            f"/api/households/{rousseau.pk}/procedure/end/",
            {"ended_on": today, "end_reason": "paid", "version": 0},
            format="json",
        ),
        "POST procedure open": lambda: api.post(f"/api/households/{martin.pk}/procedure/"),
        "GET dwellings": lambda: api.get("/api/dwellings/"),
        "POST dwellings": lambda: api.post("/api/dwellings/", new_dwelling, format="json"),
        "GET dwelling of oiseaubleu": lambda: api.get(f"/api/dwellings/{dwelling.pk}/"),
        "PATCH dwelling of oiseaubleu": lambda: api.patch(
            f"/api/dwellings/{dwelling.pk}/",
            {"city": "Saint-Martin-d'Hères", "version": dwelling.version},
            format="json",
        ),
        "POST measure renewal": lambda: api.post(
            f"/api/measures/{measure.pk}/renewal/", {"comment": "Audience à venir."}, format="json"
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
        "POST codecision approve": lambda: api.post(
            f"/api/codecisions/{benali.pk}/approve/", {"comment": "D'accord."}, format="json"
        ),
        "POST codecision reject": lambda: api.post(
            f"/api/codecisions/{benali.pk}/reject/", {"comment": "Non."}, format="json"
        ),
        "GET appointments": lambda: api.get("/api/appointments/"),
        "POST appointments": lambda: api.post(
            "/api/appointments/",
            {"household": martin.pk, "kind": "home_visit", "on": today, "at": "14:30"},
            format="json",
        ),
        "GET appointment": lambda: api.get(f"/api/appointments/{appointment.pk}/"),
        "PATCH appointment": lambda: api.patch(
            f"/api/appointments/{appointment.pk}/",
            {
                "place": "Agence de Vif",
                "version": Appointment.objects.get(pk=appointment.pk).version,
            },
            format="json",
        ),
        "POST appointment cancel": lambda: api.post(
            f"/api/appointments/{appointment.pk}/cancel/",
            {"version": Appointment.objects.get(pk=appointment.pk).version},
            format="json",
        ),
        "POST appointment held": lambda: api.post(
            f"/api/appointments/{held.pk}/held/", {"version": held.version}, format="json"
        ),
        "GET notifications": lambda: api.get("/api/notifications/"),
        "GET notification of cesf.actis": lambda: api.get(f"/api/notifications/{note.pk}/"),
        "POST notification of cesf.actis read": lambda: api.post(
            f"/api/notifications/{note.pk}/read/"
        ),
        "GET partner": lambda: api.get(f"/api/partners/{martin.landlord_id}/"),
        "DELETE household": lambda: api.delete(f"/api/households/{martin.pk}/"),
        "PUT measure": lambda: api.put(f"/api/measures/{measure.pk}/", {}, format="json"),
        "GET ledger": lambda: api.get("/api/ledger/", {"year": 2016}),
        "GET ledger entry": lambda: api.get(f"/api/ledger/{opac38_entry.pk}/"),
        "GET ledger figures": lambda: api.get("/api/ledger/figures/", {"year": 2016}),
        "GET ledger totals": lambda: api.get("/api/ledger/totals/", {"year": 2016}),
        "GET statistics": lambda: api.get("/api/statistics/", {"year": 2016}),
    }
    outcomes = {name: call().status_code for name, call in calls.items()}
    assert outcomes == expected(username)


def test_every_endpoint_asks_who_is_calling(db):
    """Without a session or a token: 401, never data."""
    anonymous = APIClient()
    for url in (
        "/api/partners/",
        "/api/households/",
        "/api/orientations/",
        "/api/codecisions/",
        "/api/measures/",
        "/api/follow-ups/",
        "/api/dwellings/",
        "/api/appointments/",
        "/api/notifications/",
        "/api/ledger/",
        "/api/ledger/figures/",
        "/api/ledger/totals/",
        "/api/statistics/",
    ):
        assert anonymous.get(url).status_code == 401, url
    assert anonymous.post("/api/households/", {"name": "X"}).status_code == 401


def involvement_calls(api, household, sees, edits, diagnoses, landlord) -> dict:
    url = f"/api/households/{household.pk}/"
    diagnostic = {
        "made_on": timezone.localdate().isoformat(),
        "persons": 1,
        "rent": "420.00",
        "conclusion": "Loyer « trop lourd » 😟.",
    }
    # An empty reason: 400 for whoever may change the landlord, before anything changes.
    no_reason = {"kind": "transfer", "landlord": None, "reason": "", "version": 1}
    return {
        "GET": (lambda: api.get(url), sees, 200),
        "PATCH": (
            lambda: api.patch(url, {"city": "Vif", "version": household.version}, format="json"),
            edits,
            200,
        ),
        "POST diagnostics": (
            lambda: api.post(f"{url}diagnostics/", diagnostic, format="json"),
            diagnoses,
            201,
        ),
        "POST landlord": (
            lambda: api.post(f"{url}landlord/", no_reason, format="json"),
            landlord,
            400,
        ),
    }


@pytest.mark.parametrize("state", INVOLVEMENT_STATES)
def test_api_access_matrix_follows_involvement(demo, state):
    """The states of the rule of involvement through the API: reading, changing, writing a
    diagnostic, changing the landlord (tests/demo_access.py makes the states)."""
    household, (sees, edits, diagnoses, landlord), traveller = involvement_state(demo, state)
    try:
        outcomes, expected = {}, {}
        for username in USERS:
            household.refresh_from_db()
            calls = involvement_calls(
                api_for(demo[username]), household, sees, edits, diagnoses, landlord
            )
            for name, (call, allowed, ok) in calls.items():
                outcomes[(username, name)] = call().status_code
                expected[(username, name)] = within(username, sees, allowed, ok)
    finally:
        traveller.stop()
    assert outcomes == expected
