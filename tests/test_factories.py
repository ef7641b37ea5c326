"""Each factory trait gives the state it names, through the services."""

from datetime import date, timedelta

from actions.models import AppointmentStatus, MeasureStatus, OutreachStatus
from codecision.models import CoDecisionStatus
from funding.models import LedgerEntry
from households.models import Household
from partners.models import Role
from tests.factories import (
    AppointmentFactory,
    CoDecisionFactory,
    FollowUpFactory,
    HouseholdFactory,
    LedgerEntryFactory,
    MeasureFactory,
    OutreachRequestFactory,
    RentReductionFactory,
    user_create,
)


def test_a_household_is_seen_by_the_partner_that_opened_it(db):
    opener = user_create(Role.CESF)
    household = HouseholdFactory(by=opener, members=3, diagnosed=True)
    assert household.members.count() == 3
    assert household.diagnostics.count() == 1
    assert list(Household.objects.visible_to(opener)) == [household]
    assert not Household.objects.visible_to(user_create(Role.CESF)).exists()


def test_a_codecision_is_open_until_a_side_answers(db):
    codecision = CoDecisionFactory()
    assert (codecision.status, codecision.landlord_answer) == (CoDecisionStatus.PENDING, "")


def test_one_side_answered_leaves_the_codecision_waiting_for_the_other(db):
    codecision = CoDecisionFactory(landlord_approved=True)
    assert codecision.status == CoDecisionStatus.PENDING
    assert (codecision.landlord_answer, codecision.association_answer) == ("approve", "")


def test_a_disagreement_waits_for_the_coordination(db):
    assert CoDecisionFactory(disagreement=True).status == CoDecisionStatus.DISAGREEMENT


def test_an_arbitrated_disagreement_is_refused(db):
    codecision = CoDecisionFactory(arbitrated=True)
    assert codecision.status == CoDecisionStatus.REJECTED
    assert codecision.arbitrated_by is not None


def test_a_measure_is_in_progress_with_the_caseworker_as_referent(db):
    measure = MeasureFactory()
    assert measure.status == MeasureStatus.ACTIVE
    assert measure.referent.partner == measure.action.association
    assert measure.starts_on == date.today() - timedelta(days=20)


def test_a_renewed_measure_lasts_twelve_months(db):
    measure = MeasureFactory(renewed=True)
    assert (measure.renewal_count, measure.months) == (1, 12)


def test_a_renewal_requested_is_an_open_codecision(db):
    measure = MeasureFactory(renewal_requested=True)
    assert measure.renewal_count == 0
    assert measure.renewal_codecisions.open().count() == 1


def test_a_closed_measure_has_its_outcome(db):
    measure = MeasureFactory(closed=True)
    assert (measure.status, measure.outcome) == (MeasureStatus.CLOSED, "stayed")


def test_an_action_3_measure_opens_its_sliding_lease(db):
    measure = MeasureFactory(sliding_lease=True)
    assert measure.action.sliding_lease.glide_on is None


def test_a_follow_up_is_in_its_measure_journal(db):
    follow_up = FollowUpFactory()
    assert follow_up.measure.follow_ups.get() == follow_up


def test_an_appointment_is_planned_or_cancelled(db):
    assert AppointmentFactory().status == AppointmentStatus.PLANNED
    assert AppointmentFactory(cancelled=True).status == AppointmentStatus.CANCELLED


def test_a_rent_reduction_covers_the_first_month_of_its_measure(db):
    reduction = RentReductionFactory()
    measure = reduction.action.measures.get()
    assert reduction.starts_on == reduction.ends_on == measure.starts_on.replace(day=1)


def test_an_outreach_request_waits_then_is_answered(db):
    assert OutreachRequestFactory().status == OutreachStatus.PENDING
    assert OutreachRequestFactory(accepted=True).status == OutreachStatus.ACCEPTED
    assert OutreachRequestFactory(declined=True).status == OutreachStatus.DECLINED


def test_a_ledger_entry_is_booked(db):
    entry = LedgerEntryFactory(amount=250)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 250
