"""The workflow driven at random the way people use it, on PostgreSQL, with its invariants
checked after every step (Hypothesis RuleBasedStateMachine).

Random demo users of every role open households, orient them, answer co-decisions (in
committees too), arbitrate, renew and close measures, book rent reductions, log follow-ups
and let days pass (the daily sweep runs), typing empty, long, accented, emoji, quoted and
NUL-byte texts, dates in the past, the future and out of range, and any amount. Each step
goes through the checks a page makes (the household's visibility, `can_…`) and the form's
own validation of what was typed, then calls the service, inside its own transaction like a
request.

After every step (docs/architecture.md, « Invariants du workflow »):
1. a refusal is the domain's own French message (DomainError, AccessRefused or a form's
   ValidationError), never another exception;
2. the ledger equals the fees and reductions the surviving records imply;
3. a measure is renewed at most once, and has at most one renewal co-decision open;
4. a measure starts within its co-decision's window (not before it opened, not after its
   approval plus the delay allowed);
5. every status was reached by a move its state machine allows (core.states);
6. each partner sees exactly the households it is involved in, by a rule written here from
   the README's words, independently of households.permissions.

Profiles: `ci` (the default, bounded for the suite) and `long` (`make proptest`, or
WORKFLOW_PROPTEST_PROFILE=long).
"""

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from actions import services as actions_services
from actions.models import (
    Action,
    ActionKind,
    FollowUpKind,
    MeasureObjective,
    MeasureStatus,
    Outcome,
    RentReduction,
    SupportMeasure,
)
from actions.permissions import (
    can_close_measure,
    can_log_follow_up,
    can_manage_measure,
    can_orient,
    can_reduce_rent,
)
from codecision import services as codecision_services
from codecision.models import Answer, CoDecision, CoDecisionStatus, CommitteeSession, Purpose
from codecision.permissions import can_answer
from core.errors import AccessRefused, DomainError
from funding.models import FundingKind, LedgerEntry
from funding.services import flat_fee
from households.models import Household
from notifications.sweep import sweep
from partners.models import Partner, Role, User
from tests.factories import diagnostic_create, household_create
from tests.helpers import assert_every_recorded_move_is_allowed

PROFILES = {
    "ci": settings(
        max_examples=10,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    ),
    "long": settings(
        max_examples=200,
        stateful_step_count=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    ),
}
PARIS = ZoneInfo("Europe/Paris")

