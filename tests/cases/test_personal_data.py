"""Anonymisation leaves no name: the one table of personal data covers every text field of
every model, and a case filled with markers leaves none anywhere in the database once
anonymised (every text column of every table, history tables included)."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

from actions import services as action_services
from actions.models import SlidingLease, SupportMeasure
from cases import privacy
from cases import services as case_services
from cases.personal_data import ERASED, KEPT, decision, history_decision
from codecision import services as codecision_services
from codecision.models import CoDecisionStatus
from documents import services as document_services
from documents.models import DocumentVersion
from funding import services as funding_services
from funding.models import LedgerEntry
from households import services as household_services
from households.merge import household_merge
from households.models import Household
from tests.documents import samples
from tests.factories import PartnerFactory, diagnostic_data
from tests.helpers import stored_files

TYPED = "Zébulonne"  # typed by users in every free text of the case
TYPED_FORMS = [TYPED, TYPED.upper(), "zebulonne", "06 98 76 54 32"]
FILLED = "Ƶ"  # written straight into every field of the table, history included


def project_models():
    """Every model of the project's own apps, history tables included."""
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        path = Path(config.path)
        if base in path.parents and ".venv" not in path.parts:
            yield from config.get_models()


def text_fields(model) -> list[models.Field]:
    # JSON is stored as text on SQLite, as jsonb on PostgreSQL: not free text on either.
    return [
        field
        for field in model._meta.concrete_fields
        if (field.db_type(connection) or "").lower().startswith(("varchar", "text", "char"))
        and not isinstance(field, models.JSONField)
    ]


def test_every_text_field_of_every_model_is_erased_or_kept_by_the_table():
    undecided = []
    for model in project_models():
        base = getattr(model, "instance_type", None)
        for field in text_fields(model):
            if base is not None:
                said = history_decision(base._meta.label_lower, field.name)
            else:
                said = decision(model._meta.label_lower, field.name)
            if said is None:
                undecided.append(f"{model._meta.label_lower}.{field.name}")
    assert undecided == [], "Say in cases/personal_data.py whether these are erased or kept"


def test_the_table_names_only_fields_that_exist_and_each_once():
    labels = {model._meta.label_lower: model for model in project_models()}
    for label, fields in ERASED.items():
        names = {field.name for field in text_fields(labels[label])}
        assert set(fields) <= names, (label, set(fields) - names)
    for label, fields in KEPT.items():
        # An IP address is text on SQLite, its own type on PostgreSQL: decided all the same.
        names = {field.name for field in labels[label]._meta.concrete_fields}
        assert set(fields) <= names, (label, set(fields) - names)
    for label in ERASED.keys() & KEPT.keys():
        assert not ERASED[label].keys() & KEPT[label].keys(), label


def test_every_record_of_a_case_has_its_history_reasons_erased():
    for model, _ in privacy.CASE_RECORDS:
        if hasattr(model, "history"):
            assert model._meta.label_lower in ERASED, model


# --- A case with a marker in every field ----------------------------------------------------


def typed(what: str) -> str:
    return f"{what} de Mme {TYPED} « {TYPED} » 🏠, joindre au 06 98 76 54 32"


