from datetime import date

import pytest
import time_machine

from actions import services
from actions.models import ActionStatus, FollowUp, MeasureStatus, SupportMeasure
from codecision import services as codecision_services
from codecision.models import CoDecisionStatus, Purpose
from core.errors import DomainError
from households.models import Household
from partners.models import Role
from tests.factories import (
    both_approve,
    household_create,
    orientation_create,
    start_measure,
    user_create,
)


def visible(user, household) -> bool:
    return Household.objects.visible_to(user).filter(pk=household.pk).exists()


def test_an_orientation_opens_a_codecision_between_one_landlord_and_one_association(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    action = orientation.action
    codecision = action.codecisions.get()
    assert action.status == ActionStatus.IN_CODECISION
    assert (codecision.landlord, codecision.association) == (flow.landlord, flow.association)
    assert codecision.purpose == Purpose.START
    assert codecision.status == CoDecisionStatus.PENDING


def test_the_association_sees_the_household_only_after_the_orientation(flow, other_association):
    household = household_create(by=flow.cesf)
    assert not visible(flow.caseworker, household)
    orientation_create(cesf=flow.cesf, association=flow.association, household=household)
    assert visible(flow.caseworker, household)
    assert not visible(user_create(Role.CASEWORKER, partner=other_association), household)


def test_a_cesf_proposes_actions_1_to_3_only_for_its_own_tenants(flow):
    with pytest.raises(DomainError, match="action 1, 2 ou 3"):
        orientation_create(cesf=flow.cesf, association=flow.association, kind="scattered_housing")
    other_cesf = user_create(Role.CESF)
    household = household_create(by=flow.cesf)
    with pytest.raises(DomainError, match="Seul le bailleur"):
        services.orientation_create(
            household=household,
            by=other_cesf,
            kind="energy",
            association=flow.association,
            reason="x",
            diagnostic=None,
        )


def test_an_association_orients_an_applicant_to_action_4_with_a_landlord(flow):
    applicant = household_create(by=flow.caseworker)
    orientation = services.orientation_create(
        household=applicant,
        by=flow.caseworker,
        kind="scattered_housing",
        association=flow.association,
        landlord=flow.landlord,
        reason="Aucune structure adaptée.",
    )
    assert orientation.action.landlord == flow.landlord
    assert visible(flow.cesf, applicant)
    with pytest.raises(DomainError, match="action 4"):
        services.orientation_create(
            household=applicant,
            by=flow.caseworker,
            kind="energy",
            association=flow.association,
            landlord=flow.landlord,
            reason="x",
        )


def test_a_landlord_orientation_rests_on_a_diagnostic_of_that_household(flow):
    household = household_create(by=flow.cesf)
    with pytest.raises(DomainError, match="diagnostic"):
        services.orientation_create(
            household=household,
            by=flow.cesf,
            kind="energy",
            association=flow.association,
            reason="x",
        )


def test_a_second_open_action_of_the_same_kind_is_refused(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    with pytest.raises(DomainError, match="déjà une action de ce type"):
        orientation_create(
            cesf=flow.cesf, association=flow.association, household=orientation.household
        )


def test_no_action_starts_with_only_one_approval(flow):
    codecision = orientation_create(
        cesf=flow.cesf, association=flow.association
    ).action.codecisions.get()
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision.refresh_from_db()
    assert codecision.status == CoDecisionStatus.PENDING
    assert codecision.action_link.action.status == ActionStatus.IN_CODECISION
    assert not SupportMeasure.objects.filter(action=codecision.action_link.action).exists()


def test_action_start_refuses_an_action_without_an_approved_codecision(flow):
    action = orientation_create(cesf=flow.cesf, association=flow.association).action
    with pytest.raises(DomainError, match="approuvée des deux côtés"):
        services.action_start(
            action=action, referent=flow.caseworker, starts_on=date(2026, 1, 1), by=flow.cesf
        )


@time_machine.travel(date(2026, 1, 15))
def test_both_approvals_start_the_action_and_open_a_6_month_measure(flow):
    action = orientation_create(cesf=flow.cesf, association=flow.association).action
    both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    action.refresh_from_db()
    measure = action.measures.get()
    assert action.status == ActionStatus.IN_PROGRESS
    assert (measure.starts_on, measure.ends_on) == (date(2026, 1, 15), date(2026, 7, 15))
    assert measure.referent == flow.caseworker
    assert action.energy_costs_at_start is not None  # copied from the diagnostic


def test_a_rejected_codecision_opens_nothing(flow):
    action = orientation_create(cesf=flow.cesf, association=flow.association).action
    codecision = action.codecisions.get()
    codecision_services.codecision_answer(
        codecision=codecision, by=flow.cesf, answer="reject", comment="Non"
    )
    codecision_services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="reject", comment="Non"
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.REJECTED
    assert not action.measures.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "renewed_ends_on"),
    [
        (date(2026, 1, 15), date(2026, 7, 15), date(2027, 1, 15)),
        (date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31)),  # month end
        (date(2027, 8, 31), date(2028, 2, 29), date(2028, 8, 31)),  # leap year
        (date(2026, 12, 31), date(2027, 6, 30), date(2027, 12, 31)),  # year end
    ],
)
def test_measure_dates_are_computed_across_month_ends_and_leap_years(
    flow, starts_on, ends_on, renewed_ends_on
):
    with time_machine.travel(starts_on):
        action = orientation_create(cesf=flow.cesf, association=flow.association).action
        both_approve(action.codecisions.get(), landlord_user=flow.cesf, caseworker=flow.caseworker)
    measure = action.measures.get()
    assert measure.ends_on == ends_on
    with time_machine.travel(ends_on):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
    measure.refresh_from_db()
    assert (measure.renewal_count, measure.ends_on) == (1, renewed_ends_on)


