"""What social workers track on each action kind, held by the services, and who did what."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from actions import services
from actions.deadlines import procedure_deadlines
from actions.models import ActionStatus, ArrearsReading, EvictionProcedure
from codecision import services as codecision_services
from core.errors import DomainError
from partners.models import Role
from tests.factories import (
    both_approve,
    diagnostic_create,
    household_create,
    orientation_create,
    user_create,
)


def started(flow, kind: str, **diagnostic):
    """An action of `kind` in progress, its co-decision approved on 2 March 2026."""
    household = household_create(by=flow.cesf)
    if diagnostic:
        diagnostic_create(household=household, by=flow.cesf, made_on=date(2026, 2, 2), **diagnostic)
    with time_machine.travel(date(2026, 3, 2)):
        orientation = services.orientation_create(
            household=household,
            by=flow.cesf,
            kind=kind,
            association=flow.association,
            diagnostic=household.diagnostics.first()
            or diagnostic_create(household=household, by=flow.cesf),
            reason="Orientation.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=date(2026, 3, 2),
        )
    orientation.action.refresh_from_db()
    return orientation.action


def test_energy_action_keeps_the_situation_at_start_and_the_transfer_in_order(flow):
    action = started(flow, "energy", energy_costs=Decimal(240), energy_label="G")
    assert (action.energy_costs_at_start, action.energy_label) == (Decimal(240), "G")
    assert action.energy_effort_rate_at_start is not None
    with pytest.raises(DomainError, match="se suivent"):
        services.action_update_tracking(
            action=action,
            by=flow.cesf,
            data={"moved_on": date(2026, 5, 1)},  # moved before any request
            expected_version=action.version,
        )
    action = services.action_update_tracking(
        action=action,
        by=flow.cesf,
        data={"transfer_requested_on": date(2026, 3, 10), "dwelling_offered_on": date(2026, 4, 2)},
        expected_version=action.version,
    )
    assert action.dwelling_offered_on == date(2026, 4, 2)


def test_solvency_action_follows_its_arrears_and_repayment_plan(flow):
    action = started(
        flow, "solvency", rent_arrears=Decimal(2400), rent_arrears_since=date(2025, 10, 1)
    )
    readings = ArrearsReading.objects.filter(action=action)
    assert [(r.read_on, r.amount) for r in readings] == [(date(2026, 3, 2), Decimal(2400))]
    services.arrears_reading_create(
        action=action, by=flow.caseworker, read_on=date(2026, 4, 2), amount=Decimal(2250)
    )
    assert [r.amount for r in readings.order_by("read_on")] == [Decimal(2400), Decimal(2250)]
    action = services.action_update_tracking(
        action=action,
        by=flow.caseworker,
        data={
            "repayment_plan_monthly": Decimal(75),
            "repayment_plan_start": date(2026, 4, 1),
            "fsl_status": "granted",
            "solvency_target": "stay",
        },
        expected_version=action.version,
    )
    assert (action.repayment_plan_monthly, action.solvency_target) == (Decimal(75), "stay")


def test_arrears_readings_and_rent_reductions_belong_to_their_action_kinds(flow):
    eviction = started(flow, "sliding_lease_eviction")
    with pytest.raises(DomainError, match="action 2"):
        services.arrears_reading_create(
            action=eviction, by=flow.caseworker, read_on=date(2026, 4, 2), amount=Decimal(1)
        )
    with pytest.raises(DomainError, match="actions 1 et 2"):
        services.rent_reduction_create(
            action=eviction,
            by=flow.cesf,
            monthly_amount=Decimal(30),
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 6, 1),
        )


def test_procedure_stages_keep_their_order_and_give_the_next_deadlines(flow):
    action = started(flow, "sliding_lease_eviction")
    procedure = action.household.procedure
    with pytest.raises(DomainError, match="L'audience suit l'assignation"):
        services.procedure_update(
            procedure=procedure,
            by=flow.cesf,
            data={"summons_on": date(2026, 3, 10), "hearing_on": date(2026, 3, 1)},
            expected_version=procedure.version,
        )
    with pytest.raises(DomainError, match="La décision suit l'audience"):
        services.procedure_update(
            procedure=procedure,
            by=flow.cesf,
            data={"hearing_on": date(2026, 5, 4), "judgement_on": date(2026, 5, 1)},
            expected_version=procedure.version,
        )
    procedure.refresh_from_db()
    assert procedure.hearing_on is None  # nothing of a refused step is kept
    deadlines = {
        d.kind: d.on
        for d in procedure_deadlines(
            EvictionProcedure(
                ccapex_referred_on=date(2026, 1, 15),
                police_assistance_requested_on=date(2026, 9, 30),
            ),
            date(2026, 1, 15),
        )
    }
    assert deadlines == {
        "ccapex": date(2026, 3, 15),  # a summons no earlier than 2 months after the CCAPEX
        "police_assistance": date(2026, 11, 30),  # the prefect's 2 months
    }


def test_sliding_lease_reviews_and_glide_follow_the_sublease(flow):
    action = started(flow, "sliding_lease_eviction")
    lease = action.sliding_lease
    review = {
        "held_on": date(2026, 9, 2),
        "rent_paid_regularly": True,
        "peaceful_occupation": True,
        "dwelling_upkept": True,
        "budget_managed": False,
        "observations": "Budget encore fragile.",
    }
    with pytest.raises(DomainError, match="suit la signature de la sous-location"):
        services.lease_review_create(lease=lease, by=flow.caseworker, data=review)
    with pytest.raises(DomainError, match="après la signature de la sous-location"):
        services.sliding_lease_glide(
            lease=lease, by=flow.caseworker, glide_on=date(2026, 3, 1), new_lease_reference="B1"
        )
    lease = services.sliding_lease_update(
        lease=lease,
        by=flow.caseworker,
        data={"sublease_signed_on": date(2026, 3, 5), "tripartite_agreement_on": date(2026, 3, 5)},
        expected_version=lease.version,
    )
    with pytest.raises(DomainError, match="suit la signature"):
        services.lease_review_create(
            lease=lease, by=flow.caseworker, data={**review, "held_on": date(2026, 3, 1)}
        )
    with time_machine.travel(date(2026, 10, 1)):
        saved = services.lease_review_create(lease=lease, by=flow.caseworker, data=review)
        assert (saved.budget_managed, saved.recorded_by) == (False, flow.caseworker)
        with pytest.raises(DomainError, match="après la signature de la sous-location"):
            services.sliding_lease_glide(
                lease=lease,
                by=flow.caseworker,
                glide_on=date(2026, 3, 1),
                new_lease_reference="B1",
            )
        # A review without the landlord's offer does not allow the glide.
        with pytest.raises(DomainError, match="le bailleur propose le bail"):
            services.sliding_lease_glide(
                lease=lease,
                by=flow.caseworker,
                glide_on=date(2026, 9, 30),
                new_lease_reference="B1",
            )


def test_scattered_housing_records_its_dwelling(flow):
    household = household_create(by=flow.caseworker, housing_status="applicant", landlord=None)
    orientation = services.orientation_create(
        household=household,
        by=flow.caseworker,
        kind="scattered_housing",
        association=flow.association,
        landlord=flow.landlord,
        reason="Sortie d'hébergement.",
    )
    both_approve(
        orientation.action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker
    )
    lease = orientation.action.sliding_lease
    lease = services.sliding_lease_update(
        lease=lease,
        by=flow.caseworker,
        data={
            "address": "12 rue des Alpes, Grenoble",
            "dwelling_type": "T3",
            "rent": Decimal(455),
            "entry_on": date(2026, 3, 9),
        },
        expected_version=lease.version,
    )
    lease.refresh_from_db()
    assert (lease.address, lease.dwelling_type, lease.rent) == (
        "12 rue des Alpes, Grenoble",
        "T3",
        Decimal(455),
    )


def test_action_4_is_for_applicants_and_committees_take_only_open_codecisions(flow):
    tenant = household_create(by=flow.caseworker, housing_status="tenant", landlord=flow.landlord)
    with pytest.raises(DomainError, match="ménage demandeur"):
        services.orientation_create(
            household=tenant,
            by=flow.caseworker,
            kind="scattered_housing",
            association=flow.association,
            landlord=flow.landlord,
            reason="Hébergement.",
        )
    rejected = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = rejected.action.codecisions.get()
    for user in (flow.cesf, flow.caseworker):
        codecision_services.codecision_answer(
            codecision=codecision, by=user, answer="reject", comment="Non"
        )
    codecision.refresh_from_db()
    with pytest.raises(DomainError, match="en attente"):
        codecision_services.committee_session_create(
            by=flow.coordinator, held_on=date(2026, 3, 9), codecisions=[codecision]
        )


def test_every_move_of_an_action_records_who_when_and_why(flow):
    action = started(flow, "energy")
    measure = action.measures.get()
    with time_machine.travel(date(2026, 4, 1)):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    records = list(action.history.order_by("history_date", "history_id"))
    moves = [
        (h.status, h.history_user, h.history_change_reason)
        for before, h in zip([None, *records], records, strict=False)
        if before is None or before.status != h.status
    ]
    assert moves == [
        ("in_codecision", flow.cesf, "Pré-orientation"),
        ("in_progress", flow.caseworker, "Co-décision approuvée : démarrage de la mesure"),
        ("closed", flow.caseworker, "Clôture : Maintien dans le logement"),
    ]
    assert all(h.history_date for h in action.history.all())


def test_objectives_move_through_their_statuses(flow):
    measure = started(flow, "energy").measures.get()
    objective = services.objective_add(measure=measure, by=flow.caseworker, text="Chèque énergie")
    assert objective.status == "todo"
    services.objective_set_status(objective=objective, by=flow.caseworker, status="achieved")
    objective.refresh_from_db()
    assert objective.status == "achieved"
    assert objective.history.first().history_user == flow.caseworker
    assert user_create(Role.CASEWORKER)  # another association's caseworker exists
    assert measure.action.status != ActionStatus.CLOSED
