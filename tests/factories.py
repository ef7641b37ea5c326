from datetime import date, time, timedelta
from decimal import Decimal

import factory
import time_machine
from django.conf import settings
from django.utils import timezone

from actions.models import Appointment, FollowUp, OutreachRequest, RentReduction, SupportMeasure
from codecision.models import CoDecision
from funding.models import LedgerEntry
from households import services as household_services
from households.models import Diagnostic, Household
from partners import services as partner_services
from partners.models import Partner, PartnerKind, Role, User
from tests.helpers import NAME, TODAY, at


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


# --- Factories with traits, one per state the tests build ---------------------------------
#
# Each goes through the services, as a user would: access, involvement, history, events and
# the money booked are the real ones. Parties default to new users of new partners; pass
# `cesf=`, `caseworker=` (the `flow` fixture's) to share them.


def _cesf():
    return user_create(Role.CESF)


def _caseworker():
    return user_create(Role.CASEWORKER)


class HouseholdFactory(factory.Factory):
    """A household opened by `by` (a CESF of a new landlord: a tenant). `members=3` gives
    three members; `diagnosed=True` adds a diagnostic."""

    class Meta:
        model = Household

    by = factory.LazyFunction(_cesf)
    members = 1
    diagnosed = False

    @classmethod
    def _create(cls, model_class, *, by, members, diagnosed, **data):
        household = household_create(by=by, members=members, **data)
        if diagnosed:
            diagnostic_create(household=household, by=by)
        return household


class CoDecisionFactory(factory.Factory):
    """The start co-decision of a new orientation (action 1 by default), open: neither side
    answered. Traits: `landlord_approved` (one side answered), `disagreement` (the landlord
    approves, the association refuses), `arbitrated` (that disagreement, refused by the
    coordination), `approved` (both approve: the measure opens)."""

    class Meta:
        model = CoDecision

    cesf = factory.LazyFunction(_cesf)
    caseworker = factory.LazyFunction(_caseworker)
    coordinator = None
    kind = "energy"
    starts_on = None
    answers = ()

    class Params:
        landlord_approved = factory.Trait(answers=("landlord",))
        disagreement = factory.Trait(answers=("landlord", "association_rejects"))
        arbitrated = factory.Trait(answers=("landlord", "association_rejects", "arbitration"))
        approved = factory.Trait(answers=("landlord", "association"))

    @classmethod
    def _create(cls, model_class, *, cesf, caseworker, coordinator, kind, starts_on, answers):
        from codecision import services as codecision_services

        orientation = orientation_create(cesf=cesf, association=caseworker.partner, kind=kind)
        codecision = orientation.action.codecisions.get()
        if "landlord" in answers:
            codecision = codecision_services.codecision_answer(
                codecision=codecision, by=cesf, answer="approve"
            )
        if "association" in answers:
            codecision = codecision_services.codecision_answer(
                codecision=codecision,
                by=caseworker,
                answer="approve",
                referent=caseworker,
                starts_on=starts_on,
            )
        if "association_rejects" in answers:
            codecision = codecision_services.codecision_answer(
                codecision=codecision, by=caseworker, answer="reject", comment="Pas de place."
            )
        if "arbitration" in answers:
            codecision = codecision_services.codecision_arbitrate(
                codecision=codecision,
                by=coordinator or user_create(Role.COORDINATOR),
                decision=codecision_services.ARBITRATION_REJECT,
                comment="Le ménage relève d'une autre action.",
            )
        return CoDecision.objects.get(pk=codecision.pk)