# What people type.
SAMPLES = [
    "",
    "   ",
    "Visite à domicile : le ménage « va mieux », l'été a été dur — 🙂🏠",
    "Il a dit \"non\" puis 'oui' ; <script>alert(1)</script>",
    "Compte rendu\x00avec un octet nul",
    "é" * 130,
    "Très long compte rendu de visite. " * 150,
    "ÉÈÀÇ œ æ ß ü 日本語 🇫🇷",
]
texts = st.one_of(st.sampled_from(SAMPLES), st.text(max_size=200))
dates = st.one_of(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.sampled_from([date(1, 1, 1), date(1901, 3, 4), date(1990, 1, 1), date(9999, 12, 31)]),
    st.dates(),
)
amounts = st.one_of(
    st.decimals(
        min_value=Decimal("-100"),
        max_value=Decimal("2000"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.sampled_from([Decimal("0"), Decimal("99999999.99"), Decimal("1E+12"), Decimal("0.001")]),
)
ANSWERS = list(Answer)
OUTCOMES = list(Outcome)
KINDS = list(ActionKind)


def typed_text(text: str) -> str:
    """What a form's text field accepts (a NUL byte is refused there)."""
    return forms.CharField(required=False).clean(text)


def typed_amount(amount: Decimal) -> Decimal:
    return forms.DecimalField(max_digits=10, decimal_places=2).clean(str(amount))


def visible(user: User, household_id: int) -> bool:
    return Household.objects.visible_to(user).filter(pk=household_id).exists()


class Refused(Exception):
    """The step was refused the way a page refuses it."""


class WorkflowMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._traveller = time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), tick=False)
        self.clock = self._traveller.start()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.households: list[int] = []
        # The rows that exist before the run (the demo): the invariants look at the run's own.
        self.before = {
            model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in (Action, CoDecision, SupportMeasure, MeasureObjective)
        }
        self.refusals: list[str] = []
        users = User.objects.filter(is_active=True).exclude(username__startswith="bench")
        self.users = {role: [] for role in Role}
        for user in users:
            if user.role is not None:
                self.users[user.role].append(user)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._traveller.stop()

    # --- Driving a step like a request ----------------------------------------------------

    def attempt(self, step) -> None:
        """Run one step in its own transaction; a refusal must be the domain's French one."""
        name = step.__qualname__.split(".")[1]
        try:
            with transaction.atomic():
                step()
            event(f"{name}: done")
        except (DomainError, AccessRefused) as error:
            event(f"{name}: refused")
            assert error.message.strip(), "a refusal says why"
            self.refusals.append(error.message)
        except ValidationError as error:
            assert all(message.strip() for message in error.messages)
            self.refusals.extend(error.messages)
        except Refused:
            pass

    def pick(self, data, queryset):
        rows = list(queryset.order_by("pk"))
        if not rows:
            raise Refused
        return data.draw(st.sampled_from(rows))

    def someone(self, data, *roles: str) -> User:
        people = [user for role in roles or Role for user in self.users[role]]
        return data.draw(st.sampled_from(people))

    def mostly(self, data, fitting: list, *roles: str):
        """Someone who fits the step most of the time (so the workflow goes somewhere),
        anyone of `roles` (of every role when none is named) otherwise."""
        if fitting and data.draw(st.integers(0, 9)) < 8:
            return data.draw(st.sampled_from(fitting))
        return self.someone(data, *roles)

    def ours(self, model, path: str = "household"):
        return model.objects.filter(**{f"{path}_id__in": self.households})

    # --- Rules ----------------------------------------------------------------------------

    @initialize(data=st.data())
    def open_a_first_household(self, data):
        self.open_household(data, name="Première Famille")
        self.someone_orients_a_household(data, "Premier motif : « loyer trop lourd » 🙂")

    def open_household(self, data, name: str) -> None:
        user = self.someone(data, Role.CESF, Role.CASEWORKER)
        tenant = user.is_cesf or data.draw(st.booleans())
        landlord = user.partner if user.is_cesf else None
        if tenant and landlord is None:
            landlord = data.draw(st.sampled_from(list(Partner.objects.landlords().active())))

        def step():
            household = household_create(
                by=user,
                name=typed_text(name)[:60] or "Sans nom",
                housing_status="tenant" if tenant else "applicant",
                landlord=landlord,
            )
            diagnostic_create(household=household, by=user, made_on=timezone.localdate())
            self.households.append(household.pk)

        self.attempt(step)

    @rule(data=st.data(), name=texts)
    def a_household_is_opened(self, data, name):
        self.open_household(data, name)

    @rule(data=st.data(), reason=texts)
    def someone_orients_a_household(self, data, reason):
        def step():
            household = self.pick(data, Household.objects.filter(pk__in=self.households))
            social = self.users[Role.CESF] + self.users[Role.CASEWORKER]
            fitting = [u for u in social if actions_services.orientation_kinds(u, household)]
            user = self.mostly(data, fitting)
            kinds = actions_services.orientation_kinds(user, household) or KINDS
            kind = data.draw(st.sampled_from(kinds if data.draw(st.booleans()) else KINDS))
            if not visible(user, household.pk) or not can_orient(user, household):
                raise Refused
            associations = list(Partner.objects.associations())
            actions_services.orientation_create(
                household=household,
                by=user,
                kind=kind,
                association=data.draw(st.sampled_from(associations)),
                landlord=data.draw(st.sampled_from(list(Partner.objects.landlords()))),
                reason=typed_text(reason),
                diagnostic=household.diagnostics.first(),
            )

        self.attempt(step)

    @rule(
        data=st.data(),
        answer=st.sampled_from([Answer.APPROVE, Answer.APPROVE, *ANSWERS]),
        comment=texts,
        starts_on=st.one_of(st.none(), dates),
    )
    def a_side_answers(self, data, answer, comment, starts_on):
        def step():
            codecision = self.pick(data, self.ours(CoDecision).open())
            parties = [
                u
                for u in self.users[Role.CESF] + self.users[Role.CASEWORKER]
                if u.partner in (codecision.landlord, codecision.association)
            ]
            user = self.mostly(data, parties)
            if not visible(user, codecision.household_id) or not can_answer(user, codecision):
                raise Refused
            extra = {}
            if user.is_coordinator:
                extra["side"] = data.draw(st.sampled_from(["landlord", "association"]))
                sessions = CommitteeSession.objects.all()
                extra["session"] = self.pick(data, sessions)
            candidates = list(codecision_services.referent_candidates(codecision.association))
            referent = self.mostly(data, candidates)
            codecision_services.codecision_answer(
                codecision=codecision,
                by=user,
                answer=answer,
                comment=typed_text(comment),
                referent=referent if data.draw(st.integers(0, 4)) else None,
                starts_on=starts_on,
                **extra,
            )

        self.attempt(step)

    @rule(data=st.data(), starts_on=st.one_of(st.none(), dates), comment=texts)
    def both_sides_approve(self, data, starts_on, comment):
        """The common path: the landlord's CESF, then the association's caseworker approve
        (naming a referent), each as its own request."""

        def landlord_approves():
            codecision = self.pick(data, self.ours(CoDecision).open())
            self.chosen = codecision
            cesfs = [u for u in self.users[Role.CESF] if u.partner == codecision.landlord]
            if not cesfs:
                raise Refused
            codecision_services.codecision_answer(
                codecision=codecision,
                by=cesfs[0],
                answer=Answer.APPROVE,
                comment=typed_text(comment),
            )

        def association_approves():
            codecision = CoDecision.objects.get(pk=self.chosen.pk)
            candidates = list(codecision_services.referent_candidates(codecision.association))
            if not candidates:
                raise Refused
            codecision_services.codecision_answer(
                codecision=codecision,
                by=candidates[0],
                answer=Answer.APPROVE,
                referent=data.draw(st.sampled_from(candidates)),
                starts_on=starts_on,
            )

        self.chosen = None
        self.attempt(landlord_approves)
        if self.chosen is not None:
            self.attempt(association_approves)

    @rule(data=st.data(), comment=texts, reject=st.booleans())
    def the_coordination_arbitrates(self, data, comment, reject):
        user = self.someone(data, Role.COORDINATOR, Role.MANAGER)

        def step():
            codecision = self.pick(
                data, self.ours(CoDecision).filter(status=CoDecisionStatus.DISAGREEMENT)
            )
            codecision_services.codecision_arbitrate(
                codecision=codecision,
                by=user,
                decision=codecision_services.ARBITRATION_REJECT
                if reject
                else codecision_services.ARBITRATION_REOPEN,
                comment=typed_text(comment),
            )

        self.attempt(step)

    @rule(data=st.data(), comment=texts)
    def a_renewal_is_asked(self, data, comment):
        def step():
            measure = self.pick(data, self.ours(SupportMeasure, "action__household"))
            user = self.mostly(data, [measure.referent], Role.CASEWORKER, Role.CESF)
            if not can_manage_measure(user, measure):
                raise Refused
            actions_services.renewal_request(measure=measure, by=user, comment=typed_text(comment))

        self.attempt(step)

    @rule(data=st.data(), outcome=st.sampled_from(OUTCOMES), detail=texts, closed_on=dates)
    def a_measure_is_closed(self, data, outcome, detail, closed_on):
        def step():
            measure = self.pick(data, self.ours(SupportMeasure, "action__household"))
            user = self.mostly(data, [measure.referent], Role.CASEWORKER, Role.COORDINATOR)
            if not visible(user, measure.action.household_id):
                raise Refused
            if not can_close_measure(user, measure):
                raise Refused
            actions_services.measure_close(
                measure=measure,
                by=user,
                outcome=outcome,
                outcome_detail=typed_text(detail),
                closed_on=closed_on,
            )

        self.attempt(step)

    @rule(data=st.data(), amount=amounts, starts_on=dates, ends_on=dates)
    def a_rent_reduction_is_booked(self, data, amount, starts_on, ends_on):
        def step():
            action = self.pick(data, self.ours(Action))
            cesfs = [u for u in self.users[Role.CESF] if u.partner.pk == action.landlord_id]
            user = self.mostly(data, cesfs, Role.CESF, Role.CASEWORKER)
            if not can_reduce_rent(user, action):
                raise Refused
            actions_services.rent_reduction_create(
                action=action,
                by=user,
                monthly_amount=typed_amount(amount),
                starts_on=starts_on,
                ends_on=ends_on,
            )

        self.attempt(step)

    @rule(data=st.data(), summary=texts, happened_on=dates)
    def a_follow_up_is_logged(self, data, summary, happened_on):
        def step():
            household = self.pick(data, Household.objects.filter(pk__in=self.households))
            social = self.users[Role.CESF] + self.users[Role.CASEWORKER]
            user = self.mostly(data, [u for u in social if visible(u, household.pk)])
            if not visible(user, household.pk) or not can_log_follow_up(user, household):
                raise Refused
            measures = SupportMeasure.objects.filter(action__household=household)
            measure = data.draw(st.sampled_from([None, *measures.order_by("pk")]))
            actions_services.follow_up_create(
                household=household,
                by=user,
                measure=measure,
                data={
                    "happened_on": happened_on,
                    "kind": data.draw(st.sampled_from(list(FollowUpKind))),
                    "summary": forms.CharField().clean(summary),
                },
            )

        self.attempt(step)

    @rule(data=st.data(), held_on=dates)
    def a_committee_is_planned(self, data, held_on):
        user = self.someone(data, Role.COORDINATOR, Role.MANAGER)

        def step():
            open_ones = list(self.ours(CoDecision).open().filter(session__isnull=True))
            agenda = (
                data.draw(st.lists(st.sampled_from(open_ones), unique=True, max_size=3))
                if open_ones
                else []
            )
            people = [u for role in (Role.CESF, Role.CASEWORKER) for u in self.users[role]]
            participants = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=4))
            codecision_services.committee_session_create(
                by=user, held_on=held_on, codecisions=agenda, participants=participants
            )

        self.attempt(step)

    @rule(data=st.data(), notes=texts)
    def a_committee_is_signed(self, data, notes):
        user = self.someone(data, Role.COORDINATOR)

        def step():
            session = self.pick(data, CommitteeSession.objects.filter(signed_off_at=None))
            pending = list(codecision_services.committee_pending_items(session))
            adjourned = (
                data.draw(st.lists(st.sampled_from(pending), unique=True)) if pending else []
            )
            codecision_services.committee_session_sign_off(
                session=session, by=user, notes=typed_text(notes), adjourned=adjourned
            )

        self.attempt(step)

    @rule(days=st.sampled_from([1, 1, 2, 7, 30, 95, 200]))
    def days_pass_and_the_daily_sweep_runs(self, days):
        self.clock.shift(timedelta(days=days))
        sweep(timezone.localdate())

    # --- Invariants -----------------------------------------------------------------------

    @invariant()
    def the_ledger_equals_what_the_records_imply(self):
        if not self.households:
            return
        ledger = LedgerEntry.objects.filter(household_id__in=self.households)
        measures = list(self.ours(SupportMeasure, "action__household"))
        fees = ledger.filter(kind=FundingKind.FLAT_FEE)
        expected = sum((flat_fee(m.starts_on.year) for m in measures), Decimal("0"))
        if django_settings.FUNDING_RENEWAL_BOOKS_FEE:
            renewals = self.ours(CoDecision).filter(
                purpose=Purpose.RENEWAL, status=CoDecisionStatus.APPROVED
            )
            expected += sum(
                (flat_fee(timezone.localdate(c.decided_at).year) for c in renewals), Decimal("0")
            )
        assert sum((e.amount for e in fees), Decimal("0")) == expected
        assert sum(e.measures_count for e in fees) == len(measures)
        for reduction in RentReduction.objects.filter(action__household_id__in=self.households):
            net: dict[date, Decimal] = {}
            for entry in reduction.ledger_entries.all():
                net[entry.on] = net.get(entry.on, Decimal("0")) + entry.amount
            booked = {month: amount for month, amount in net.items() if amount}
            assert booked == dict.fromkeys(reduction.months(), reduction.monthly_amount)

    @invariant()
    def a_measure_is_renewed_at_most_once(self):
        for measure in self.ours(SupportMeasure, "action__household"):
            assert measure.renewal_count <= django_settings.MEASURE_MAX_RENEWALS
            renewals = measure.renewal_codecisions.all()
            assert renewals.filter(status=CoDecisionStatus.APPROVED).count() == (
                measure.renewal_count
            )
            assert renewals.open().count() <= 1
            assert measure.ends_on == SupportMeasure.end_for(
                measure.starts_on, measure.renewal_count
            )
            if measure.status == MeasureStatus.CLOSED:
                assert measure.outcome and measure.starts_on <= measure.closed_on

    @invariant()
    def a_measure_starts_within_its_codecisions_window(self):
        delay = getattr(django_settings, "MEASURE_START_MAX_DELAY_DAYS", None)
        for measure in self.ours(SupportMeasure, "action__household").select_related("action"):
            start = measure.action.codecisions.get(purpose=Purpose.START)
            assert start.status == CoDecisionStatus.APPROVED
            assert timezone.localdate(start.opened_at) <= measure.starts_on
            if delay is not None:
                last = timezone.localdate(start.decided_at) + timedelta(days=delay)
                assert measure.starts_on <= last

    @invariant()
    def every_status_was_reached_by_an_allowed_move(self):
        assert_every_recorded_move_is_allowed(self.before)

    @invariant()
    def each_partner_sees_the_households_it_is_involved_in(self):
        if not self.households:
            return
        involved = {pk: set() for pk in self.households}
        for household in Household.objects.filter(pk__in=self.households):
            # README, « Access »: the partner that created it, the landlord of its dwelling,
            # and the partners its orientations, co-decisions and measures involve.
            involved[household.pk] |= {household.created_by_partner_id, household.landlord_id}
        for model in (Action, CoDecision):
            for row in self.ours(model).values("household_id", "landlord_id", "association_id"):
                involved[row["household_id"]] |= {row["landlord_id"], row["association_id"]}
        for role, users in self.users.items():
            for user in users:
                seen = set(
                    Household.objects.visible_to(user)
                    .filter(pk__in=self.households)
                    .values_list("pk", flat=True)
                )
                if role == Role.COORDINATOR:
                    expected = set(self.households)
                elif role == Role.FUNDER_VIEWER:
                    expected = set()
                else:
                    expected = {
                        pk for pk, partners in involved.items() if user.partner.pk in partners
                    }
                assert seen == expected, (user.username, seen ^ expected)


def test_the_workflow_keeps_its_invariants_under_random_use(demo):
    profile = os.environ.get("WORKFLOW_PROPTEST_PROFILE", "ci")
    run_state_machine_as_test(WorkflowMachine, settings=PROFILES[profile])
