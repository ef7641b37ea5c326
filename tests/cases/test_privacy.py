"""What the application forgets, and when (docs/DOMAIN_RULES.md, personal data)."""

from datetime import date, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import FollowUp
from cases import privacy
from cases.personal_data import ANONYMOUS
from cases.tasks import nightly_privacy
from households.models import AccessLogEntry, Household
from tests.factories import both_approve, diagnostic_create, orientation_create


def closed_case(flow, closed_on: date, name: str):
    from tests.factories import household_create

    with time_machine.travel(closed_on - timedelta(days=200)):
        household = household_create(
            by=flow.cesf, name=name, contact_phone="06 11 22 33 44", address="3 rue du Drac"
        )
        diagnostic = diagnostic_create(
            household=household, by=flow.cesf, made_on=closed_on - timedelta(days=210)
        )
        orientation = services.orientation_create(
            household=household,
            by=flow.cesf,
            kind="energy",
            association=flow.association,
            diagnostic=diagnostic,
            reason="Factures d'énergie.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
        )
        measure = orientation.action.measures.get()
        services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": measure.starts_on,
                "kind": "home_visit",
                "summary": f"Visite chez {name}, difficultés de santé évoquées.",
            },
        )
    with time_machine.travel(closed_on):
        services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
    return household


def test_a_case_closed_for_two_years_is_anonymised_and_its_figures_kept(client, flow):
    old = closed_case(flow, date(2023, 6, 1), "Vasseur")
    recent = closed_case(flow, date(2025, 6, 1), "Caron")
    old.members.update(birth_date=date(1981, 7, 14))
    diagnostic = old.diagnostics.first()
    rent, reference = diagnostic.rent, old.reference
    with time_machine.travel(date(2025, 11, 25)):
        assert nightly_privacy()["households_anonymised"] == 1
        assert privacy.anonymise_due_cases() == 0  # the next night has nothing to do
    old.refresh_from_db()
    assert (old.name, old.contact_phone, old.address) == (ANONYMOUS, "", "")
    assert old.reference == reference and old.anonymised_on == date(2025, 11, 25)
    assert not old.members.exclude(first_name="").exists()
    assert {m.birth_date for m in old.members.all()} == {date(1981, 1, 1)}  # the year only
    diagnostic.refresh_from_db()
    assert diagnostic.rent == rent and diagnostic.conclusion == ""
    assert FollowUp.objects.get(household=old).summary == ""
    client.force_login(flow.cesf)
    page = client.get(reverse("households:detail", args=[old.pk])).content.decode()
    assert "Vasseur" not in page and "VASSEUR" not in page and "06 11 22 33 44" not in page
    recent.refresh_from_db()
    assert recent.name == "Caron" and recent.anonymised_on is None


def test_an_open_case_is_never_anonymised(flow):
    open_case = orientation_create(cesf=flow.cesf, association=flow.association).household
    with time_machine.travel(timezone.localdate() + timedelta(days=3000)):
        privacy.anonymise_due_cases()
    assert Household.objects.get(pk=open_case.pk).anonymised_on is None


def test_the_access_log_is_kept_one_year(flow):
    household = orientation_create(cesf=flow.cesf, association=flow.association).household
    for days in (400, 366, 10):
        entry = AccessLogEntry.objects.create(
            user=flow.cesf, household=household, household_pk=household.pk, action="view"
        )
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days))
    assert privacy.purge_access_log() == 2
    assert AccessLogEntry.objects.filter(household=household).count() == 1


def quiet_case(flow, opened_on: date, last_follow_up_on: date):
    """A household that never had an action: opened with a diagnostic, then a follow-up."""
    from tests.factories import household_create

    with time_machine.travel(opened_on):
        household = household_create(by=flow.cesf, name="Lefebvre", contact_phone="06 11 22 33 44")
        diagnostic_create(household=household, by=flow.cesf, made_on=opened_on)
    with time_machine.travel(last_follow_up_on):
        services.follow_up_create(
            household=household,
            by=flow.cesf,
            data={
                "happened_on": last_follow_up_on,
                "kind": "phone",
                "summary": "Appel à Mme Lefebvre.",
                "next_step": "Rappeler Mme Lefebvre au 06 11 22 33 44",
            },
        )
    return household


def test_a_case_without_action_is_anonymised_two_years_after_its_last_activity(flow):
    household = quiet_case(flow, date(2023, 1, 10), last_follow_up_on=date(2024, 3, 1))
    with time_machine.travel(date(2026, 2, 27)):  # 2 years after the follow-up: not yet
        assert privacy.anonymise_due_cases() == 0
    with time_machine.travel(date(2026, 3, 2)):
        assert privacy.anonymise_due_cases() == 1
    household.refresh_from_db()
    assert household.name == ANONYMOUS and household.contact_phone == ""
    follow_up = FollowUp.objects.get(household=household)
    assert (follow_up.summary, follow_up.next_step) == ("", "")
    assert follow_up.happened_on == date(2024, 3, 1)  # dates stay


def test_the_time_before_anonymising_a_case_without_action_is_a_setting(flow, settings):
    settings.ANONYMISE_INACTIVE_AFTER_DAYS = 365
    quiet_case(flow, date(2024, 1, 10), last_follow_up_on=date(2024, 3, 1))
    with time_machine.travel(date(2025, 3, 2)):
        assert privacy.anonymise_due_cases() == 1


def test_a_closed_case_that_is_active_again_is_not_anonymised(flow):
    household = closed_case(flow, date(2023, 6, 1), "Vasseur")
    with time_machine.travel(date(2025, 10, 1)):
        diagnostic_create(household=household, by=flow.cesf, made_on=date(2025, 10, 1))
    with time_machine.travel(date(2025, 11, 25)):
        assert privacy.anonymise_due_cases() == 0
    with time_machine.travel(date(2027, 10, 2)):
        assert privacy.anonymise_due_cases() == 1


def test_anonymisation_keeps_the_history_without_its_names(flow):
    household = closed_case(flow, date(2023, 6, 1), "Vasseur")
    statuses_before = list(
        household.actions.get().history.order_by("history_date").values_list("status", flat=True)
    )
    with time_machine.travel(date(2025, 11, 25)):
        assert privacy.anonymise_due_cases() == 1
    action = household.actions.get()
    assert (
        list(action.history.order_by("history_date").values_list("status", flat=True))
        == statuses_before
    )
    assert not household.history.exclude(name=ANONYMOUS).exists()
    assert not household.history.exclude(contact_phone="").exists()
    assert not action.history.exclude(history_change_reason=None).exists()
    assert set(
        FollowUp.history.filter(household_id=household.pk).values_list("summary", flat=True)
    ) == {""}


def test_a_case_imported_without_history_is_as_old_as_its_last_change(flow):
    from tests.factories import household_create

    household = household_create(by=flow.cesf, name="Importé")
    household.history.all().delete()
    privacy.anonymise_due_cases(timezone.localdate() + timedelta(days=30))
    household.refresh_from_db()
    assert household.anonymised_on is None
