"""Hostile values are refused at the edge, in French, and cannot be stored: amounts whose
figures overflow, dates off the calendar, ids past the database's range, NUL bytes, JSON
nested past the limit."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from core.errors import DomainError
from core.parsers import MAX_JSON_DEPTH
from households.models import Diagnostic
from tests.factories import diagnostic_create, diagnostic_data, household_create
from tests.helpers import api_for, household_form_data

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
    from households.models import AccessAction, AccessLogEntry

    largest = 2**63 - 1
    largest_in_api = 10**18 - 1  # the API's routes take 18 digits (core.api.ROW_ID)
    client.force_login(flow.cesf)
    assert client.get(f"/menages/{largest}/").status_code == 404
    assert api_for(flow.cesf).get(f"/api/households/{largest_in_api}/").status_code == 404
    denied = AccessLogEntry.objects.filter(user=flow.cesf, action=AccessAction.DENIED)
    assert sorted(denied.values_list("household_pk", "path")) == [
        (largest_in_api, f"/api/households/{largest_in_api}/"),
        (largest, f"/menages/{largest}/"),
    ]


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


def test_a_multipart_body_without_a_boundary_is_a_400_not_a_crash(client, flow):
    # Found by `make fuzz`: the body was read before any view, and failed there as a 500.
    api = api_for(flow.cesf)
    answer = api.generic("POST", "/api/documents/", b"--x--", content_type="multipart/form-data")
    assert answer.status_code == 400 and "illisible" in answer.json()["detail"]
    client.force_login(flow.cesf)
    page = client.generic(
        "POST", reverse("households:create"), b"--x--", content_type="multipart/form-data"
    )
    assert page.status_code == 400 and "Saisie refusée" in page.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "&".join(f"champ{i}=x" for i in range(1_500)),  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
        "summary=" + "x" * 3_000_000,  # past DATA_UPLOAD_MAX_MEMORY_SIZE
    ],
    ids=["too-many-fields", "too-big"],
)
def test_a_body_refused_before_any_view_is_json_under_api_and_a_french_page_elsewhere(
    client, flow, body
):
    form = "application/x-www-form-urlencoded"
    answer = api_for(flow.cesf).generic("POST", "/api/follow-ups/", body, content_type=form)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"
    assert "Requête refusée" in answer.json()["detail"]
    client.force_login(flow.cesf)
    page = client.generic("POST", reverse("households:create"), body, content_type=form)
    assert page.status_code == 400 and "Requête refusée" in page.content.decode()


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


# --- Dates past the calendar and amounts past any budget, through the page and the API ------


def test_a_consent_dated_9999_is_refused_by_the_page_and_the_api(client, flow):
    from households.models import Household

    client.force_login(flow.cesf)
    data = household_form_data(name="Fontaine-Ézé", consent_given_on="9999-12-31")
    page = client.post(reverse("households:create"), data)
    assert page.status_code == 200 and "n&#x27;est pas plausible" in page.content.decode()
    answer = api_for(flow.cesf).post(
        "/api/households/",
        {"name": "Fontaine-Ézé", "housing_status": "tenant", "consent_given_on": "9999-12-31"},
        format="json",
    )
    assert answer.status_code == 400 and "n'est pas plausible" in str(
        answer.json()["consent_given_on"]
    )
    assert not Household.objects.filter(name="Fontaine-Ézé").exists()


@pytest.mark.parametrize("born", ["9999-01-01", "1899-12-31", "0001-01-01"])
def test_a_member_born_in_9999_or_before_1900_is_refused_by_the_page_and_the_api(
    client, flow, born
):
    from households.models import Household

    client.force_login(flow.cesf)
    data = household_form_data(name="Lefèvre 🏠", **{"members-0-birth_date": born})
    page = client.post(reverse("households:create"), data)
    assert page.status_code == 200 and "n&#x27;est pas plausible" in page.content.decode()
    member = {"first_name": "Zoé", "last_name": "LEFÈVRE", "relationship": "head"}
    answer = api_for(flow.cesf).post(
        "/api/households/",
        {
            "name": "Lefèvre 🏠",
            "housing_status": "tenant",
            "members": [member | {"birth_date": born}],
        },
        format="json",
    )
    assert answer.status_code == 400 and "n'est pas plausible" in str(answer.json()["members"])
    assert not Household.objects.filter(name="Lefèvre 🏠").exists()


@pytest.mark.parametrize("amount", ["9999999999.99", "-9999999999.99", "10000000.00"])
def test_a_ledger_entry_past_any_budget_is_refused_on_the_page_and_by_the_database(
    client, flow, amount
):
    from funding.models import LedgerEntry

    client.force_login(flow.coordinator)
    label = f"Subvention « exceptionnelle » {amount} 💶"
    page = client.post(
        reverse("funding:entry_create", args=[2026]),
        {"kind": "grant", "on": "2026-05-02", "amount": amount, "label": label},
    )
    assert page.status_code == 200
    assert "au plus 9\u202f999\u202f999,99 €" in page.content.decode()
    assert not LedgerEntry.objects.filter(label=label).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            on="2026-05-02", year=2026, kind="grant", amount=Decimal(amount), label=label
        )


def test_a_ledger_entry_at_the_limit_is_stored_and_read_by_the_api(client, flow):
    from funding.models import LedgerEntry

    client.force_login(flow.coordinator)
    page = client.post(
        reverse("funding:entry_create", args=[2026]),
        {"kind": "grant", "on": "2026-05-02", "amount": "-9999999.99", "label": "Reprise État"},
    )
    assert page.status_code == 302
    entry = LedgerEntry.objects.get(label="Reprise État")
    answer = api_for(flow.coordinator).get(f"/api/ledger/{entry.pk}/")
    assert answer.status_code == 200 and answer.json()["amount"] == "-9999999.99"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_ledger_entry_dated_year_1_or_9999_is_refused(client, flow, day):
    from funding.models import LedgerEntry

    client.force_login(flow.coordinator)
    page = client.post(
        reverse("funding:entry_create", args=[2026]),
        {"kind": "grant", "on": day, "amount": "100", "label": "Daté hors calendrier"},
    )
    assert page.status_code == 200 and "n&#x27;est pas plausible" in page.content.decode()
    assert not LedgerEntry.objects.filter(label="Daté hors calendrier").exists()


def test_a_rent_reduction_to_year_9999_is_a_french_form_error(client, flow):
    from actions.models import RentReduction
    from tests.factories import both_approve, orientation_create
    from tests.helpers import page_text

    codecision = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = codecision.action.codecisions.get()
    both_approve(codecision, landlord_user=flow.cesf, caseworker=flow.caseworker)
    action = codecision.action_link.action
    client.force_login(flow.cesf)
    url = reverse("actions:action_section", args=[action.pk, "reduction"])
    first = action.measures.get().starts_on.replace(day=1)
    for ends_on in ("9999-12-01", "9999-12-31"):
        page = client.post(url, {"monthly_amount": "120", "starts_on": first, "ends_on": ends_on})
        assert page.status_code == 400 and "n'est pas plausible" in page_text(page)
    assert not RentReduction.objects.filter(action=action).exists()
    assert client.get(reverse("actions:action_detail", args=[action.pk])).status_code == 200


# --- One word of 100,000 characters --------------------------------------------------------


def test_a_follow_up_of_one_100_000_character_word_is_refused_by_the_page_and_the_api(client, flow):
    from datetime import date

    from django.utils import timezone

    from actions.models import FollowUp
    from tests.factories import start_measure

    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    word = "é" * 100_000
    client.force_login(flow.caseworker)
    page = client.post(
        reverse("actions:follow_up_create", args=[household.pk]),
        {
            "mesure": measure.pk,
            "happened_on": timezone.localdate().isoformat(),
            "kind": "home_visit",
            "summary": word,
        },
    )
    assert page.status_code == 200
    assert "au plus 50000 caractères (actuellement 100000)" in page.content.decode()
    answer = api_for(flow.caseworker).post(
        "/api/follow-ups/",
        {
            "household": household.pk,
            "measure": measure.pk,
            "happened_on": timezone.localdate().isoformat(),
            "kind": "home_visit",
            "summary": word,
        },
        format="json",
    )
    assert answer.status_code == 400 and "summary" in answer.json()
    assert not FollowUp.objects.filter(household=household, summary=word).exists()


def test_the_pdf_of_a_follow_up_of_one_word_at_the_limit_renders_in_bounded_time(client, flow):
    import time
    from datetime import date

    from django.utils import timezone

    from actions import services
    from tests.factories import start_measure
    from tests.helpers import pdf_text

    measure = start_measure(flow, date(2026, 1, 5))
    household = measure.action.household
    word = "ℵ" * 50_000  # the longest summary allowed, in one word with no break
    services.follow_up_create(
        household=household,
        by=flow.caseworker,
        measure=measure,
        data={"happened_on": timezone.localdate(), "kind": "home_visit", "summary": word},
    )
    client.force_login(flow.caseworker)
    started = time.monotonic()
    pdf = client.get(reverse("households:summary_pdf", args=[household.pk]))
    took = time.monotonic() - started
    assert took < 30, f"{took:.1f} s"  # it took minutes: gunicorn killed the worker
    _pages, text = pdf_text(pdf)
    assert text.count("ℵ") == 50_000  # all of it, however it is cut across lines and pages


# --- Procedure dates past the calendar -----------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_a_procedure_date_past_the_calendar_is_refused_by_the_page_and_the_api(client, flow, day):
    from actions.models import EvictionProcedure
    from actions.services import procedure_open
    from tests.helpers import page_text

    household = household_create(by=flow.cesf)
    procedure = procedure_open(household=household, by=flow.cesf)
    client.force_login(flow.cesf)
    page = client.post(
        reverse("actions:procedure_section", args=[household.pk, "update"]),
        {"summons_on": day, "version": procedure.version},
    )
    assert page.status_code == 400 and "n'est pas plausible" in page_text(page)
    answer = api_for(flow.cesf).patch(
        f"/api/households/{household.pk}/procedure/",
        {"hearing_on": day, "version": procedure.version},
        format="json",
    )
    assert answer.status_code == 400 and "n'est pas plausible" in str(answer.json()["hearing_on"])
    procedure = EvictionProcedure.objects.get(pk=procedure.pk)
    assert (procedure.summons_on, procedure.hearing_on) == (None, None)
    # The pages that show the procedure, and its PDF, still answer.
    for name in ("actions:procedure_detail", "households:detail", "households:summary_pdf"):
        assert client.get(reverse(name, args=[household.pk])).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_every_date_of_a_procedure_is_held_to_the_window_by_the_page_and_the_api(client, flow, day):
    from actions.models import EvictionProcedure
    from actions.services import procedure_open
    from tests.helpers import page_text

    household = household_create(by=flow.cesf)
    procedure = procedure_open(household=household, by=flow.cesf)
    typed = [
        f.name
        for f in EvictionProcedure._meta.concrete_fields
        if f.get_internal_type() == "DateField" and f.editable
    ]
    assert len(typed) > 10
    client.force_login(flow.cesf)
    api = api_for(flow.cesf)
    for field in typed:
        page = client.post(
            reverse("actions:procedure_section", args=[household.pk, "update"]),
            {field: day, "version": procedure.version},
        )
        assert page.status_code == 400 and "n'est pas plausible" in page_text(page), field
        answer = api.patch(
            f"/api/households/{household.pk}/procedure/",
            {field: day, "version": procedure.version},
            format="json",
        )
        assert answer.status_code == 400, (field, answer.content)
        assert "n'est pas plausible" in str(answer.json()[field])
    assert EvictionProcedure.objects.get(pk=procedure.pk).version == procedure.version


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_a_document_or_a_departure_past_the_calendar_is_refused_by_the_page_and_the_api(
    client, flow, day
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Document
    from households.models import Household
    from tests.documents import samples
    from tests.helpers import page_text, upload_judgement

    household = household_create(by=flow.cesf)
    client.force_login(flow.cesf)
    page = client.post(
        reverse("documents:create", args=[household.pk]),
        {"kind": "lease", "dated_on": day, "title": "Bail daté hors calendrier",
         "files": [SimpleUploadedFile("bail.pdf", samples.pdf())]},
    )  # fmt: skip
    # A document's own window: not in the future, not before 1900 (documents.services).
    assert page.status_code == 400 and "La date du document" in page_text(page)
    answer = upload_judgement(api_for(flow.cesf), household, dated_on=day)
    assert answer.status_code == 400 and "La date du document" in str(answer.json()["dated_on"])
    assert not Document.objects.filter(household=household).exists()

    data = household_form_data(name="Départ-Hors-Calendrier", **{"members-0-left_on": day})
    page = client.post(reverse("households:create"), data)
    assert page.status_code == 200 and "n&#x27;est pas plausible" in page.content.decode()
    member = {"first_name": "Zoé", "last_name": "DÉPART", "relationship": "head", "left_on": day}
    answer = api_for(flow.cesf).post(
        "/api/households/",
        {"name": "Départ-Hors-Calendrier", "housing_status": "tenant", "members": [member]},
        format="json",
    )
    assert answer.status_code == 400 and "n'est pas plausible" in str(answer.json()["members"])
    assert not Household.objects.filter(name="Départ-Hors-Calendrier").exists()


# Dates nobody types, or held to a window of their own by their service.
DATES_WITHOUT_THE_SHARED_WINDOW = {
    "core.DailyRun.day",  # the job's own day
    "notifications.Notification.digest_on",  # the sweep's day
    "notifications.Reminder.due_on",  # computed by a rule
    "documents.Document.dated_on",  # documents.services: not in the future, not before 1900
    "cases.SubjectAccessRequest.received_on",  # cases.services: since the case opened
}


def test_every_typed_date_has_a_plausible_window():
    from django.apps import apps

    from core.dates import PlausibleDate

    ours = {"core", "partners", "households", "codecision", "actions", "documents", "cases"}
    ours |= {"notifications", "funding", "stats"}
    unbounded = [
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if field.get_internal_type() == "DateField" and field.editable
        and not any(isinstance(v, PlausibleDate) for v in field.validators)
    ]  # fmt: skip
    assert set(unbounded) == DATES_WITHOUT_THE_SHARED_WINDOW


# Dates the database leaves unchecked: nobody types them.
DATES_WITHOUT_A_CHECK = {
    "core.DailyRun.day",  # the job's own day
    "notifications.Notification.digest_on",  # the sweep's day
    "notifications.Reminder.due_on",  # computed by a rule
    "households.Household.anonymised_on",  # the anonymisation's day
}


def one_row_of_each_dated_model(flow) -> None:
    """A row of every model with a date: a busy case (household, member, action 3 with its
    procedure, sliding lease, measure, follow-up, appointments), and the rest beside it."""
    from actions.models import ArrearsReading, Dwelling, EvictionProcedure, LeaseReview
    from cases.models import SubjectAccessRequest
    from codecision.models import CommitteeSession
    from documents.models import Document
    from tests.factories import LedgerEntryFactory, RentReductionFactory, busy_case, start_measure

    case = busy_case(flow)
    household, measure = case["household"], case["measure"]
    # An end date needs its reason (ended_procedure_has_reason): given, the date's own CHECK
    # is the one that answers.
    EvictionProcedure.objects.filter(household=household).update(end_reason="paid")
    diagnostic_create(household=household, by=flow.cesf)
    RentReductionFactory(measure=start_measure(flow, date(2026, 1, 5)))
    ArrearsReading.objects.create(
        action=measure.action, read_on=date(2026, 2, 1), amount=100, created_by=flow.cesf
    )
    Dwelling.objects.create(
        association=flow.association, landlord=flow.landlord, address="3 rue des Lilas",
        dwelling_type="t2",
    )  # fmt: skip
    LeaseReview.objects.create(
        lease=measure.action.sliding_lease, held_on=date(2026, 7, 31), rent_paid_regularly=True,
        peaceful_occupation=True, dwelling_upkept=True, budget_managed=True,
        recorded_by=flow.caseworker,
    )  # fmt: skip
    CommitteeSession.objects.create(held_on=date(2026, 2, 2), created_by=flow.coordinator)
    LedgerEntryFactory()
    Document.objects.create(
        household=household, kind="lease", title="Bail", dated_on=date(2020, 5, 4),
        author=flow.cesf, author_partner=flow.landlord,
    )  # fmt: skip
    SubjectAccessRequest.objects.create(
        household=household, requester="Le ménage", basis="household",
        received_on=date(2026, 2, 16), recorded_by=flow.cesf,
    )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the CHECKs as PostgreSQL runs them")
@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)], ids=str)
def test_the_database_refuses_every_date_off_the_calendar(flow, day):
    """Whatever writes it (a script, a bulk update, a service that forgot its check), a
    date like 0001-01-01 or 9999-12-31 is refused by a CHECK of its table (its window:
    core.dates.DATE_FLOOR, or the field's older floor, to DATE_CEILING)."""
    from django.apps import apps
    from django.db.models import QuerySet

    one_row_of_each_dated_model(flow)
    ours = {"core", "partners", "households", "codecision", "actions", "documents", "cases"}
    ours |= {"notifications", "funding", "stats"}
    checked = []
    for model in apps.get_models():
        if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if field.get_internal_type() != "DateField" or name in DATES_WITHOUT_A_CHECK:
                continue
            # The plain query set: the ledger's own refuses every update (append-only).
            rows = QuerySet(model).order_by("pk")[:1]
            assert rows, f"{name}: add a row of {model.__name__} to the fixture"
            refused = pytest.raises(IntegrityError, match=r"_plausible|_ends_after_start")
            with refused, transaction.atomic():
                QuerySet(model).filter(pk=rows[0].pk).update(**{field.name: day})
            checked.append(name)
    assert "actions.EvictionProcedure.judgement_served_on" in checked and len(checked) > 40


def test_a_procedure_ended_in_year_1_is_refused_by_the_page_and_the_api(client, flow):
    from actions.models import EvictionProcedure
    from actions.services import procedure_open
    from tests.helpers import page_text

    household = household_create(by=flow.cesf)
    procedure = procedure_open(household=household, by=flow.cesf)
    client.force_login(flow.cesf)
    page = client.post(
        reverse("actions:procedure_section", args=[household.pk, "end"]),
        {"ended_on": "0001-01-02", "end_reason": "paid", "version": procedure.version},
    )
    assert page.status_code == 400 and "n'est pas plausible" in page_text(page)
    answer = api_for(flow.cesf).post(
        f"/api/households/{household.pk}/procedure/end/",
        {"ended_on": "0001-01-02", "end_reason": "paid", "version": procedure.version},
        format="json",
    )
    assert answer.status_code == 400 and "n'est pas plausible" in str(answer.json()["ended_on"])
    assert EvictionProcedure.objects.get(pk=procedure.pk).ended_on is None
