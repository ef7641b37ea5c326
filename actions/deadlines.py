"""Legal and programme deadlines computed from the dated settings (docs/DOMAIN_RULES.md)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from core.dates import add_months, add_working_days, subtract_working_days


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


def payment_order_delay_end(payment_order_on: date, lease_signed_on: date | None) -> date:
    """6 weeks for leases signed from PAYMENT_ORDER_SHORT_DELAY_FROM, 2 months before. An
    unknown lease date counts the shorter delay, so that nobody is reminded too late."""
    if lease_signed_on is not None and lease_signed_on < settings.PAYMENT_ORDER_SHORT_DELAY_FROM:
        return add_months(payment_order_on, settings.PAYMENT_ORDER_DELAY_MONTHS_OLD_LEASES)
    return payment_order_on + timedelta(weeks=settings.PAYMENT_ORDER_DELAY_WEEKS)


def procedure_deadlines(procedure) -> list[Deadline]:
    """Every deadline that follows from the stages recorded so far, in date order."""
    p, found = procedure, []
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
                payment_order_delay_end(p.payment_order_on, p.lease_signed_on),
                "Fin du délai du commandement de payer",
                "payment_order",
            )
        )
    # The interview is offered within 15 working days of the prefect's request; while the
    # request's date is not recorded, the summons (notified to the prefect) stands for it.
    dsf_asked_on = p.dsf_requested_on or p.summons_on
    if dsf_asked_on and not p.dsf_interview_on:
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
    if p.judgement_on and not p.order_to_leave_on:
        found.append(
            Deadline(
                add_months(p.judgement_on, settings.APPEAL_DELAY_MONTHS),
                "Fin du délai d'appel",
                "appeal",
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
    if p.judgement_on and p.eviction_ordered:
        _, truce_end = winter_truce_around(p.judgement_on)
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
    """The next review of a sliding lease and the landlord's answer due before it."""
    if not lease.sublease_signed_on or lease.glide_on:
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