def a_case_with_everything(flow) -> Household:
    """One household through every step that stores text: its records, two actions (a
    solvency one with a rent reduction and arrears, a sliding lease at summons with its
    procedure, lease and review), co-decisions answered with comments, an arbitration, a
    committee, measures with objectives, follow-ups and closures, a corrected ledger line
    and a request for its data."""
    cesf, caseworker, coordinator = flow.cesf, flow.caseworker, flow.coordinator
    today = timezone.localdate()
    household = household_services.household_create(
        by=cesf,
        data={
            "name": TYPED,
            "housing_status": "tenant",
            "landlord": cesf.partner,
            "tenant_number": f"T-{TYPED}",
            "address": f"3 rue {TYPED}",
            "postcode": "38000",
            "city": f"Saint-{TYPED}",
            "contact_name": f"Mme {TYPED}",
            "contact_phone": "06 98 76 54 32",
            "contact_email": "zebulonne@example.org",
            "consent_given_on": today,
        },
        members=[
            {
                "first_name": TYPED,
                "last_name": TYPED.upper(),
                "relationship": "head",
                "birth_date": date(1981, 7, 14),
                "occupation": typed("Activité"),
            }
        ],
    )
    household = household_services.household_update(
        household=household,
        by=cesf,
        data={"name": f"{TYPED}-Martin"},
        expected_version=household.version,
    )
    text = {
        name: typed(name)
        for name in (
            "composition",
            "other_debts_detail",
            "health_needs",
            "employment_needs",
            "other_needs",
            "conclusion",
        )
    }
    diagnostic = household_services.diagnostic_create(
        household=household,
        by=cesf,
        data=diagnostic_data(
            made_on=today,
            rent_arrears=Decimal("900.00"),
            rent_arrears_since=today - timedelta(days=90),
            procedure_stage="summons",
            procedure_stage_on=today - timedelta(days=10),
            hearing_on=today + timedelta(days=60),
            **text,
        ),
    )

    def orient(kind):
        return action_services.orientation_create(
            household=household,
            by=cesf,
            kind=kind,
            association=caseworker.partner,
            diagnostic=diagnostic,
            reason=typed("Motif"),
        )

    # Action 2, examined in a committee, approved by both sides with comments.
    solvency = orient("solvency").action
    start = solvency.codecisions.get()
    session = codecision_services.committee_session_create(
        by=coordinator,
        held_on=today,
        codecisions=[start],
        other_participants=typed("Invitée"),
    )
    codecision_services.codecision_answer(
        codecision=start, by=cesf, answer="approve", comment=typed("Accord")
    )
    codecision_services.codecision_answer(
        codecision=start,
        by=caseworker,
        answer="approve",
        comment=typed("Accord"),
        referent=caseworker,
    )
    codecision_services.committee_session_sign_off(
        session=session, by=coordinator, notes=typed("Notes du comité")
    )
    solvency.refresh_from_db()
    action_services.rent_reduction_create(
        action=solvency,
        by=cesf,
        monthly_amount=Decimal("50.00"),
        starts_on=today.replace(day=1),
        ends_on=today.replace(day=1),
    )
    action_services.arrears_reading_create(
        action=solvency, by=cesf, read_on=today, amount=Decimal("800.00")
    )
    fee = LedgerEntry.objects.get(household=household, kind="flat_fee")
    funding_services.entry_correct(by=coordinator, entry=fee, reason=typed("Correction"))
    first_measure = solvency.measures.get()
    objective = action_services.objective_add(
        measure=first_measure, by=caseworker, text=typed("Objectif")
    )
    action_services.objective_set_status(objective=objective, by=caseworker, status="achieved")
    for confidential in (False, True):
        action_services.follow_up_create(
            household=household,
            by=caseworker,
            measure=first_measure,
            data={
                "happened_on": today,
                "kind": "home_visit",
                "summary": typed("Visite"),
                "next_step": typed("Rappeler"),
                "confidential": confidential,
            },
        )
    appointment = action_services.appointment_save(
        household=household,
        by=caseworker,
        data={
            "kind": "home_visit",
            "on": today,
            "place": typed("Lieu")[:200],
            "notes": typed("Objet"),
            "reminder_days_before": 1,
        },
        participants=[caseworker],
    )
    action_services.appointment_cancel(
        appointment=appointment, by=caseworker, reason=typed("Annulation")
    )
    # An outreach request the association declined, both with their reasons.
    outreach = action_services.outreach_request_create(
        household=household, by=cesf, association=flow.association, reason=typed("Aller-vers")
    )
    action_services.outreach_answer(
        request=outreach, by=caseworker, decision="decline", reason=typed("Refus")
    )

    # Action 3: a disagreement arbitrated, then both approve; procedure, lease and review.
    lease_action = orient("sliding_lease_eviction").action
    start = lease_action.codecisions.get()
    codecision_services.codecision_answer(
        codecision=start, by=cesf, answer="approve", comment=typed("Accord")
    )
    codecision_services.codecision_answer(
        codecision=start, by=caseworker, answer="reject", comment=typed("Refus")
    )
    start.refresh_from_db()
    assert start.status == CoDecisionStatus.DISAGREEMENT
    codecision_services.codecision_arbitrate(
        codecision=start, by=coordinator, decision="reopen", comment=typed("Arbitrage")
    )
    codecision_services.codecision_answer(codecision=start, by=cesf, answer="approve")
    codecision_services.codecision_answer(
        codecision=start, by=caseworker, answer="approve", referent=caseworker
    )
    lease_action.refresh_from_db()
    procedure = lease_action.household.procedure
    action_services.procedure_update(
        procedure=procedure,
        by=cesf,
        data={"court": f"Tribunal de {TYPED}"},
        expected_version=procedure.version,
    )
    lease = SlidingLease.objects.get(action=lease_action)
    lease = action_services.sliding_lease_update(
        lease=lease,
        by=caseworker,
        data={
            "address": f"5 allée {TYPED}",
            "dwelling_type": f"T3 {TYPED}"[:20],
            "sublease_signed_on": today - timedelta(days=1),
        },
        expected_version=lease.version,
    )
    action_services.lease_review_create(
        lease=lease,
        by=caseworker,
        data={
            "held_on": today,
            "rent_paid_regularly": True,
            "peaceful_occupation": True,
            "dwelling_upkept": True,
            "budget_managed": False,
            "landlord_offers_lease": True,
            "observations": typed("Observations"),
        },
    )
    action_services.sliding_lease_glide(
        lease=lease,
        by=caseworker,
        glide_on=today,
        new_lease_reference=f"BAIL-{TYPED}"[:60],
        tenant_number=f"N-{TYPED}"[:40],
    )
    for measure in SupportMeasure.objects.filter(action__household=household):
        action_services.measure_close(
            measure=measure,
            by=caseworker,
            outcome="stayed",
            outcome_detail=typed("Issue"),
        )
    [lease_paper] = document_services.document_create(
        household=household,
        by=caseworker,
        uploads=[SimpleUploadedFile(f"{TYPED.lower()}-bail.pdf", samples.pdf(TYPED))],
        kind="lease",
        title=typed("Bail"),
        dated_on=today,
        links={"action": lease_action},
    )
    document_services.document_add_version(
        document=lease_paper,
        by=caseworker,
        upload=SimpleUploadedFile("photo.jpg", samples.jpeg_with_location()),
    )
    document_services.document_create(
        household=household,
        by=cesf,
        uploads=[SimpleUploadedFile(f"avis-{TYPED.lower()}.png", samples.png())],
        kind="income_proof",
        title=typed("Avis d'imposition"),
        dated_on=today,
        confidential=True,
    )
    case_services.subject_access_request_create(
        household=household,
        by=coordinator,
        requester=f"Mme {TYPED}",
        basis="household",
        received_on=today,
        basis_detail=typed("Pièce vérifiée"),
    )
    # The landlord, recorded by mistake, corrected by the coordination with its reason.
    household_services.household_landlord_change(
        household=household,
        by=coordinator,
        kind="correction",
        landlord=PartnerFactory(),
        reason=typed("Erreur de bailleur"),
    )
    # A duplicate merged into it by the coordination, with its reason.
    duplicate = household_services.household_create(
        by=cesf,
        data={"name": "Doublon", "landlord": cesf.partner, "housing_status": "tenant"},
        confirm_duplicate=True,
    )
    household_merge(kept=household, merged=duplicate, by=coordinator, reason=typed("Fusion"))
    household.refresh_from_db()
    return household


