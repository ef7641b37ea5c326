"""Legal and programme deadlines computed from the dated settings (docs/DOMAIN_RULES.md)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from actions.models import HousingMode, JudgementKind, JudgementOutcome, PaymentOrderDelay
from core.dates import add_months, add_working_days, is_working_day, subtract_working_days


@dataclass(frozen=True, order=True)
class Deadline:
    on: date
    label: str
    kind: str


def winter_truce_rule(truce_end_year: int) -> dict:
    for rule in settings.WINTER_TRUCE_RULES:
        end = date(truce_end_year, *rule["end"])
        if end >= rule["applies_from"]:
            return rule
    return settings.WINTER_TRUCE_RULES[-1]


def winter_truce_around(day: date) -> tuple[date, date]:
    """The truce (start, end) that contains `day`, or else the next one."""
    for end_year in (day.year, day.year + 1):
        rule = winter_truce_rule(end_year)
        start = date(end_year - 1, *rule["start"])
        end = settings.WINTER_TRUCE_EXTENDED_ENDS.get(end_year) or date(end_year, *rule["end"])
        if day <= end:
            return start, end
    raise AssertionError("unreachable")


def in_winter_truce(day: date) -> bool:
    start, end = winter_truce_around(day)
    return start <= day <= end


def energy_truce_around(day: date) -> tuple[date, date]:
    """The truce on energy cut-offs (start, end) that contains `day`, or else the next one."""
    for end_year in (day.year, day.year + 1):
        start = date(end_year - 1, *settings.ENERGY_CUT_OFF_TRUCE_START)
        end = date(end_year, *settings.ENERGY_CUT_OFF_TRUCE_END)
        if day <= end:
            return start, end
    raise AssertionError("unreachable")


def payment_order_default_delay(lease_signed_on: date | None) -> str:
    """The delay a commandement states by default: 6 weeks for leases signed from
    PAYMENT_ORDER_SHORT_DELAY_FROM, 2 months before. An unknown lease date proposes the
    shorter delay, so that nobody is reminded too late."""
    if lease_signed_on is not None and lease_signed_on < settings.PAYMENT_ORDER_SHORT_DELAY_FROM:
        return PaymentOrderDelay.TWO_MONTHS
    return PaymentOrderDelay.SIX_WEEKS


def payment_order_delay_end(
    payment_order_on: date, lease_signed_on: date | None, delay: str = ""
) -> date:
    """The end of the delay written in the commandement (`delay`), or of the default one."""
    if (delay or payment_order_default_delay(lease_signed_on)) == PaymentOrderDelay.TWO_MONTHS:
        return add_months(payment_order_on, settings.PAYMENT_ORDER_DELAY_MONTHS_OLD_LEASES)
    return payment_order_on + timedelta(weeks=settings.PAYMENT_ORDER_DELAY_WEEKS)


def appeal_delay_end(served_on: date, kind: str) -> date:
    """Appeal runs from the service of the decision (art. 528 CPC): 15 days for a référé
    order (art. 490 CPC), 1 month for a judgement on the merits. An unknown kind counts the
    shorter delay. A delay ending on a Saturday, Sunday or public holiday runs to the next
    working day (art. 642 CPC)."""
    if kind == JudgementKind.MERITS:
        end = add_months(served_on, settings.APPEAL_DELAY_MONTHS)
    else:
        end = served_on + timedelta(days=settings.APPEAL_DELAY_DAYS_REFERE)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end


def grace_period_limits(granted_on: date) -> tuple[int, int]:
    """(shortest, longest) grace period in months the judge may grant on `granted_on`
    (L412-4 CPCE, changed by the law of 27 July 2023)."""
    for rule in settings.GRACE_PERIOD_RULES:
        if granted_on >= rule["applies_from"]:
            return rule["min_months"], rule["max_months"]
    return settings.GRACE_PERIOD_RULES[-1]["min_months"], settings.GRACE_PERIOD_RULES[-1][
        "max_months"
    ]


def procedure_warnings(procedure) -> list[str]:
    """What in the recorded stages may make the court dismiss the landlord's claim."""
    p, found = procedure, []
    if p.summons_on and p.ccapex_referred_on:
        earliest = add_months(p.ccapex_referred_on, settings.CCAPEX_REFERRAL_MONTHS_BEFORE_SUMMONS)
        if p.summons_on < earliest:
            found.append(
                f"Assignation délivrée le {p.summons_on:%d/%m/%Y}, moins de "
                f"{settings.CCAPEX_REFERRAL_MONTHS_BEFORE_SUMMONS} mois après la saisine de la "
                f"CCAPEX (possible à partir du {earliest:%d/%m/%Y}) : le juge peut la déclarer "
                "irrecevable."
            )
    if p.summons_on and not p.ccapex_referred_on:
        found.append(
            "Aucune saisine de la CCAPEX n'est enregistrée avant l'assignation : un bailleur "
            f"social saisit la CCAPEX au moins {settings.CCAPEX_REFERRAL_MONTHS_BEFORE_SUMMONS} "
            "mois avant d'assigner."
        )
    return found


