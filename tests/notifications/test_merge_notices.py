"""Two files merged by the coordination (households.merge → HouseholdsMerged): the partners
involved are told, and what pointed to the merged file in the notices, the agenda and the
calendar feed follows the file kept."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from cases.agenda import agenda
from cases.feed import calendar_of
from households.merge import household_merge
from notifications.handlers import DUPLICATE_KIND
from notifications.models import Notification, PendingNotice
from tests.factories import household_create


def page(household, anchor: str = "") -> str:
    return reverse("households:detail", args=[household.pk]) + anchor


def test_a_merge_is_told_to_the_partners_of_both_files_and_notices_follow_the_file_kept(
    flow, django_capture_on_commit_callbacks
):
    kept = household_create(by=flow.cesf, name="Roux")
    duplicate = household_create(by=flow.caseworker, name="Roux-Benoît")
    other = household_create(by=flow.cesf, name="Autre")
    appointment = action_services.appointment_save(
        household=duplicate,
        by=flow.caseworker,
        data={"kind": "home_visit", "on": timezone.localdate() + timedelta(days=2)},
    )
    task = Notification.objects.create(
        recipient=flow.caseworker,
        kind="test_task",
        text="Une demande sur ce dossier.",
        household=duplicate,
        link=page(duplicate, "#rendez-vous"),
        object_type="household",
        object_id=duplicate.pk,
        task=True,
    )
    elsewhere = Notification.objects.create(
        recipient=flow.cesf, kind="test", text="Un autre dossier.", link=page(other)
    )
    pending = PendingNotice.objects.create(
        kind="test", text="À envoyer.", recipients=[flow.cesf.pk], link=page(duplicate)
    )
    suspected = Notification.objects.create(
        recipient=flow.coordinator,
        kind=DUPLICATE_KIND,
        text=f"{duplicate.reference}, ouvert par X, ressemble à {kept.reference} : vérifiez.",
        household=duplicate,
        link=reverse("households:merge", args=[duplicate.pk]),
    )

    with django_capture_on_commit_callbacks(execute=True):
        household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")

    # Both partners now involved hear it, with both references and no name.
    for user in (flow.cesf, flow.caseworker):
        told = Notification.objects.get(recipient=user, kind="households_merged")
        assert duplicate.reference in told.text and kept.reference in told.text
        assert "Roux" not in told.text
        assert told.household == kept and told.link == page(kept)
    assert not Notification.objects.filter(
        recipient=flow.coordinator, kind="households_merged"
    ).exists()
    # What pointed to the merged file points to the file kept; its task is done.
    task.refresh_from_db()
    assert task.link == page(kept, "#rendez-vous") and task.object_id == kept.pk
    assert task.household == kept and task.done_at is not None
    pending.refresh_from_db()
    assert pending.link == page(kept)
    elsewhere.refresh_from_db()
    assert elsewhere.link == page(other)
    # The coordination's notice of a possible duplicate is settled.
    suspected.refresh_from_db()
    assert suspected.read_at is not None
    assert suspected.link == reverse("households:merge", args=[kept.pk])

    # The agenda and the calendar feed carry the appointment under the file kept.
    [item] = [i for i in agenda(flow.caseworker) if i.object_id == appointment.pk]
    assert (item.household_id, item.reference) == (kept.pk, kept.reference)
    assert str(kept.pk) in item.link
    feed = calendar_of([item]).decode()
    assert kept.reference in feed and duplicate.reference not in feed


def test_the_people_of_a_partner_involved_in_both_files_are_told_once(flow):
    kept = household_create(by=flow.cesf, name="Roux")
    duplicate = household_create(by=flow.cesf, name="Roux")
    household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")
    [notice] = PendingNotice.objects.filter(kind="households_merged")
    assert notice.recipients == [flow.cesf.pk] and notice.household == kept


def test_the_summaries_kept_of_the_merged_file_are_removed(flow, settings, tmp_path):
    from pathlib import Path

    settings.SUMMARY_CACHE_DIR = str(tmp_path)
    kept = household_create(by=flow.cesf, name="Roux")
    duplicate = household_create(by=flow.cesf, name="Roux")
    for household in (kept, duplicate):
        directory = Path(tmp_path) / str(household.pk)
        directory.mkdir()
        (directory / "résumé.pdf").write_bytes(b"%PDF-1.7")
    household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")
    assert not (Path(tmp_path) / str(duplicate.pk)).exists()
    assert (Path(tmp_path) / str(kept.pk) / "résumé.pdf").exists()