class MeasureFactory(factory.Factory):
    """A measure in progress: action 1 (`kind`) proposed by `cesf`, both sides approve, the
    association's `caseworker` is its referent; it started `starts_on` (20 days ago).
    Traits: `renewal_requested` (its renewal co-decision is open), `renewed` (renewed once,
    6 more months), `closed` (closed today, the household stayed), `sliding_lease` (action 3:
    its sliding lease opens with it, `measure.action.sliding_lease`)."""

    class Meta:
        model = SupportMeasure

    cesf = factory.LazyFunction(_cesf)
    caseworker = factory.LazyFunction(_caseworker)
    kind = "energy"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - 20 * DAY)
    household = None
    then = ()

    class Params:
        renewal_requested = factory.Trait(then=("renewal",))
        renewed = factory.Trait(then=("renewal", "renewed"))
        closed = factory.Trait(then=("closed",))
        sliding_lease = factory.Trait(kind="sliding_lease_eviction")

    @classmethod
    def _create(cls, model_class, *, cesf, caseworker, kind, starts_on, household, then):
        from actions import services as action_services

        orientation = orientation_create(
            cesf=cesf, association=caseworker.partner, kind=kind, household=household
        )
        both_approve(
            orientation.action.codecisions.get(),
            landlord_user=cesf,
            caseworker=caseworker,
            starts_on=starts_on,
        )
        measure = orientation.action.measures.get()
        if "renewal" in then:
            renewal = action_services.renewal_request(
                measure=measure, by=caseworker, comment="Audience à venir."
            )
            if "renewed" in then:
                both_approve(renewal, landlord_user=cesf, caseworker=caseworker)
        if "closed" in then:
            action_services.measure_close(measure=measure, by=caseworker, outcome="stayed")
        return SupportMeasure.objects.get(pk=measure.pk)


class FollowUpFactory(factory.Factory):
    """A home visit logged today by the measure's referent, in its journal."""

    class Meta:
        model = FollowUp

    measure = factory.SubFactory(MeasureFactory)
    by = factory.LazyAttribute(lambda o: o.measure.referent)
    happened_on = factory.LazyFunction(timezone.localdate)
    kind = "home_visit"
    summary = "Visite : le ménage a rassemblé ses factures."

    @classmethod
    def _create(cls, model_class, *, measure, by, **data):
        from actions import services as action_services

        return action_services.follow_up_create(
            household=measure.action.household, measure=measure, by=by, data=data
        )


class AppointmentFactory(factory.Factory):
    """An office appointment planned in a week with the household of a measure in progress,
    by its referent. Trait `cancelled`."""

    class Meta:
        model = Appointment

    household = factory.LazyAttribute(lambda o: o.measure.action.household)
    by = factory.LazyAttribute(lambda o: o.measure.referent)
    on = factory.LazyFunction(lambda: timezone.localdate() + 7 * DAY)
    kind = "office"
    cancel = False

    class Params:
        measure = factory.SubFactory(MeasureFactory)
        cancelled = factory.Trait(cancel=True)

    @classmethod
    def _create(cls, model_class, *, household, by, cancel, **data):
        from actions import services as action_services

        appointment = action_services.appointment_save(household=household, by=by, data=data)
        if cancel:
            appointment = action_services.appointment_cancel(appointment=appointment, by=by)
        return appointment


class RentReductionFactory(factory.Factory):
    """A rent reduction of 50 € a month on the first month of a measure in progress, granted
    by the landlord's CESF."""

    class Meta:
        model = RentReduction

    measure = factory.SubFactory(MeasureFactory)
    monthly_amount = Decimal("50.00")
    starts_on = factory.LazyAttribute(lambda o: o.measure.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)

    @classmethod
    def _create(cls, model_class, *, measure, **data):
        from actions import services as action_services

        landlord_user = measure.action.orientation.proposed_by
        return action_services.rent_reduction_create(
            action=measure.action, by=landlord_user, measure=measure, **data
        )


class OutreachRequestFactory(factory.Factory):
    """A landlord's outreach request to an association for its tenant, pending. Traits
    `accepted`, `declined`."""

    class Meta:
        model = OutreachRequest

    cesf = factory.LazyFunction(_cesf)
    household = factory.LazyAttribute(lambda o: household_create(by=o.cesf))
    association = factory.LazyFunction(lambda: _caseworker().partner)
    reason = "Le locataire ne répond plus aux courriers."
    answer = ""

    class Params:
        accepted = factory.Trait(answer="accept")
        declined = factory.Trait(answer="decline")

    @classmethod
    def _create(cls, model_class, *, cesf, household, association, reason, answer):
        from actions import services as action_services

        request = action_services.outreach_request_create(
            household=household, by=cesf, association=association, reason=reason
        )
        if answer:
            answerer = association.memberships.filter(role=Role.CASEWORKER).first().user
            request = action_services.outreach_answer(
                request=request,
                by=answerer,
                decision=answer,
                reason="" if answer == "accept" else "Pas de disponibilité ce trimestre.",
            )
        return request


