from io import StringIO

import pytest
from django.core.management import call_command

from core.errors import DomainError
from households.models import Household
from partners import services
from partners.models import Partner, Role, User
from tests.factories import PartnerFactory, UserFactory


def test_a_partner_gets_its_own_group(db):
    partner = services.partner_create(
        name="Habitat Test", short_name="habitat-test", kind="landlord"
    )
    assert partner.group.name == "partenaire:habitat-test"


def test_a_user_belongs_to_one_partner_and_its_group_only(db):
    user = UserFactory()
    first, second = PartnerFactory(), PartnerFactory()
    services.membership_set(user=user, partner=first, role=Role.CESF)
    services.membership_set(user=user, partner=second, role=Role.MANAGER)
    user = User.objects.get(pk=user.pk)
    assert user.partner == second
    assert list(user.groups.all()) == [second.group]


@pytest.mark.parametrize(
    ("kind", "role"),
    [("landlord", Role.CASEWORKER), ("association", Role.CESF), ("landlord", Role.COORDINATOR)],
)
def test_a_role_that_does_not_exist_in_a_kind_of_partner_is_refused(db, kind, role):
    with pytest.raises(DomainError, match="n'existe pas"):
        services.membership_set(user=UserFactory(), partner=PartnerFactory(kind=kind), role=role)


def test_demo_data_has_the_six_partners_and_named_users(demo):
    names = set(Partner.objects.values_list("name", flat=True))
    assert {
        "Actis",
        "Opac38",
        "Pluralis",
        "L'Oiseau Bleu",
        "Relais Ozanam",
        "Ulisse Energie",
    } <= names
    assert demo["cesf.actis"].partner.name == "Actis"
    assert demo["caseworker.ulisse"].role == Role.CASEWORKER
    assert demo["coordinator.lt"].is_staff


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (User.objects.count(), Partner.objects.count(), Household.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (User.objects.count(), Partner.objects.count(), Household.objects.count()) == counts
