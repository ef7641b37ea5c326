"""Everyone hears what concerns them, once: outcome notices of the workflow, and the tasks
they ask for, done when anyone of the partner does the thing (issue 19, parts 1 and 2)."""

from datetime import date, timedelta

import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from codecision import services as codecision_services
from notifications import sweep
from notifications.models import EmailMode, Notification, NotificationPreference, PendingNotice
from notifications.services import deliver_lost_notices, queue_notice, send_digests, to_do_count
from notifications.tasks import daily_sweep
from partners.models import Role
from tests.factories import (
    MeasureFactory,
    both_approve,
    household_create,
    orientation_create,
    start_measure,
    user_create,
)
from tests.helpers import at


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_cesf_hears_the_outcome_and_her_waiting_notice_is_done_by_her_colleague(
    flow, django_capture_on_commit_callbacks
):
    colleague = user_create(Role.CESF, partner=flow.landlord)
    flow.cesf.email = "cesf@example.org"
    flow.cesf.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    household = orientation.household
    assert to_do_count(flow.cesf) == to_do_count(colleague) == to_do_count(flow.caseworker) == 1
    # The association is told the file is now shared with it; the CESF's own partner is not.
    assert "household_shared" in kinds(flow.caseworker)
    assert "household_shared" not in kinds(flow.cesf)

    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_answer(codecision=codecision, by=colleague, answer="approve")
    # Her colleague answered for the landlord: her « en attente » notice is done (and read).
    assert to_do_count(flow.cesf) == to_do_count(colleague) == 0
    task = Notification.objects.get(recipient=flow.cesf, kind="codecision_opened")
    assert task.done_at is not None and task.read_at is not None
    assert to_do_count(flow.caseworker) == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.caseworker,
            answer="approve",
            referent=flow.caseworker,
        )
    assert to_do_count(flow.caseworker) == 0
    decided = Notification.objects.get(recipient=flow.cesf, kind="orientation_decided")
    assert household.reference in decided.text and "approuvée" in decided.text
    for user in (flow.cesf, colleague, flow.caseworker):
        assert kinds(user).count("measure_started") == 1
    # E-mails carry the reference, never the household's name.
    bodies = [m.body for m in mail.outbox]
    assert any(household.reference in body and "approuvée" in body for body in bodies)
    assert not any(household.name in body for body in bodies)

    # Each notice once: the catch-up and the sweep send nothing again.
    theirs = Notification.objects.filter(recipient__in=[flow.cesf, colleague, flow.caseworker])
    before = theirs.count()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        deliver_lost_notices()
        daily_sweep()
    assert theirs.count() == before


def test_a_disagreement_waits_for_the_coordination_and_its_arbitration_reaches_both_sides(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision = orientation.action.codecisions.get()
        codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.caseworker, answer="reject", comment="Pas de place 🙁"
        )
    disagreement = Notification.objects.get(
        recipient=flow.coordinator, kind="codecision_disagreement"
    )
    assert disagreement.task and to_do_count(flow.coordinator) == 1
    assert orientation.household.reference in disagreement.text

    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_arbitrate(
            codecision=codecision, by=flow.coordinator, decision="reopen", comment="Réexaminer."
        )
    assert to_do_count(flow.coordinator) == 0
    for user in (flow.cesf, flow.caseworker):
        arbitrated = Notification.objects.get(recipient=user, kind="codecision_arbitrated")
        assert "nouvel examen" in arbitrated.text and arbitrated.task
    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.cesf, answer="reject", comment="Finalement non."
        )
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.caseworker, answer="reject", comment="D'accord."
        )
    assert to_do_count(flow.cesf) == to_do_count(flow.caseworker) == 0
    refused = Notification.objects.get(recipient=flow.cesf, kind="orientation_decided")
    assert "refusée" in refused.text