class LedgerEntryFactory(factory.Factory):
    """A grant typed by a coordinator, today."""

    class Meta:
        model = LedgerEntry

    by = factory.LazyFunction(lambda: user_create(Role.COORDINATOR))
    kind = "grant"
    on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")
    label = "Subvention de fonctionnement"

    @classmethod
    def _create(cls, model_class, **data):
        from funding import services as funding_services

        return funding_services.entry_add(**data)


def start_measure(flow, starts_on: date, kind: str = "energy") -> SupportMeasure:
    """A measure of `flow`'s parties that started `starts_on`, the clock set to that day while
    it is oriented and approved (as if it had happened then)."""
    with time_machine.travel(starts_on):
        return MeasureFactory(
            cesf=flow.cesf, caseworker=flow.caseworker, kind=kind, starts_on=starts_on
        )


# --- The agenda's cases: every dated thing of a caseload, as of TODAY (tests.helpers) ------


def busy_case(flow, *, household_name: str = "Lefèvre") -> dict:
    """One household with a bit of everything, as of TODAY:

    - action 3 in progress (measure from 5 January), summons on 10 January and a hearing on
      Monday 2 March; the sublease signed on 31 January (review 31 July, landlord's answer
      31 May);
    - a follow-up on 10 February whose next step is due today;
    - an appointment on Wednesday 18 February at 14:30 with a reminder two days before, and
      one on 10 April without a reminder."""
    from actions import services as action_services

    measure = start_measure(flow, date(2026, 1, 5), kind="sliding_lease_eviction")
    household = measure.action.household
    household.name = household_name
    household.save(update_fields=["name"])
    procedure = household.procedure
    with at(TODAY):
        action_services.procedure_update(
            procedure=procedure,
            by=flow.cesf,
            data={"summons_on": date(2026, 1, 10), "hearing_on": date(2026, 3, 2)},
            expected_version=procedure.version,
        )
        lease = measure.action.sliding_lease
        action_services.sliding_lease_update(
            lease=lease,
            by=flow.caseworker,
            data={"sublease_signed_on": date(2026, 1, 31)},
            expected_version=lease.version,
        )
        follow_up = action_services.follow_up_create(
            household=household,
            by=flow.caseworker,
            measure=measure,
            data={
                "happened_on": date(2026, 2, 10),
                "kind": "home_visit",
                "summary": "Visite, budget revu.",
                "next_step": f"Rappeler Mme {NAME} 🏠 pour le dossier FSL",
                "next_step_on": TODAY,
            },
        )
        soon = action_services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={
                "kind": "home_visit",
                "on": date(2026, 2, 18),
                "at": time(14, 30),
                "duration_minutes": 90,
                "place": f"Chez Mme {NAME}, 3 rue des Lilas",
                "notes": "Point sur le budget",
                "reminder_days_before": 2,
            },
            participants=[flow.caseworker],
        )
        later = action_services.appointment_save(
            household=household,
            by=flow.caseworker,
            data={"kind": "office", "on": date(2026, 4, 10)},
        )
    return {
        "household": household,
        "measure": measure,
        "follow_up": follow_up,
        "soon": soon,
        "later": later,
    }


def waiting_codecision(flow):
    """A co-decision opened on 2 February that neither side answered."""
    with at(date(2026, 2, 2)):
        orientation = orientation_create(cesf=flow.cesf, association=flow.association)
    return orientation.action.codecisions.get()


def add_cases(flow, count: int) -> None:
    """`count` busy cases (« Ménage 0 », « Ménage 1 »…), each with a waiting co-decision."""
    for number in range(count):
        busy_case(flow, household_name=f"Ménage {number}")
        waiting_codecision(flow)