def text_columns() -> list[tuple[str, str]]:
    """Every text column of every table of the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() "
                "AND data_type IN ('text', 'character varying', 'character')"
            )
            return cursor.fetchall()
        columns = []
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'PRAGMA table_info("{table}")')
            for row in cursor.fetchall():
                kind = row[2].lower()
                if "char" in kind or "text" in kind:
                    columns.append((table, row[1]))
        return columns


def where_found(markers: list[str]) -> set[tuple[str, str]]:
    """The (table, column) pairs in which any of `markers` appears."""
    quote = connection.ops.quote_name
    found = set()
    with connection.cursor() as cursor:
        for table, column in text_columns():
            condition = " OR ".join([f"{quote(column)} LIKE %s"] * len(markers))
            cursor.execute(
                f"SELECT 1 FROM {quote(table)} WHERE {condition} LIMIT 1",
                [f"%{marker}%" for marker in markers],
            )
            if cursor.fetchone():
                found.add((table, column))
    return found


def fill_every_erased_field(household_ids: list[int]) -> set[tuple[str, str]]:
    """Write a marker into every field of the table, in every record anonymisation goes
    through and in its history rows (the reasons too); return the fields filled."""
    filled, number = set(), 0
    for model, rows in privacy.records_to_anonymise(household_ids):
        label = model._meta.label_lower
        erased = ERASED.get(label, {})
        targets = [(model, rows, list(erased))]
        if hasattr(model, "history"):
            history = model.history.filter(id__in=rows.values("pk"))
            targets.append((model.history.model, history, [*erased, "history_change_reason"]))
        for target, queryset, fields in targets:
            for pk in queryset.values_list("pk", flat=True):
                for name in fields:
                    number += 1
                    size = target._meta.get_field(name).max_length or 20
                    value = f"{FILLED}{number}"[:size]
                    models.QuerySet.update(queryset.filter(pk=pk), **{name: value})
                    filled.add((target._meta.label_lower, name))
    return filled


def test_anonymisation_leaves_no_marker_anywhere_in_the_database(flow, documents_storage):
    household = a_case_with_everything(flow)
    assert len(stored_files(documents_storage)) == 3
    typed_in = where_found(TYPED_FORMS)
    assert ("households_household", "name") in typed_in  # the scan finds what was typed
    assert ("actions_followup", "next_step") in typed_in
    filled = fill_every_erased_field([household.pk])
    for label, fields in ERASED.items():
        for name in fields:
            assert (label, name) in filled, f"the test case has no {label} to fill"
    assert ("households_householdmember", "occupation") in where_found([FILLED])

    later = timezone.localdate() + timedelta(days=settings.ANONYMISE_AFTER_CLOSURE_DAYS + 1)
    assert privacy.anonymise_due_cases(later) >= 1  # the demo's quiet cases too

    assert where_found(TYPED_FORMS) == set()
    assert where_found([FILLED]) == set()
    # No file of its documents is left in the storage; the records say they were there.
    assert stored_files(documents_storage) == []
    assert set(
        DocumentVersion.objects.filter(document__household=household).values_list(
            "stored_as", "file_name"
        )
    ) == {("", "")}
    household.refresh_from_db()
    assert household.anonymised_on == later
    member = household.members.get()
    assert member.birth_date == date(1981, 1, 1)
    assert set(member.history.values_list("birth_date", flat=True)) == {date(1981, 1, 1)}
    # Figures and statuses stay for the statistics.
    assert LedgerEntry.objects.filter(household=household).count() >= 3
    assert household.diagnostics.get().rent_arrears == Decimal("900.00")