def test_an_answer_recorded_in_committee_is_told_to_the_partner_concerned(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    session = codecision_services.committee_session_create(
        by=flow.coordinator,
        held_on=timezone.localdate(),
        codecisions=[codecision],
        participants=[flow.cesf],
    )
    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_answer(
            codecision=codecision,
            by=flow.coordinator,
            answer="approve",
            side="landlord",
            session=session,
        )
    notice = Notification.objects.get(recipient=flow.cesf, kind="codecision_committee_answer")
    assert "approuve" in notice.text and str(session) in notice.text
    assert to_do_count(flow.cesf) == 0  # her side has answered, in committee
    assert not Notification.objects.filter(
        recipient=flow.caseworker, kind="codecision_committee_answer"
    ).exists()


def test_a_measure_closed_is_told_to_every_partner_involved(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision = orientation.action.codecisions.get()
        codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.caseworker, answer="approve", referent=flow.caseworker
        )
    measure = orientation.action.measures.get()
    with django_capture_on_commit_callbacks(execute=True):
        action_services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    for user in (flow.cesf, flow.caseworker):
        closed = Notification.objects.get(recipient=user, kind="measure_closed")
        assert "maintien dans le logement" in closed.text
        assert closed.link == reverse("actions:measure_detail", args=[measure.pk])


def test_a_notice_whose_task_was_lost_is_delivered_by_the_catch_up_once(flow):
    """No on-commit here: the notice's task never ran (a broker down, a worker killed)."""
    queue_notice(kind="test_event", text="LT-TEST : un événement.", recipients=[flow.cesf.pk])
    assert PendingNotice.objects.count() == 1
    assert deliver_lost_notices() == 0  # its own task still has its chance
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert deliver_lost_notices() == 1
        assert deliver_lost_notices() == 0
    assert kinds(flow.cesf) == ["test_event"]
    assert not PendingNotice.objects.exists()


def test_the_header_counts_what_waits_for_the_user(
    client, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    client.force_login(flow.cesf)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'aria-label="1 en attente"' in page and "À faire" in page
    codecision = orientation.action.codecisions.get()
    # The co-decision page tells the proposing side why it answers too.
    detail = client.get(reverse("codecision:detail", args=[codecision.pk])).content.decode()
    assert "proposing-side" in detail and "n'engage pas encore la structure" in detail.replace(
        "&#x27;", "'"
    )
    with django_capture_on_commit_callbacks(execute=True):
        codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "en attente</span>" not in page and "badge tasks" not in page
    assert "Fait le" in page
    # The API says the same.
    assert client.get("/api/notifications/?todo=true").json()["results"] == []


def test_a_follow_up_logged_ends_the_no_follow_up_reminder(flow):
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    both_approve(
        orientation.action.codecisions.get(),
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() - timedelta(days=40),
    )
    measure = orientation.action.measures.get()
    sweep.sweep()
    reminder = Notification.objects.get(recipient=flow.caseworker, kind="no_follow_up")
    assert reminder.task and reminder.done_at is None
    action_services.follow_up_create(
        household=orientation.household,
        by=flow.caseworker,
        measure=measure,
        data={
            "happened_on": timezone.localdate(),
            "kind": "phone",
            "summary": "Appel : tout va bien.",
        },
    )
    reminder.refresh_from_db()
    assert reminder.done_at is not None and reminder.read_at is not None


def with_email(user, address: str, mode: str = EmailMode.IMMEDIATE):
    user.email = address
    user.save(update_fields=["email"])
    NotificationPreference.objects.update_or_create(user=user, defaults={"email_mode": mode})
    return user


def test_event_notices_follow_each_users_email_preference(flow, django_capture_on_commit_callbacks):
    """One e-mail per notice, the daily digest, or none: as each user chose; in the
    application for all of them. E-mails carry the reference, never the household's name."""
    immediate = with_email(flow.caseworker, "immediat@example.org")
    digest = with_email(flow.cesf, "recap@example.org", EmailMode.DIGEST)
    silent = with_email(
        user_create(Role.CESF, partner=flow.landlord), "rien@example.org", EmailMode.NONE
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
        )
    household = orientation.household
    for user in (immediate, digest, silent):
        assert "measure_started" in kinds(user)
    assert "orientation_decided" in kinds(digest) and "orientation_decided" in kinds(silent)
    sent_to = [address for message in mail.outbox for address in message.to]
    assert "immediat@example.org" in sent_to
    assert "recap@example.org" not in sent_to and "rien@example.org" not in sent_to
    mail.outbox.clear()

    assert send_digests() == 1
    [recap] = mail.outbox
    assert recap.to == ["recap@example.org"]
    assert f"{household.reference} : la pré-orientation" in recap.body
    assert "approuvée" in recap.body and "démarre" in recap.body
    assert household.name not in recap.body and household.name not in recap.subject


def test_a_step_rolled_back_tells_no_one(flow, django_capture_on_commit_callbacks):
    """Notices go out once the step commits: a step that fails tells nothing, now or later."""
    with_email(flow.caseworker, "immediat@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        orientation_create(cesf=flow.cesf, association=flow.association)
        assert PendingNotice.objects.exists()  # written with the step…
        transaction.set_rollback(True)  # …which does not commit
    assert not PendingNotice.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        deliver_lost_notices()
        daily_sweep()
    assert not Notification.objects.filter(recipient__in=[flow.cesf, flow.caseworker]).exists()
    assert mail.outbox == []


def test_a_notice_whose_task_was_lost_is_delivered_by_the_daily_sweep(flow):
    """No on-commit here: the notice's task never ran, and the sweep delivers it, once."""
    queue_notice(kind="test_event", text="LT-TEST : un événement.", recipients=[flow.cesf.pk])
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert daily_sweep()["notices_caught_up"] == 1
        assert deliver_lost_notices() == 0
    assert kinds(flow.cesf) == ["test_event"]


def test_a_measure_renewed_is_told_to_every_partner_involved(
    flow, django_capture_on_commit_callbacks
):
    colleague = user_create(Role.CESF, partner=flow.landlord)
    with django_capture_on_commit_callbacks(execute=True):
        measure = MeasureFactory(cesf=flow.cesf, caseworker=flow.caseworker, renewed=True)
    household = measure.action.household
    for user in (flow.cesf, colleague, flow.caseworker):
        [renewed] = Notification.objects.filter(recipient=user, kind="measure_renewed")
        assert renewed.text.startswith(f"{household.reference} : la mesure")
        assert f"renouvelée jusqu'au {measure.ends_on:%d/%m/%Y}" in renewed.text
        assert household.name not in renewed.text
        assert renewed.link == reverse("actions:measure_detail", args=[measure.pk])
    assert not Notification.objects.filter(
        recipient=flow.coordinator, kind="measure_renewed"
    ).exists()


def test_an_arbitration_that_refuses_is_told_to_both_sides_and_the_orienting_partner(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
        codecision = orientation.action.codecisions.get()
        codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
        codecision_services.codecision_answer(
            codecision=codecision, by=flow.caseworker, answer="reject", comment="Pas de place."
        )
        codecision_services.codecision_arbitrate(
            codecision=codecision, by=flow.coordinator, decision="reject", comment="Hors champ."
        )
    assert to_do_count(flow.coordinator) == 0
    for user in (flow.cesf, flow.caseworker):
        arbitrated = Notification.objects.get(recipient=user, kind="codecision_arbitrated")
        assert "la proposition est refusée" in arbitrated.text and not arbitrated.task
        assert to_do_count(user) == 0
    refused = Notification.objects.get(recipient=flow.cesf, kind="orientation_decided")
    assert "refusée" in refused.text


def test_a_lease_review_recorded_ends_its_review_reminder_for_everyone(flow):
    measure = start_measure(flow, date(2026, 1, 31), kind="sliding_lease_eviction")
    lease = measure.action.sliding_lease
    action_services.sliding_lease_update(
        lease=lease,
        by=flow.caseworker,
        data={"sublease_signed_on": date(2026, 1, 31)},
        expected_version=lease.version,
    )
    lease.refresh_from_db()
    sweep.sweep(date(2026, 7, 1))  # the review is due by 31 July
    reminders = Notification.objects.filter(kind="lease_review")
    assert {n.recipient_id for n in reminders} == {flow.cesf.pk, flow.caseworker.pk}
    assert all(n.task and n.done_at is None for n in reminders)
    with at(date(2026, 7, 6)):
        action_services.lease_review_create(
            lease=lease,
            by=flow.caseworker,
            data={
                "held_on": date(2026, 7, 6),
                "rent_paid_regularly": True,
                "peaceful_occupation": True,
                "dwelling_upkept": True,
                "budget_managed": True,
                "landlord_offers_lease": None,
                "observations": "Point d'étape : tout est en ordre.",
            },
        )
    # Recorded by the association's referent: the landlord's CESF has nothing left to do.
    assert all(n.done_at is not None and n.read_at is not None for n in reminders.all())


def test_a_disagreement_arbitrated_before_its_late_notice_arrives_waits_for_no_one(flow):
    """No on-commit here: the notices' tasks were lost (a broker down). The coordination
    arbitrated from the co-decision page before the catch-up delivered the disagreement: the
    notice arrives, done, and the badge does not count it."""
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    codecision_services.codecision_answer(
        codecision=codecision, by=flow.caseworker, answer="reject", comment="Pas de place."
    )
    codecision_services.codecision_arbitrate(
        codecision=codecision, by=flow.coordinator, decision="reject", comment="Hors champ."
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        deliver_lost_notices()
    disagreement = Notification.objects.get(
        recipient=flow.coordinator, kind="codecision_disagreement"
    )
    assert disagreement.done_at is not None and disagreement.read_at is not None
    assert to_do_count(flow.coordinator) == 0
    assert "codecision_arbitrated" in kinds(flow.cesf)  # the news itself is delivered


def test_an_outreach_request_withdrawn_before_its_late_notice_arrives_waits_for_no_one(flow):
    household = household_create(by=flow.cesf)
    request = action_services.outreach_request_create(
        household=household, by=flow.cesf, association=flow.association, reason="Injoignable."
    )
    action_services.outreach_withdraw(request=request, by=flow.cesf)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        deliver_lost_notices()
    assert sorted(kinds(flow.caseworker)) == ["outreach_requested", "outreach_withdrawn"]
    assert to_do_count(flow.caseworker) == 0


def test_the_sweep_asks_no_answer_of_a_side_that_answered_before_the_late_notice(flow):
    """The opening notice's task was lost; the landlord's side answered at once; the sweep
    sends the lost notice to the association only, whose answer is still awaited."""
    orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    codecision = orientation.action.codecisions.get()
    codecision_services.codecision_answer(codecision=codecision, by=flow.cesf, answer="approve")
    daily_sweep()
    assert "codecision_opened" not in kinds(flow.cesf)
    assert to_do_count(flow.cesf) == 0
    assert kinds(flow.caseworker).count("codecision_opened") == 1
    assert to_do_count(flow.caseworker) == 1
