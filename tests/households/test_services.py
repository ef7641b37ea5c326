from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.errors import DomainError
from households import services
from households.models import Household, HouseholdMember
from partners.models import Role
from tests.factories import PartnerFactory, diagnostic_create, household_create, user_create


def visible_ids(user):
    return set(Household.objects.visible_to(user).values_list("pk", flat=True))


def test_a_new_household_gets_a_reference_of_the_year_in_sequence(cesf):
    with time_machine.travel(date(2031, 5, 4)):
        first = household_create(by=cesf)
        second = household_create(by=cesf)
    assert first.reference == "LT-2031-0001"
    assert second.reference == "LT-2031-0002"


def test_the_creating_landlord_sees_its_household_and_others_do_not(cesf):
    household = household_create(by=cesf)
    colleague = user_create(Role.CESF, partner=cesf.partner)
    other_landlord = user_create(Role.CESF)
    association = user_create(Role.CASEWORKER)
    assert household.pk in visible_ids(colleague)
    assert household.pk not in visible_ids(other_landlord)
    assert household.pk not in visible_ids(association)


def test_an_association_opening_a_tenant_file_shares_it_with_the_landlord(db):
    caseworker = user_create(Role.CASEWORKER)
    landlord = PartnerFactory()
    landlord_cesf = user_create(Role.CESF, partner=landlord)
    household = household_create(by=caseworker, housing_status="tenant", landlord=landlord)
    assert household.pk in visible_ids(caseworker)
    assert household.pk in visible_ids(landlord_cesf)


def test_coordinators_see_every_household_and_funders_none(cesf):
    household = household_create(by=cesf)
    assert household.pk in visible_ids(user_create(Role.COORDINATOR))
    assert visible_ids(user_create(Role.FUNDER_VIEWER)) == set()


def test_a_cesf_cannot_open_a_file_for_another_landlords_tenant(cesf):
    with pytest.raises(DomainError, match="son propre bailleur"):
        household_create(by=cesf, landlord=PartnerFactory())


def test_a_cesf_cannot_hand_a_file_over_to_another_landlord_by_editing_it(cesf):
    household = household_create(by=cesf)
    other = PartnerFactory()
    with pytest.raises(DomainError, match="Changer de bailleur"):
        services.household_update(
            household=household, by=cesf, data={"landlord": other}, expected_version=1
        )
    assert household.pk not in visible_ids(user_create(Role.CESF, partner=other))


def test_a_tenant_household_needs_a_landlord(db):
    caseworker = user_create(Role.CASEWORKER)
    with pytest.raises(DomainError, match="bailleur"):
        household_create(by=caseworker, housing_status="tenant", landlord=None)


def test_an_update_from_a_stale_version_is_refused_and_keeps_the_first_save(cesf):
    household = household_create(by=cesf, city="Grenoble")
    services.household_update(
        household=household, by=cesf, data={"city": "Voiron"}, expected_version=1
    )
    with pytest.raises(DomainError, match="modifié par quelqu'un d'autre"):
        services.household_update(
            household=household, by=cesf, data={"city": "Vienne"}, expected_version=1
        )
    household.refresh_from_db()
    assert household.city == "Voiron"
    assert household.version == 2


def test_changes_are_recorded_in_the_history_with_their_author(cesf):
    household = household_create(by=cesf, city="Grenoble")
    services.household_update(
        household=household, by=cesf, data={"city": "Voiron"}, expected_version=1
    )
    latest = household.history.latest()
    assert latest.history_user == cesf
    assert latest.city == "Voiron"
    assert latest.prev_record.city == "Grenoble"


def test_a_member_who_leaves_is_kept_with_the_date(cesf):
    household = household_create(by=cesf, members=2)
    member = household.members.last()
    data = {"id": member, "left_on": date(2026, 2, 1)}
    services.household_update(
        household=household, by=cesf, data={}, expected_version=1, members=[data]
    )
    assert HouseholdMember.objects.get(pk=member.pk).left_on == date(2026, 2, 1)


def test_a_diagnostic_records_its_author_and_partner(cesf):
    household = household_create(by=cesf)
    diagnostic = diagnostic_create(household=household, by=cesf)
    assert diagnostic.author == cesf
    assert diagnostic.author_partner == cesf.partner
    assert diagnostic.effort_rate == Decimal("30.0")


def test_a_diagnostic_cannot_be_dated_in_the_future(cesf):
    household = household_create(by=cesf)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError, match="futur"):
        diagnostic_create(household=household, by=cesf, made_on=tomorrow)


def test_arrears_need_their_start_date(cesf):
    household = household_create(by=cesf)
    with pytest.raises(DomainError, match="depuis quand"):
        diagnostic_create(household=household, by=cesf, rent_arrears=Decimal("900"))
