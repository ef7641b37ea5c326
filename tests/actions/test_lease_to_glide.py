"""A sliding lease followed from its signature to its glide, two years later, long after its
support measure closed (docs/DOMAIN_RULES.md, sliding lease)."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from actions import services
from actions.models import ActionStatus, Dwelling
from core.errors import DomainError
from households.models import Household, HousingStatus, LandlordChange, LandlordChangeKind
from households.permissions import HouseholdAction, can
from notifications.models import Notification
from notifications.sweep import sweep
from partners.models import Role
from tests.factories import both_approve, household_create, user_create
from tests.helpers import page_text

SIGNED = date(2026, 1, 5)


def review(held_on: date, offers: bool | None) -> dict:
    return {
        "held_on": held_on,
        "rent_paid_regularly": True,
        "peaceful_occupation": True,
        "dwelling_upkept": True,
        "budget_managed": offers is not False,
        "landlord_offers_lease": offers,
        "observations": "Loyer « toujours » payé à l'heure, budget tenu 👍",
    }


def scattered_housing(flow, dwelling: Dwelling):
    """Action 4 for an applicant, in a dwelling of the association's register, its sublease
    signed on SIGNED."""
    with time_machine.travel(SIGNED, tick=False):
        household = household_create(
            by=flow.caseworker, housing_status="applicant", landlord=None, address="Foyer"
        )
        orientation = services.orientation_create(
            household=household,
            by=flow.caseworker,
            kind="scattered_housing",
            association=flow.association,
            landlord=flow.landlord,
            reason="Sortie d'hébergement, aucune structure adaptée.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=SIGNED,
        )
        lease = orientation.action.sliding_lease
        services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={
                "dwelling": dwelling,
                "entry_on": SIGNED,
                "main_lease_signed_on": SIGNED,
                "tripartite_agreement_on": SIGNED,
                "sublease_signed_on": SIGNED,
            },
            expected_version=lease.version,
        )
    action = orientation.action
    action.sliding_lease.refresh_from_db()
    return action


@pytest.fixture
def dwelling(flow):
    return services.dwelling_save(
        association=flow.association,
        by=flow.caseworker,
        data={
            "address": "12 rue Très-Cloîtres",
            "postcode": "38000",
            "city": "Grenoble",
            "landlord": flow.landlord,
            "dwelling_type": "t2",
        },
    )


def test_a_sliding_lease_glides_after_two_years_with_reviews_after_the_measure_closed(
    client, flow, dwelling
):
    landlord_manager = user_create(Role.MANAGER, partner=flow.landlord)
    action = scattered_housing(flow, dwelling)
    household, lease = action.household, action.sliding_lease
    measure = action.measures.get()
    # Each lease reminder, the first day it was sent: (recipient, kind) → days.
    first_seen: dict[tuple[int, str, str], date] = {}
    reviews = {
        date(2026, 7, 6): None,
        date(2027, 1, 6): False,
        date(2027, 7, 5): False,
        date(2027, 12, 20): True,
    }
    review_dates = [date(2026, 7, 5), date(2027, 1, 5), date(2027, 7, 5), date(2028, 1, 5)]
    answers = [date(2026, 5, 5), date(2026, 11, 5), date(2027, 5, 5), date(2027, 11, 5)]
    # The daily sweep on the eve, the day and the morrow of each reminder's date, on every
    # step of the case, and every 10 days in between (a sweep is cheap, 850 are not).
    days = {SIGNED + timedelta(days=n) for n in range(0, 850, 10)}
    days |= {date(2026, 6, 30), date(2028, 1, 3), *reviews}
    for due in review_dates + answers + [date(2028, 5, 5)]:
        reminded = due - timedelta(days=30)
        days |= {reminded - timedelta(days=1), reminded, reminded + timedelta(days=1)}
    lease.refresh_from_db()
    for day in sorted(days):
        with time_machine.travel(day, tick=False):
            if day == date(2026, 6, 30):
                # The measure closes after 6 months, not renewed: the lease goes on.
                services.measure_close(measure=measure, by=flow.caseworker, outcome="stayed")
                action.refresh_from_db()
                assert action.status == ActionStatus.IN_PROGRESS
            if day in reviews:
                client.force_login(flow.caseworker)
                data = review(day, reviews[day])
                data["held_on"] = day.isoformat()
                data["landlord_offers_lease"] = {None: "unknown", True: "true", False: "false"}[
                    reviews[day]
                ]
                data = {k: v for k, v in data.items() if v is not False}
                response = client.post(
                    reverse("actions:action_section", args=[action.pk, "review"]), data
                )
                assert response.status_code == 302, page_text(response)
            if day == date(2028, 1, 3):
                lease.refresh_from_db()
                client.force_login(flow.caseworker)
                response = client.post(
                    reverse("actions:action_section", args=[action.pk, "glide"]),
                    {
                        "glide_on": day.isoformat(),
                        "new_lease_reference": "BAIL-2028-007",
                        "tenant_number": "LOC-55 « A »",
                        "version": lease.version,
                    },
                )
                assert response.status_code == 302, page_text(response)
            sweep(day)
            for notice in Notification.objects.filter(
                kind__startswith="lease_", household=household
            ):
                first_seen.setdefault(
                    (notice.recipient_id, notice.kind, notice.text), notice.created_at.date()
                )

    def sent(user, kind):
        return sorted(on for (who, k, _), on in first_seen.items() if who == user.pk and k == kind)

    # Every review period until the glide, reminded once, 30 days before its date, to the
    # referent of the closed measure as to the landlord; none after the glide.
    assert sent(flow.caseworker, "lease_review") == [d - timedelta(days=30) for d in review_dates]
    assert sent(flow.cesf, "lease_review") == [d - timedelta(days=30) for d in review_dates]
    assert sent(landlord_manager, "lease_landlord_answer") == [
        d - timedelta(days=30) for d in answers
    ]
    counts = Counter(
        Notification.objects.filter(kind__startswith="lease_", household=household).values_list(
            "recipient", "kind"
        )
    )
    assert counts[(flow.caseworker.pk, "lease_review")] == 4
    assert counts[(landlord_manager.pk, "lease_landlord_answer")] == 4

    household.refresh_from_db()
    assert household.housing_status == HousingStatus.TENANT
    assert household.landlord == flow.landlord
    assert (household.address, household.postcode, household.city) == (
        "12 rue Très-Cloîtres",
        "38000",
        "Grenoble",
    )
    assert household.tenant_number == "LOC-55 « A »"
    change = household.history.latest()
    # An applicant with no landlord: the glide is a landlord change (households.services).
    assert change.history_change_reason == "Changement de bailleur : glissement du bail"
    assert change.history_user == flow.caseworker
    assert household.landlord_changes.get().kind == LandlordChangeKind.GLIDE
    lease.refresh_from_db()
    assert (lease.glide_on, lease.new_lease_reference) == (date(2028, 1, 3), "BAIL-2028-007")
    assert lease.reviews.filter(held_on__gt=date(2026, 6, 30)).count() == 4
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    dwelling.refresh_from_db()
    assert dwelling.left_stock_on == date(2028, 1, 3)
    # The new landlord reads the case file.
    with time_machine.travel(date(2028, 1, 4), tick=False):
        client.force_login(flow.cesf)
        page = client.get(reverse("households:detail", args=[household.pk]))
        assert page.status_code == 200 and "LOC-55" in page_text(page)


def test_a_glide_needs_a_review_with_the_landlords_offer(flow, dwelling):
    action = scattered_housing(flow, dwelling)
    lease = action.sliding_lease
    with time_machine.travel(date(2026, 8, 1), tick=False):
        with pytest.raises(DomainError, match="le bailleur propose le bail"):
            services.sliding_lease_glide(
                lease=lease, by=flow.caseworker, glide_on=date(2026, 8, 1), new_lease_reference="B"
            )
        services.lease_review_create(
            lease=lease, by=flow.caseworker, data=review(date(2026, 7, 6), False)
        )
        with pytest.raises(DomainError, match="le bailleur propose le bail"):
            services.sliding_lease_glide(
                lease=lease, by=flow.caseworker, glide_on=date(2026, 8, 1), new_lease_reference="B"
            )
        services.lease_review_create(
            lease=lease, by=flow.caseworker, data=review(date(2026, 7, 20), True)
        )
        # The offer must come before the glide.
        with pytest.raises(DomainError, match="le bailleur propose le bail"):
            services.sliding_lease_glide(
                lease=lease, by=flow.caseworker, glide_on=date(2026, 7, 10), new_lease_reference="B"
            )
        with pytest.raises(DomainError, match="référence du nouveau bail"):
            services.sliding_lease_glide(
                lease=lease, by=flow.caseworker, glide_on=date(2026, 8, 1), new_lease_reference=" "
            )
    action.household.refresh_from_db()
    assert action.household.housing_status == HousingStatus.APPLICANT


def test_a_recorded_failure_ends_the_lease_and_its_reminders(client, flow, dwelling):
    action = scattered_housing(flow, dwelling)
    lease = action.sliding_lease
    with time_machine.travel(date(2026, 9, 1), tick=False):
        services.measure_close(measure=action.measures.get(), by=flow.caseworker, outcome="left")
        client.force_login(flow.caseworker)
        url = reverse("actions:action_section", args=[action.pk, "end"])
        empty = client.post(
            url, {"ended_on": "2026-08-31", "end_reason": "failure", "version": lease.version}
        )
        assert empty.status_code == 400
        assert "Dites ce qui a fait échouer" in page_text(empty)
        done = client.post(
            url,
            {
                "ended_on": "2026-08-31",
                "end_reason": "failure",
                "end_detail": "Dette reconstituée, le bailleur refuse.",
                "version": lease.version,
            },
        )
        assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    sweep(date(2026, 12, 6))  # 30 days before the review of 5 January 2027
    assert not Notification.objects.filter(
        kind__startswith="lease_", household=action.household
    ).exists()
    assert Dwelling.objects.with_occupant().get(pk=dwelling.pk).occupant_id is None


def test_temporary_occupancy_has_no_review_and_no_glide(flow, dwelling):
    with time_machine.travel(SIGNED, tick=False):
        household = household_create(by=flow.caseworker, housing_status="applicant", landlord=None)
        orientation = services.orientation_create(
            household=household,
            by=flow.caseworker,
            kind="scattered_housing",
            association=flow.association,
            landlord=flow.landlord,
            reason="Hébergement d'urgence.",
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=SIGNED,
        )
        lease = orientation.action.sliding_lease
        lease = services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={"mode": "temporary_occupancy", "dwelling": dwelling, "entry_on": SIGNED},
            expected_version=lease.version,
        )
        assert lease.address == "12 rue Très-Cloîtres"
        with pytest.raises(DomainError, match="ne glisse pas"):
            services.sliding_lease_glide(
                lease=lease, by=flow.caseworker, glide_on=SIGNED, new_lease_reference="B"
            )
        with pytest.raises(DomainError, match="pas un hébergement temporaire"):
            services.lease_review_create(lease=lease, by=flow.caseworker, data=review(SIGNED, True))


def test_a_dwelling_holds_one_household_at_a_time(flow, dwelling):
    first = scattered_housing(flow, dwelling)
    assert Dwelling.objects.with_occupant().get(pk=dwelling.pk).occupant_id == first.household_id
    with pytest.raises(DomainError, match="déjà occupé"):
        scattered_housing(flow, dwelling)


def test_a_dwelling_of_another_landlord_is_refused(flow):
    other = user_create(Role.CESF).partner
    dwelling = services.dwelling_save(
        association=flow.association,
        by=flow.caseworker,
        data={"address": "1 rue Hoche", "landlord": other, "dwelling_type": "t1"},
    )
    with pytest.raises(DomainError, match="pas au bailleur de l'action"):
        scattered_housing(flow, dwelling)


def test_action_3_lease_outlives_its_measure_and_keeps_its_forms(client, flow):
    from tests.factories import orientation_create

    with time_machine.travel(SIGNED, tick=False):
        orientation = orientation_create(
            cesf=flow.cesf, association=flow.association, kind="sliding_lease_eviction"
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=flow.cesf,
            caseworker=flow.caseworker,
            starts_on=SIGNED,
        )
        action = orientation.action
        lease = action.sliding_lease
        services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={"sublease_signed_on": SIGNED},
            expected_version=lease.version,
        )
    with time_machine.travel(date(2026, 7, 10), tick=False):
        services.measure_close(
            measure=action.measures.get(), by=flow.caseworker, outcome="eviction_avoided"
        )
        client.force_login(flow.caseworker)
        page = page_text(client.get(reverse("actions:action_detail", args=[action.pk])))
    assert "Enregistrer un point d'étape" in page
    assert "Enregistrer le glissement du bail" in page
    assert "01/01/2027" not in page and "05/01/2027" in page  # the next review
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def _glide(flow, action, on: date) -> None:
    lease = action.sliding_lease
    with time_machine.travel(on, tick=False):
        services.lease_review_create(
            lease=lease, by=flow.caseworker, data=review(on - timedelta(days=20), True)
        )
        lease.refresh_from_db()
        services.sliding_lease_glide(
            lease=lease,
            by=flow.caseworker,
            glide_on=on,
            new_lease_reference="Bail n° 2026/É-42",
            tenant_number="LOC-77",
            expected_version=lease.version,
        )


def test_a_glide_that_gives_the_household_its_landlord_is_a_landlord_change(flow, dwelling):
    """An applicant with no landlord glides into the landlord's lease: the landlord change is
    recorded as a transfer's is (kind « glissement », previous and new landlord, reason), and
    the new landlord reads and writes the case file."""
    action = scattered_housing(flow, dwelling)
    _glide(flow, action, date(2026, 8, 3))
    household = action.household
    household.refresh_from_db()
    [change] = LandlordChange.objects.filter(household=household)
    assert change.kind == LandlordChangeKind.GLIDE
    assert change.previous_landlord is None and change.landlord == flow.landlord
    assert change.reason == "Bail glissé le 03/08/2026 (nouveau bail : Bail n° 2026/É-42)"
    assert change.changed_by == flow.caseworker
    assert household.landlord == flow.landlord
    assert household.housing_status == HousingStatus.TENANT
    assert (household.address, household.tenant_number) == ("12 rue Très-Cloîtres", "LOC-77")
    assert can(flow.cesf, HouseholdAction.EDIT, household)


def test_a_glide_to_the_landlord_already_recorded_changes_no_landlord(flow, dwelling):
    """The household was already recorded as the landlord's: no landlord change, only its
    situation and its number."""
    action = scattered_housing(flow, dwelling)
    Household.objects.filter(pk=action.household_id).update(landlord=flow.landlord)
    _glide(flow, action, date(2026, 8, 3))
    household = Household.objects.get(pk=action.household_id)
    assert not LandlordChange.objects.filter(household=household).exists()
    assert household.housing_status == HousingStatus.TENANT
    assert household.tenant_number == "LOC-77"
