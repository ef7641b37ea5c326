"""Each reminder rule on a frozen date, across month ends and the winter truce, sent once."""

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actions import services
from codecision import services as codecision_services
from notifications import services as notification_services
from notifications.models import EmailMode, Notification, NotificationPreference, Reminder
from notifications.sweep import sweep
from partners.models import Membership, Role
from tests.factories import both_approve, orientation_create, start_measure, user_create


def received(user, kind_prefix: str = "", household=None) -> list[Notification]:
    notifications = Notification.objects.filter(recipient=user, kind__startswith=kind_prefix)
    if household is not None:
        notifications = notifications.filter(household=household)
    return list(notifications)


def test_measure_end_is_reminded_at_30_and_7_days_to_referent_and_coordinators(flow):
    measure = start_measure(flow, date(2026, 8, 31))  # ends 28/02/2027: a month end
    assert measure.ends_on == date(2027, 2, 28)
    sweep(date(2027, 1, 28))  # 31 days before
    assert received(flow.caseworker, "measure_end") == []
    sweep(date(2027, 1, 29))  # 30 days before
    [notice] = received(flow.caseworker, "measure_end")
    assert notice.kind == "measure_end_30"
    assert "28/02/2027" in notice.text and measure.action.household.reference in notice.text
    assert measure.action.household.name not in notice.text  # no name in what may be mailed
    # The coordination reads it in its daily notice, counted, not as one notice per measure.
    assert received(flow.coordinator, "measure_end") == []
    [digest] = Notification.objects.filter(recipient=flow.coordinator, digest_on="2027-01-29")
    assert digest.text == (
        "Rappels du 29/01/2027 pour la coordination : 1 mesure(s) dont la fin approche."
    )
    assert digest.link == reverse("actions:measure_overview") and digest.read_at is None
    assert received(flow.cesf, "measure_end") == []
    sweep(date(2027, 2, 20))  # 8 days before: nothing new
    assert len(received(flow.caseworker, "measure_end")) == 1
    sweep(date(2027, 2, 21))  # 7 days before
    assert sorted(n.kind for n in received(flow.caseworker, "measure_end")) == [
        "measure_end_30",
        "measure_end_7",
    ]


def test_a_sweep_that_missed_days_sends_only_the_most_urgent_end_reminder(flow):
    measure = start_measure(flow, date(2026, 3, 10))
    sweep(measure.ends_on - timedelta(days=3))
    assert [n.kind for n in received(flow.caseworker, "measure_end")] == ["measure_end_7"]


def test_renewed_measure_says_no_further_renewal_is_possible(flow):
    measure = start_measure(flow, date(2026, 1, 31))
    with time_machine.travel(date(2026, 7, 1)):
        renewal = services.renewal_request(
            measure=measure, by=flow.caseworker, comment="Audience à venir."
        )
        both_approve(renewal, landlord_user=flow.cesf, caseworker=flow.caseworker)
    measure.refresh_from_db()
    assert measure.ends_on == date(2027, 1, 31)
    sweep(date(2027, 1, 1))
    [notice] = received(flow.caseworker, "measure_end")
    assert notice.kind == "measure_end_30_final"
    assert "ne peut plus l'être" in notice.text


def test_overdue_measure_goes_to_referent_coordinators_and_association_manager(flow):
    manager = user_create(Role.MANAGER, partner=flow.association)
    landlord_manager = user_create(Role.MANAGER, partner=flow.landlord)
    measure = start_measure(flow, date(2026, 2, 1))
    sweep(measure.ends_on)  # the last day: not overdue yet
    assert received(manager) == []
    sweep(measure.ends_on + timedelta(days=1))
    for user in (flow.caseworker, manager):
        notices = received(user, "measure_overdue", measure.action.household)
        assert [n.kind for n in notices] == ["measure_overdue"]
    overdue_day = measure.ends_on + timedelta(days=1)
    [digest] = Notification.objects.filter(recipient=flow.coordinator, digest_on=overdue_day)
    assert digest.digest_counts == {"measure_overdue": 1}
    assert received(landlord_manager, "measure_overdue") == []


def test_no_follow_up_for_30_days_reminds_the_referent(flow):
    measure = start_measure(flow, date(2026, 1, 2))
    with time_machine.travel(date(2026, 1, 20)):
        services.follow_up_create(
            household=measure.action.household,
            by=flow.caseworker,
            measure=measure,
            data={"happened_on": date(2026, 1, 20), "kind": "phone", "summary": "Appel."},
        )
    sweep(date(2026, 2, 18))  # 29 days after the follow-up
    assert received(flow.caseworker, "no_follow_up") == []
    sweep(date(2026, 2, 19))
    [notice] = received(flow.caseworker, "no_follow_up")
    assert "20/01/2026" in notice.text
    assert received(flow.coordinator, "no_follow_up") == []