@pytest.fixture
def measure(flow):
    return start_measure(flow, date(2026, 1, 15))


def test_a_measure_is_renewed_once_for_six_more_months(flow, measure):
    with time_machine.travel(date(2026, 6, 20)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
    measure.refresh_from_db()
    assert measure.ends_on == date(2027, 1, 15)
    assert measure.months == 12


def test_second_renewal_is_refused(flow, measure):
    with time_machine.travel(date(2026, 6, 20)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
        with pytest.raises(DomainError, match="un second renouvellement n'est pas possible"):
            services.renewal_request(
                measure=measure, by=flow.caseworker, comment="Audience à venir."
            )


def test_renewal_cannot_be_requested_after_the_end(flow, measure):
    with (
        time_machine.travel(date(2026, 7, 16)),
        pytest.raises(DomainError, match="devait être décidé avant sa fin"),
    ):
        services.renewal_request(measure=measure, by=flow.caseworker, comment="Audience à venir.")


def test_renewal_approved_after_the_end_is_refused_and_nothing_changes(flow, measure):
    with time_machine.travel(date(2026, 7, 1)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        codecision_services.codecision_answer(codecision=renewal, by=flow.cesf, answer="approve")
    with (
        time_machine.travel(date(2026, 7, 16)),
        pytest.raises(DomainError, match="avant sa fin"),
    ):
        codecision_services.codecision_answer(
            codecision=renewal, by=flow.caseworker, answer="approve"
        )
    measure.refresh_from_db()
    renewal.refresh_from_db()
    assert (measure.renewal_count, measure.ends_on) == (0, date(2026, 7, 15))
    assert renewal.association_answer == ""


def test_a_second_open_renewal_request_is_refused(flow, measure):
    with time_machine.travel(date(2026, 6, 1)):
        services.renewal_request(measure=measure, by=flow.caseworker, comment="Audience à venir.")
        with pytest.raises(DomainError, match="déjà en co-décision"):
            services.renewal_request(
                measure=measure, by=flow.caseworker, comment="Audience à venir."
            )


def test_closing_a_measure_records_the_outcome_and_closes_the_action(flow, measure):
    with time_machine.travel(date(2026, 7, 10)):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.CLOSED
    assert measure.closed_on == date(2026, 7, 10)
    assert measure.action.status == ActionStatus.CLOSED
    history = measure.action.history.latest()
    assert history.history_change_reason == "Clôture : Maintien dans le logement"
    assert history.history_user == flow.caseworker


def test_closing_a_measure_cancels_its_open_renewal_without_recording_a_refusal(flow, measure):
    with time_machine.travel(date(2026, 7, 1)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Le ménage reste fragile."
        )
        services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    renewal.refresh_from_db()
    assert renewal.status == CoDecisionStatus.CANCELLED
    assert renewal.get_status_display() == "Annulée"
    assert renewal.history.latest().history_change_reason == "Mesure clôturée avant la décision"


def test_an_other_outcome_needs_its_detail(flow, measure):
    with pytest.raises(DomainError, match="Précisez"):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="other")


def test_a_closed_measure_cannot_be_renewed_or_closed_again(flow, measure):
    services.measure_close(measure=measure, by=flow.caseworker, outcome="rehoused")
    with pytest.raises(DomainError, match="clôturée"):
        services.renewal_request(measure=measure, by=flow.caseworker, comment="Audience à venir.")
    with pytest.raises(DomainError, match="déjà clôturée"):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="rehoused")


def test_no_follow_up_is_logged_on_a_closed_measure(flow, measure):
    measure = services.measure_close(measure=measure, by=flow.caseworker, outcome="rehoused")
    data = {"happened_on": measure.closed_on, "kind": "phone", "summary": "Appel."}
    with pytest.raises(DomainError, match="clôturée"):
        services.follow_up_create(
            household=measure.action.household, by=flow.caseworker, measure=measure, data=data
        )


def test_no_orientation_to_a_partner_that_left_the_programme(flow, other_association):
    other_association.active = False
    other_association.save()
    with pytest.raises(DomainError, match="association du dispositif"):
        orientation_create(cesf=flow.cesf, association=other_association)


def test_nobody_answers_in_the_name_of_a_signed_committee(flow):
    codecision = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = codecision.action.codecisions.get()
    session = codecision_services.committee_session_create(
        by=flow.coordinator, held_on=date(2026, 3, 2), codecisions=[codecision]
    )
    codecision_services.committee_session_sign_off(
        session=session, by=flow.coordinator, adjourned=[codecision]
    )
    with pytest.raises(DomainError, match="comité est signé"):
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.coordinator,
            answer="approve",
            side="landlord",
            session=session,
        )


