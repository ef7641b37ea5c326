"""Merging two files of the same household: every row of every app is moved to the file
kept, the duplicate is archived with a pointer, the history of both stays readable, access
follows, and only the coordination merges."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from cases.history import case_history
from core.errors import DomainError
from documents import services as document_services
from households.merge import household_merge, household_relations
from households.models import AccessAction, AccessLogEntry, Household, HouseholdMerge
from notifications.models import Notification
from partners.models import Role
from tests.documents import samples
from tests.factories import (
    both_approve,
    diagnostic_create,
    household_create,
    orientation_create,
    user_create,
)


def counts(household) -> dict[str, int]:
    """How many rows of each kind point to `household`, for every relation there is."""
    return {
        relation.related_model._meta.label: relation.related_model._base_manager.filter(
            **{relation.field.name: household}
        ).count()
        for relation in household_relations()
    }


@pytest.fixture
def pair(flow, client):
    """The same family opened twice: « Roux » by the landlord's CESF (a diagnostic), and
    « Roux-Benoît » with a whole case: diagnostic, orientation, co-decision, measure,
    follow-up, document, its access log and notifications."""
    kept = household_create(by=flow.cesf, name="Roux", members=2)
    diagnostic_create(household=kept, by=flow.cesf)
    duplicate = household_create(by=flow.cesf, name="Roux-Benoît", members=1)
    orientation = orientation_create(
        cesf=flow.cesf, association=flow.association, household=duplicate
    )
    codecision = orientation.action.codecisions.get()
    both_approve(
        codecision,
        landlord_user=flow.cesf,
        caseworker=flow.caseworker,
        starts_on=timezone.localdate() - timedelta(days=20),
    )
    measure = orientation.action.measures.get()
    action_services.follow_up_create(
        household=duplicate,
        by=flow.caseworker,
        measure=measure,
        data={
            "happened_on": timezone.localdate() - timedelta(days=2),
            "kind": "phone",
            "summary": "Appel : « tout va bien » 🙂",
        },
    )
    document_services.document_create(
        household=duplicate,
        by=flow.caseworker,
        uploads=[SimpleUploadedFile("papier.pdf", samples.pdf("Décision FSL"))],
        kind="fsl_decision",
        title="Décision FSL",
        dated_on=timezone.localdate() - timedelta(days=3),
    )
    Notification.objects.create(
        recipient=flow.cesf, kind="test", text="Un avis sur ce dossier.", household=duplicate
    )
    client.force_login(flow.caseworker)
    assert client.get(reverse("households:detail", args=[duplicate.pk])).status_code == 200
    return kept, duplicate


def test_every_row_of_the_duplicate_is_moved_to_the_file_kept(flow, pair):
    kept, duplicate = pair
    before_kept, before_duplicate = counts(kept), counts(duplicate)
    # The case is whole: the test would say nothing if these were empty.
    for label in (
        "households.HouseholdMember",
        "households.Diagnostic",
        "actions.Orientation",
        "actions.Action",
        "codecision.CoDecision",
        "actions.FollowUp",
        "documents.Document",
        "households.AccessLogEntry",
        "notifications.Notification",
    ):
        assert before_duplicate[label] > 0, label
    record = household_merge(
        kept=kept, merged=duplicate, by=flow.coordinator, reason="Même famille, saisie deux fois."
    )
    after_kept, after_duplicate = counts(kept), counts(duplicate)
    assert set(after_duplicate.values()) == {0}
    expected = {label: before_kept[label] + before_duplicate[label] for label in before_kept}
    expected["households.Household"] += 1  # the duplicate's own pointer to the file kept
    # The merge itself queues notices: the kept file is now shared with the duplicate's
    # partners (notifications.handlers.household_shared), on top of the notices moved.
    queued = "notifications.PendingNotice"
    assert after_kept[queued] >= expected[queued]
    expected[queued] = after_kept[queued]
    assert after_kept == expected
    assert before_duplicate["funding.LedgerEntry"] > 0  # the measure's fee, booked
    assert sum(record.moved.values()) == sum(before_duplicate.values())
    # The measure follows its action.
    assert kept.actions.get().measures.count() == 1


def test_the_duplicate_is_archived_with_a_pointer_and_the_history_of_both_is_kept(flow, pair):
    kept, duplicate = pair
    household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Même famille 👪")
    duplicate.refresh_from_db()
    assert Household.objects.filter(pk=duplicate.pk).exists()
    assert duplicate.merged_into == kept and duplicate.merged_at is not None
    record = HouseholdMerge.objects.get(merged=duplicate)
    assert (record.kept, record.merged_by, record.reason) == (
        kept,
        flow.coordinator,
        "Même famille 👪",
    )
    assert duplicate.history.first().history_change_reason.startswith(
        f"Fusionné dans {kept.reference}"
    )
    assert kept.history.first().history_change_reason.startswith(
        f"Le dossier {duplicate.reference} y est fusionné"
    )
    events = case_history(kept)
    subjects = {event.subject for event in events}
    assert f"Dossier {duplicate.reference}, fusionné dans celui-ci" in subjects
    # Both files' diagnostics and the duplicate's co-decision, written before the merge.
    assert sum(1 for event in events if event.subject.startswith("Diagnostic")) == 2
    assert any(event.subject.startswith("Co-décision") for event in events)


def test_access_follows_the_merge(client, flow, pair, other_association):
    kept, duplicate = pair
    outsider = user_create(Role.CASEWORKER, partner=other_association)
    household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")
    visible = Household.objects.visible_to
    # The association of the duplicate's measure now follows the file kept; nobody but the
    # coordination sees the duplicate any more.
    assert kept in visible(flow.caseworker) and kept in visible(flow.cesf)
    assert duplicate not in visible(flow.caseworker) and duplicate not in visible(flow.cesf)
    assert kept not in visible(outsider)
    client.force_login(flow.caseworker)
    assert client.get(reverse("households:detail", args=[duplicate.pk])).status_code == 404
    client.force_login(flow.coordinator)
    page = client.get(reverse("households:detail", args=[duplicate.pk])).content.decode()
    assert "Ce dossier a été fusionné" in page
    assert reverse("households:detail", args=[kept.pk]) in page
    listed = client.get(reverse("households:list") + "?q=Roux").content.decode()
    assert kept.reference in listed and duplicate.reference not in listed


def test_the_partner_of_the_duplicate_follows_the_file_kept(flow):
    kept = household_create(by=flow.cesf, name="Roux")
    duplicate = household_create(by=flow.caseworker, name="Roux")
    assert kept not in Household.objects.visible_to(flow.caseworker)
    household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")
    assert kept in Household.objects.visible_to(flow.caseworker)


def test_only_the_coordination_merges_two_live_files(flow):
    first = household_create(by=flow.cesf, name="Roux")
    second = household_create(by=flow.cesf, name="Roux")
    third = household_create(by=flow.cesf, name="Roux")
    for user in (flow.cesf, flow.caseworker):
        with pytest.raises(DomainError, match="Seule la coordination"):
            household_merge(kept=first, merged=second, by=user, reason="Doublon.")
    with pytest.raises(DomainError, match="autre dossier"):
        household_merge(kept=first, merged=first, by=flow.coordinator, reason="Doublon.")
    with pytest.raises(DomainError, match="pourquoi"):
        household_merge(kept=first, merged=second, by=flow.coordinator, reason="  ")
    household_merge(kept=first, merged=second, by=flow.coordinator, reason="Doublon.")
    with pytest.raises(DomainError, match="déjà été fusionné"):
        household_merge(kept=third, merged=second, by=flow.coordinator, reason="Doublon.")
    # A file merged into a duplicate that is merged in turn points to the last file kept.
    household_merge(kept=third, merged=first, by=flow.coordinator, reason="Encore un.")
    second.refresh_from_db()
    assert second.merged_into == third


def test_two_eviction_procedures_are_refused_and_nothing_moves(flow):
    kept = household_create(by=flow.cesf, name="Roux")
    duplicate = household_create(by=flow.cesf, name="Roux")
    diagnostic_create(household=duplicate, by=flow.cesf)
    for household in (kept, duplicate):
        action_services.procedure_open(household=household, by=flow.cesf)
    with pytest.raises(DomainError, match="qu'une fois par ménage"):
        household_merge(kept=kept, merged=duplicate, by=flow.coordinator, reason="Doublon.")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.diagnostics.count() == 1


def test_the_page_asks_for_confirmation_then_merges(client, flow, pair):
    kept, duplicate = pair
    url = reverse("households:merge", args=[kept.pk])
    client.force_login(flow.cesf)
    assert client.get(url).status_code == 403
    client.force_login(flow.coordinator)
    assert client.get(url).status_code == 200
    choose = {"other": duplicate.reference.lower(), "keep": "this", "reason": "Même famille."}
    page = client.post(url, choose).content.decode()
    assert "Confirmer la fusion" in page and duplicate.reference in page
    assert "diagnostics : 1" in page
    assert Household.objects.get(pk=duplicate.pk).merged_into is None
    confirmed = {**choose, "confirmed": "True", "versions": f"{kept.version},{duplicate.version}"}
    response = client.post(url, confirmed)
    assert response.status_code == 302
    assert response.url == reverse("households:detail", args=[kept.pk])
    assert Household.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
    assert AccessLogEntry.objects.filter(
        household=kept, action=AccessAction.VIEW, user=flow.caseworker
    ).exists()


def test_the_page_refuses_a_stale_confirmation_and_an_unknown_reference(client, flow, pair):
    kept, duplicate = pair
    url = reverse("households:merge", args=[kept.pk])
    client.force_login(flow.coordinator)
    page = client.post(url, {"other": "LT-1999-9999", "keep": "this", "reason": "x"})
    assert "Aucun dossier ne porte cette référence." in page.content.decode()
    stale = {
        "other": duplicate.reference,
        "keep": "other",
        "reason": "Même famille.",
        "confirmed": "True",
        "versions": f"{kept.version},{duplicate.version - 1}",
    }
    page = client.post(url, stale).content.decode()
    assert "modifié pendant que vous prépariez la fusion" in page
    assert Household.objects.get(pk=kept.pk).merged_into is None