def test_codecision_waiting_more_than_7_days_reminds_the_side_that_has_not_answered(flow):
    landlord_manager = user_create(Role.MANAGER, partner=flow.landlord)
    association_manager = user_create(Role.MANAGER, partner=flow.association)
    with time_machine.travel(date(2026, 3, 27)):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision_services.codecision_answer(
            codecision=orientation.action.codecisions.get(), by=flow.cesf, answer="approve"
        )
    sweep(date(2026, 4, 2))  # 6 days
    assert received(flow.caseworker, "codecision_waiting") == []
    sweep(date(2026, 4, 3))  # 7 days, across the month end
    assert len(received(flow.caseworker, "codecision_waiting")) == 1
    assert len(received(association_manager, "codecision_waiting")) == 1
    assert received(flow.cesf, "codecision_waiting") == []
    assert received(landlord_manager, "codecision_waiting") == []


def test_a_codecision_opened_in_the_evening_waits_more_than_7_days_by_the_clock(flow):
    evening = timezone.make_aware(datetime(2026, 3, 27, 19, 0))
    with time_machine.travel(evening):
        orientation_create(cesf=flow.cesf, association=flow.association)
    sweep(date(2026, 4, 3))  # the 6 a.m. sweep: 6 days and 11 hours
    assert received(flow.caseworker, "codecision_waiting") == []
    sweep(date(2026, 4, 4))  # 7 days and 11 hours
    assert len(received(flow.caseworker, "codecision_waiting")) == 1


def hearing_case(flow, hearing: date, **stages):
    measure = start_measure(flow, date(2026, 1, 5), kind="sliding_lease_eviction")
    procedure = measure.action.household.procedure
    services.procedure_update(
        procedure=procedure,
        by=flow.cesf,
        data={"hearing_on": hearing, **stages},
        expected_version=procedure.version,
    )
    return measure


def test_hearing_in_15_days_and_the_diagnostic_due_to_the_judge(flow):
    # Hearing on Monday 2 March 2026: the diagnostic is due 5 working days before,
    # Monday 23 February, across the end of February.
    hearing_case(flow, date(2026, 3, 2), summons_on=date(2026, 1, 10))
    sweep(date(2026, 2, 14))  # hearing in 16 days, diagnostic due in 9
    assert received(flow.caseworker, "legal_") == []
    sweep(date(2026, 2, 15))
    kinds = {n.kind for n in received(flow.caseworker, "legal_")}
    assert "legal_hearing" in kinds
    assert "legal_dsf_to_judge" not in kinds  # due 23/02: 8 days ahead
    sweep(date(2026, 2, 16))
    [dsf] = received(flow.caseworker, "legal_dsf_to_judge")
    assert "23/02/2026" in dsf.text
    assert {n.kind for n in received(flow.cesf, "legal_")} == {
        "legal_hearing",
        "legal_dsf_to_judge",
    }


def test_end_of_winter_truce_after_an_eviction_judgement(flow):
    hearing_case(
        flow,
        date(2026, 1, 20),
        summons_on=date(2025, 11, 20),
        judgement_on=date(2026, 2, 10),
        judgement_outcome="eviction",
    )
    sweep(date(2026, 2, 28))  # the truce ends 31 March: 31 days ahead
    assert received(flow.caseworker, "legal_winter_truce_end") == []
    sweep(date(2026, 3, 1))
    [notice] = received(flow.caseworker, "legal_winter_truce_end")
    assert "31/03/2026" in notice.text


def test_sliding_lease_review_and_landlord_answer(flow):
    landlord_manager = user_create(Role.MANAGER, partner=flow.landlord)
    measure = start_measure(flow, date(2026, 1, 31), kind="sliding_lease_eviction")
    lease = measure.action.sliding_lease
    services.sliding_lease_update(
        lease=lease,
        by=flow.caseworker,
        data={"sublease_signed_on": date(2026, 1, 31)},
        expected_version=lease.version,
    )
    # Review period ends 31/07/2026; the landlord answers by 31/05/2026.
    sweep(date(2026, 4, 30))
    assert received(landlord_manager, "lease_") == []
    sweep(date(2026, 5, 1))
    [answer] = received(landlord_manager, "lease_landlord_answer")
    assert "31/05/2026" in answer.text
    sweep(date(2026, 7, 1))
    [review] = received(flow.caseworker, "lease_review")
    assert "31/07/2026" in review.text