def test_a_closed_case_stays_readable_by_those_who_worked_on_it(flow, measure):
    services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    assert visible(flow.caseworker, measure.action.household)
    assert visible(flow.cesf, measure.action.household)


def test_confidential_follow_ups_stay_within_the_authors_partner(flow, measure):
    household = measure.action.household
    data = {"happened_on": date(2026, 2, 1), "kind": "home_visit", "summary": "Visite."}
    services.follow_up_create(household=household, by=flow.caseworker, measure=measure, data=data)
    services.follow_up_create(
        household=household,
        by=flow.caseworker,
        measure=measure,
        data={**data, "summary": "Note interne.", "confidential": True},
    )
    colleague = user_create(Role.MANAGER, partner=flow.association)
    follow_ups = FollowUp.objects.filter(household=household)
    assert follow_ups.visible_to(colleague).count() == 2
    assert list(follow_ups.visible_to(flow.cesf).values_list("summary", flat=True)) == ["Visite."]
    assert follow_ups.visible_to(flow.coordinator).count() == 1


def test_a_follow_up_before_the_measure_goes_to_the_household_one_in_the_future_is_refused(
    flow, measure
):
    household = measure.action.household
    with time_machine.travel(date(2026, 1, 20)):
        before = services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={"happened_on": date(2026, 1, 14), "kind": "phone", "summary": "x"},
        )
    assert before.measure is None and before.household == household
    # The measure's journal shows the contacts since the action's orientation (15/01) only.
    assert before not in FollowUp.objects.journal_of(measure)
    with pytest.raises(DomainError, match="futur"):
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            data={"happened_on": date(2999, 1, 1), "kind": "phone", "summary": "x"},
        )


