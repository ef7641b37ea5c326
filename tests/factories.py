from datetime import date, timedelta
from decimal import Decimal

import factory
from django.conf import settings

from households import services as household_services
from households.models import Diagnostic, Household
from partners import services as partner_services
from partners.models import Partner, PartnerKind, Role, User


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    short_name = factory.Sequence(lambda n: f"partenaire-{n}")
    kind = PartnerKind.LANDLORD

    class Params:
        association = factory.Trait(kind=PartnerKind.ASSOCIATION)
        coordination = factory.Trait(kind=PartnerKind.COORDINATION)
        funder = factory.Trait(kind=PartnerKind.FUNDER)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return partner_services.partner_create(**kwargs)


ROLE_PARTNER_KIND = {
    Role.CESF: {},
    Role.CASEWORKER: {"association": True},
    Role.COORDINATOR: {"coordination": True},
    Role.FUNDER_VIEWER: {"funder": True},
    Role.MANAGER: {},
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.django.Password(settings.DEMO_PASSWORD)


DAY = timedelta(days=1)


def user_create(role: str = Role.CESF, partner: Partner | None = None, **fields) -> User:
    """A user with its one membership; a partner of the right kind is made when none is given."""
    user = UserFactory(**fields)
    partner = partner or PartnerFactory(**ROLE_PARTNER_KIND[role])
    partner_services.membership_set(user=user, partner=partner, role=role)
    return User.objects.get(pk=user.pk)


def household_create(
    *, by: User, members: int = 1, confirm_duplicate: bool = True, **data
) -> Household:
    """A household opened through the service, so access is granted as in real life (a
    fixture: opened even if a similar file exists, unless `confirm_duplicate` is false)."""
    fields = {
        "name": "Durand",
        "housing_status": "tenant" if by.partner.is_landlord else "applicant",
        "landlord": by.partner if by.partner.is_landlord else None,
        "city": "Grenoble",
        "consent_given_on": date(2026, 1, 5),
        **data,
    }
    member_rows = [
        {
            "first_name": f"Prénom{i}",
            "last_name": fields["name"].upper(),
            "relationship": "head" if i == 0 else "child",
        }
        for i in range(members)
    ]
    return household_services.household_create(
        by=by, data=fields, members=member_rows, confirm_duplicate=confirm_duplicate
    )


def diagnostic_data(**overrides) -> dict:
    return {
        "made_on": date(2026, 3, 2),
        "persons": 2,
        "income_work": Decimal("1400.00"),
        "income_family": Decimal("200.00"),
        "rent": Decimal("500.00"),
        "recoverable_charges": Decimal("100.00"),
        "housing_aid": Decimal("120.00"),
        "energy_costs": Decimal("160.00"),
        "conclusion": "Situation stable, accompagnement budgétaire.",
        **overrides,
    }


def diagnostic_create(*, household: Household, by: User, **overrides) -> Diagnostic:
    return household_services.diagnostic_create(
        household=household, by=by, data=diagnostic_data(**overrides)
    )


def orientation_create(*, cesf: User, association: Partner, kind: str = "energy", household=None):
    """A tenant household of the CESF's landlord, with a diagnostic, pre-oriented."""
    from actions import services as action_services

    household = household or household_create(by=cesf)
    diagnostic = diagnostic_create(household=household, by=cesf, made_on=date(2025, 11, 3))
    return action_services.orientation_create(
        household=household,
        by=cesf,
        kind=kind,
        association=association,
        diagnostic=diagnostic,
        reason="Logement énergivore.",
    )


def both_approve(codecision, *, landlord_user: User, caseworker: User, starts_on=None):
    from codecision import services as codecision_services
    from codecision.models import CoDecision

    if starts_on is not None and starts_on < codecision.opened_at.date():
        # The co-decision opened before the measure it starts (as it did in real life).
        opened_at = codecision.opened_at - (codecision.opened_at.date() - starts_on) - DAY
        CoDecision.objects.filter(pk=codecision.pk).update(opened_at=opened_at)
        codecision.refresh_from_db()
    codecision_services.codecision_answer(codecision=codecision, by=landlord_user, answer="approve")
    return codecision_services.codecision_answer(
        codecision=codecision,
        by=caseworker,
        answer="approve",
        referent=caseworker,
        starts_on=starts_on,
    )