def test_the_sweep_run_twice_sends_each_reminder_once(flow):
    measure = start_measure(flow, date(2026, 1, 2))
    day = measure.ends_on + timedelta(days=2)
    first = sweep(day)
    assert sum(first.values()) > 0
    second = sweep(day)
    assert sum(second.values()) == 0
    assert Reminder.objects.filter(object_id=measure.pk, kind="measure_overdue").count() == 1


def test_reminders_to_many_people_are_stored_and_mailed_in_batches(flow, monkeypatch):
    """A reminder may go to every coordinator: memory stays bounded by the batch."""
    for n in range(4):
        user_create(Role.COORDINATOR, username=f"coordinator.{n}")
    user_create(Role.MANAGER, partner=flow.association)
    monkeypatch.setattr(notification_services, "DELIVERY_BATCH", 3)
    queued = []
    monkeypatch.setattr(notification_services, "_email_soon", lambda batch: queued.append(batch))
    measures = [start_measure(flow, date(2026, 1, 2)) for _ in range(2)]
    sent = sweep(measures[0].ends_on + timedelta(days=2))
    # Each overdue measure: its referent and the association's managers; every coordinator
    # has one daily notice counting both measures.
    coordinators = Membership.objects.filter(role=Role.COORDINATOR).count()
    managers = Membership.objects.filter(role=Role.MANAGER, partner=flow.association).count()
    assert coordinators >= 5 and managers >= 1
    stored = Notification.objects.filter(kind="measure_overdue")
    assert sent["measures_overdue"] == stored.count() == 2 * (1 + managers)
    digests = Notification.objects.filter(kind="coordination_digest")
    assert digests.count() == coordinators
    assert {n.digest_counts["measure_overdue"] for n in digests} == {2}
    overdue = [b for b in queued if b and b[0].kind == "measure_overdue"]
    assert len(overdue) == -(-stored.count() // 3)  # batches of 3, the last one shorter
    assert all(len(batch) == 3 for batch in overdue[:-1])
    assert sorted(n.pk for batch in overdue for n in batch) == sorted(
        stored.values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(flow):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs this on it)")
    measure = start_measure(flow, date(2026, 1, 2))
    day = measure.ends_on + timedelta(days=2)
    barrier, results = threading.Barrier(2), []

    def run():
        barrier.wait()
        results.append(sweep(day))
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(received(flow.caseworker, "measure_overdue")) == 1
    assert sum(r["measures_overdue"] for r in results) == len(
        Notification.objects.filter(kind="measure_overdue")
    )


def test_single_emails_and_daily_digest(flow, django_capture_on_commit_callbacks):
    measure = start_measure(flow, date(2026, 1, 2))
    for user, email in (
        (flow.caseworker, "referent@example.org"),
        (flow.coordinator, "coord@example.org"),
    ):
        user.email = email
        user.save(update_fields=["email"])
    NotificationPreference.objects.create(user=flow.coordinator, email_mode=EmailMode.DIGEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweep(measure.ends_on + timedelta(days=1))
    to = [message.to[0] for message in mail.outbox]
    assert flow.caseworker.email in to
    assert flow.coordinator.email not in to
    assert all(measure.action.household.name not in m.body for m in mail.outbox)
    mail.outbox.clear()
    assert notification_services.send_digests() >= 1
    digest = [m for m in mail.outbox if m.to == [flow.coordinator.email]]
    assert len(digest) == 1
    assert "pour la coordination : 1 mesure(s) échue(s)" in digest[0].body
    mail.outbox.clear()
    notification_services.send_digests()
    assert not any(m.to == [flow.coordinator.email] for m in mail.outbox)


def test_opening_a_codecision_notifies_both_sides_after_commit(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    assert len(received(flow.caseworker, "codecision_opened")) == 1
    [notice] = received(flow.cesf, "codecision_opened")
    assert orientation.household.reference in notice.text


def test_end_of_the_energy_cut_off_truce_for_action_1(client, flow):
    measure = start_measure(flow, date(2027, 1, 11))  # action 1
    household = measure.action.household
    sweep(date(2027, 2, 28))  # 31 days before 31 March
    assert received(flow.caseworker, "energy_truce_end", household) == []
    sweep(date(2027, 3, 1))
    sweep(date(2027, 3, 2))
    [notice] = received(flow.caseworker, "energy_truce_end", household)
    assert "31/03/2027" in notice.text and household.reference in notice.text
    assert len(received(flow.cesf, "energy_truce_end", household)) == 1
    with time_machine.travel(date(2027, 4, 2), tick=False):
        client.force_login(flow.caseworker)
        page = client.get(reverse("actions:action_detail", args=[measure.action_id]))
    # After the truce, the page shows the next one.
    assert "Du 01/11/2027 au 31/03/2028" in page.content.decode()
