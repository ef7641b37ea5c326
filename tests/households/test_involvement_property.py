"""After any sequence of workflow steps, the stored access rows are what the rule of
involvement says, and every user sees exactly the households the rule gives its partner.

The rule is written again from the README's words, independently of households.involvement,
in tests/involvement_rule.py."""

import contextlib
from collections import defaultdict
from datetime import date, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions import services as action_services
from actions.models import SupportMeasure
from codecision import services as codecision_services
from codecision.models import CoDecision
from core.errors import DomainError
from households import services
from households.involvement import involvement_repair
from households.models import Household, HouseholdGroupObjectPermission
from partners import services as partner_services
from partners.models import Role
from tests.factories import diagnostic_create, household_create, user_create
from tests.involvement_rule import rule

N = 3  # households, partners and records are picked by index modulo what exists

steps = st.one_of(
    st.tuples(st.just("create"), st.integers(0, N), st.booleans()),
    st.tuples(st.just("orient"), st.integers(0, N), st.integers(0, N)),
    st.tuples(
        st.just("answer"),
        st.integers(0, N),
        st.sampled_from(["landlord", "association"]),
        st.sampled_from(["approve", "reject", "adjourn"]),
    ),
    st.tuples(st.just("arbitrate"), st.integers(0, N), st.sampled_from(["reject", "reopen"])),
    st.tuples(st.just("close"), st.integers(0, N)),
    st.tuples(
        st.just("landlord"),
        st.integers(0, N),
        st.integers(0, N),
        st.sampled_from(["transfer", "correction", "glide"]),
    ),
    st.tuples(st.just("leave"), st.integers(0, N), st.booleans()),
    st.tuples(st.just("nights"), st.integers(1, 45)),
)


class World:
    def __init__(self):
        self.cesfs = [user_create(Role.CESF), user_create(Role.CESF)]
        self.caseworkers = [user_create(Role.CASEWORKER), user_create(Role.CASEWORKER)]
        self.coordinator = user_create(Role.COORDINATOR)
        self.manager = user_create(Role.MANAGER, partner=self.cesfs[0].partner)
        self.funder = user_create(Role.FUNDER_VIEWER)
        self.landlords = [u.partner for u in self.cesfs]
        self.associations = [u.partner for u in self.caseworkers]
        self.users = [*self.cesfs, *self.caseworkers, self.coordinator, self.manager, self.funder]
        self.households: list[int] = []

    def cesf_of(self, partner):
        return next(u for u in self.cesfs if u.partner == partner)

    def caseworker_of(self, partner):
        return next(u for u in self.caseworkers if u.partner == partner)


def pick(items, index):
    return items[index % len(items)] if items else None


def run(world: World, step) -> None:
    kind, *args = step
    households = Household.objects.filter(pk__in=world.households).order_by("pk")
    if kind == "create":
        by = pick([*world.cesfs, *world.caseworkers], args[0])
        tenant = args[1] or by.is_cesf
        landlord = (
            by.partner if by.is_cesf else (pick(world.landlords, args[0]) if tenant else None)
        )
        household = household_create(
            by=by, housing_status="tenant" if tenant else "applicant", landlord=landlord
        )
        world.households.append(household.pk)
    elif kind == "orient":
        household = pick(list(households.exclude(landlord=None)), args[0])
        if household is None:
            return
        cesf = world.cesf_of(household.landlord)
        diagnostic = diagnostic_create(household=household, by=cesf, made_on=date(2026, 1, 5))
        action_services.orientation_create(
            household=household,
            by=cesf,
            kind=pick(["energy", "solvency", "sliding_lease_eviction"], args[1]),
            association=pick(world.associations, args[1]),
            diagnostic=diagnostic,
            reason="Orientation « test » 🏠",
        )
    elif kind == "answer":
        codecision = pick(list(_codecisions(world)), args[0])
        if codecision is None:
            return
        side, answer = args[1], args[2]
        partner = codecision.landlord if side == "landlord" else codecision.association
        by = world.cesf_of(partner) if side == "landlord" else world.caseworker_of(partner)
        codecision_services.codecision_answer(
            codecision=codecision,
            by=by,
            answer=answer,
            referent=by if side == "association" else None,
        )
    elif kind == "arbitrate":
        codecision = pick(list(_codecisions(world)), args[0])
        if codecision is not None:
            codecision_services.codecision_arbitrate(
                codecision=codecision, by=world.coordinator, decision=args[1], comment="Arbitré."
            )
    elif kind == "close":
        measures = SupportMeasure.objects.filter(action__household_id__in=world.households)
        measure = pick(list(measures.order_by("pk")), args[0])
        if measure is not None:
            action_services.measure_close(measure=measure, by=world.coordinator, outcome="stayed")
    elif kind == "landlord":
        household = pick(list(households), args[0])
        if household is None:
            return
        landlord, how = pick(world.landlords, args[1]), args[2]
        if how == "transfer":
            by = world.cesf_of(household.landlord) if household.landlord else world.coordinator
        elif how == "glide":
            by = pick(world.caseworkers, args[1])
        else:
            by = world.coordinator
        services.household_landlord_change(
            household=household, by=by, kind=how, landlord=landlord, reason="Changement testé."
        )
    elif kind == "leave":
        partner = pick([*world.landlords, *world.associations], args[0])
        partner_services.partner_update(
            partner=partner, by=world.coordinator, data={"active": args[1]}
        )
    elif kind == "nights":
        return  # the clock moves in the test, and each night the check runs


def _codecisions(world):
    return CoDecision.objects.filter(household_id__in=world.households).order_by("pk")


def stored(household_ids: list[int]) -> dict[tuple[int, int], str]:
    perms = defaultdict(set)
    rows = HouseholdGroupObjectPermission.objects.filter(content_object_id__in=household_ids)
    for household, partner, codename in rows.values_list(
        "content_object_id", "group__partner", "permission__codename"
    ):
        perms[(household, partner)].add(codename)
    levels = {
        frozenset({"view_household"}): "read",
        frozenset({"view_household", "change_household"}): "change",
    }
    return {key: levels.get(frozenset(codenames), "wrong") for key, codenames in perms.items()}


def check(world: World, today: date) -> None:
    expected = rule(world.households, today)
    assert stored(world.households) == expected
    for user in world.users:
        seen = set(
            Household.objects.visible_to(user)
            .filter(pk__in=world.households)
            .values_list("pk", flat=True)
        )
        if user.is_coordinator:
            assert seen == set(world.households)
        elif user.is_funder_viewer:
            assert seen == set()
        else:
            assert seen == {h for (h, p) in expected if p == user.partner.pk}


@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(steps, min_size=1, max_size=12))
def test_rows_follow_the_rule_after_any_sequence_of_steps(db, sequence):
    start = timezone.now()
    with transaction.atomic():
        world = World()
        clock = start
        for step in sequence:
            if step[0] == "nights":
                clock += timedelta(days=step[1])
            with time_machine.travel(clock, tick=False):
                if step[0] == "nights":
                    involvement_repair()
                else:
                    # A step the rules refuse changes nothing.
                    with contextlib.suppress(DomainError):
                        run(world, step)
                check(world, timezone.localdate())
        transaction.set_rollback(True)