def procedure_deadlines(procedure, today: date) -> list[Deadline]:
    """Every deadline that follows from the stages recorded so far, in date order; none once
    the procedure ended (withdrawal, payment, cancellation)."""
    p, found = procedure, []
    if p.ended_on:
        return []
    if p.ccapex_referred_on and not p.summons_on:
        found.append(
            Deadline(
                add_months(p.ccapex_referred_on, settings.CCAPEX_REFERRAL_MONTHS_BEFORE_SUMMONS),
                "Assignation possible au plus tôt (saisine de la CCAPEX + 2 mois)",
                "ccapex",
            )
        )
    if p.payment_order_on and not p.summons_on:
        found.append(
            Deadline(
                payment_order_delay_end(
                    p.payment_order_on, p.lease_signed_on, p.payment_order_delay
                ),
                "Fin du délai du commandement de payer",
                "payment_order",
            )
        )
    # The interview is offered within 15 working days of the prefect's request; while the
    # request's date is not recorded, the summons (notified to the prefect) stands for it. A
    # CESF diagnostic marked as the procedure's DSF counts as the interview.
    dsf_asked_on = p.dsf_requested_on or p.summons_on
    if dsf_asked_on and not p.dsf_done_on and not p.judgement_on:
        found.append(
            Deadline(
                add_working_days(dsf_asked_on, settings.DSF_INTERVIEW_WITHIN_WORKING_DAYS),
                "Entretien du diagnostic social et financier à proposer",
                "dsf_interview",
            )
        )
    if p.hearing_on and not p.judgement_on:
        if p.summons_on:
            found.append(
                Deadline(
                    p.hearing_on - timedelta(weeks=settings.SUMMONS_NOTICE_WEEKS_BEFORE_HEARING),
                    "Assignation notifiée au préfet au plus tard (6 semaines avant l'audience)",
                    "summons_notice",
                )
            )
        if not p.dsf_sent_on:
            found.append(
                Deadline(
                    subtract_working_days(
                        p.hearing_on, settings.DSF_TO_JUDGE_WORKING_DAYS_BEFORE_HEARING
                    ),
                    "Diagnostic social et financier à transmettre au juge",
                    "dsf_to_judge",
                )
            )
        found.append(Deadline(p.hearing_on, "Audience", "hearing"))
    if p.judgement_served_on and not p.order_to_leave_on:
        found.append(
            Deadline(
                appeal_delay_end(p.judgement_served_on, p.judgement_kind),
                "Fin du délai d'appel ("
                + ("1 mois" if p.judgement_kind == JudgementKind.MERITS else "15 jours")
                + " après la signification)",
                "appeal",
            )
        )
    if p.judgement_outcome == JudgementOutcome.PAYMENT_PLAN and p.payment_plan_months:
        found.append(
            Deadline(
                add_months(p.judgement_served_on or p.judgement_on, p.payment_plan_months),
                "Fin des délais de paiement (dette soldée : la résiliation est réputée ne "
                "pas avoir joué)",
                "payment_plan_end",
            )
        )
    if p.grace_period_months and (p.grace_period_from or p.judgement_on):
        found.append(
            Deadline(
                add_months(p.grace_period_from or p.judgement_on, p.grace_period_months),
                "Fin des délais de grâce accordés par le juge",
                "grace_period_end",
            )
        )
    if p.order_to_leave_on and not p.police_assistance_requested_on:
        found.append(
            Deadline(
                add_months(
                    p.order_to_leave_on,
                    settings.ORDER_TO_LEAVE_DELAY_MONTHS + p.order_to_leave_extra_months,
                ),
                "Fin du délai du commandement de quitter les lieux",
                "order_to_leave",
            )
        )
    if p.police_assistance_requested_on:
        found.append(
            Deadline(
                add_months(
                    p.police_assistance_requested_on, settings.POLICE_ASSISTANCE_ANSWER_MONTHS
                ),
                "Réponse du préfet au concours de la force publique (silence = refus)",
                "police_assistance",
            )
        )
    if p.judgement_outcome == JudgementOutcome.EVICTION:
        # The truce that matters is the one containing or following today, however old the
        # decision.
        _, truce_end = winter_truce_around(today)
        found.append(Deadline(truce_end, "Fin de la trêve hivernale", "winter_truce_end"))
    return sorted(found)


def next_deadline(deadlines: list[Deadline], today: date) -> Deadline | None:
    upcoming = [d for d in deadlines if d.on >= today]
    return upcoming[0] if upcoming else None


def lease_review_dates(sublease_signed_on: date, until: date) -> list[date]:
    """Ends of the 6-month review periods from the sublease signature, up to `until`."""
    dates, period = [], 1
    while True:
        review = add_months(sublease_signed_on, settings.SLIDING_LEASE_REVIEW_MONTHS * period)
        dates.append(review)
        if review >= until:
            return dates
        period += 1


def lease_deadlines(lease, today: date) -> list[Deadline]:
    """The next review of a running sliding lease and the landlord's answer due before it
    (none for a temporary occupancy, which does not glide)."""
    if (
        not lease.sublease_signed_on
        or not lease.is_running
        or lease.mode == HousingMode.TEMPORARY_OCCUPANCY
    ):
        return []
    review = lease_review_dates(lease.sublease_signed_on, today)[-1]
    answer = add_months(review, -settings.SLIDING_LEASE_LANDLORD_ANSWER_MONTHS_BEFORE)
    found = [
        Deadline(
            review, "Point d'étape du bail glissant (fin de période de 6 mois)", "lease_review"
        )
    ]
    if answer >= today:
        found.append(
            Deadline(
                answer, "Réponse du bailleur sur le glissement du bail", "lease_landlord_answer"
            )
        )
    return sorted(found)