def test_transfer_steps_must_follow_each_other(flow, measure):
    action = measure.action
    with pytest.raises(DomainError, match="se suivent"):
        services.action_update_tracking(
            action=action,
            by=flow.cesf,
            data={"moved_on": date(2026, 3, 1)},
            expected_version=action.version,
        )
    services.action_update_tracking(
        action=action,
        by=flow.cesf,
        data={"transfer_requested_on": date(2026, 2, 1), "dwelling_offered_on": date(2026, 3, 1)},
        expected_version=action.version,
    )


def test_tracking_edited_from_a_stale_version_is_refused(flow, measure):
    action = measure.action
    services.action_update_tracking(
        action=action, by=flow.cesf, data={"fsl_status": "requested"}, expected_version=1
    )
    with pytest.raises(DomainError, match="modifiée par quelqu'un d'autre"):
        services.action_update_tracking(
            action=action, by=flow.caseworker, data={"fsl_status": "granted"}, expected_version=1
        )


def test_a_rent_reduction_covers_whole_months(flow, measure):
    reduction = services.rent_reduction_create(
        action=measure.action,
        by=flow.cesf,
        monthly_amount=50,
        starts_on=date(2026, 2, 10),
        ends_on=date(2026, 7, 3),
    )
    assert len(reduction.months()) == 6
    assert reduction.months()[0] == date(2026, 2, 1)


def test_the_demo_shows_each_action_kind_at_every_step(demo):
    from actions.models import Action, ActionKind, ArrearsReading, LeaseReview, RentReduction

    steps = {(a.kind, a.status) for a in Action.objects.all()}
    for kind in ActionKind.values:
        for status in ("in_codecision", "in_progress", "rejected", "closed"):
            assert (kind, status) in steps, (kind, status)
    assert ArrearsReading.objects.exists() and RentReduction.objects.exists()
    assert LeaseReview.objects.exists()
    assert SupportMeasure.objects.filter(renewal_count=1).exists()
    assert {o for o in SupportMeasure.objects.values_list("outcome", flat=True) if o} >= {
        "rehoused",
        "transferred",
        "stayed",
    }


def test_the_demo_shows_a_glided_lease_a_payment_plan_and_a_dwelling_register(demo):
    """Mercier's sliding lease glided two years after it started, a year after its measure
    closed, with reviews in between; Rousseau (action 2) is under a payment plan; Diallo
    lives in a dwelling of L'Oiseau Bleu's register."""
    from actions.models import Dwelling, EvictionProcedure, SlidingLease

    glided = SlidingLease.objects.get(glide_on__isnull=False)
    household = glided.action.household
    assert household.name == "Mercier"
    assert (household.housing_status, household.landlord) == ("tenant", glided.action.landlord)
    assert household.tenant_number == "PLU-118-0042"
    closed_on = glided.action.measures.get().closed_on
    assert glided.reviews.filter(held_on__gt=closed_on).count() == 2
    assert glided.action.status == "closed"
    plan = EvictionProcedure.objects.get(household__name="Rousseau")
    assert (plan.judgement_outcome, plan.payment_plan_months) == ("payment_plan", 24)
    register = Dwelling.objects.with_occupant()
    assert {d.occupant_reference for d in register if d.occupant_id} == {
        SlidingLease.objects.get(action__household__name="Diallo").action.household.reference
    }
    assert sum(1 for d in register if not d.occupant_id) >= 2
