"""Demo cases at every step of the workflow, made through the real services.

Martin, Petit and Fontaine stay without orientation (the access examples of the README and
of the access-matrix test). Loading twice changes nothing: a household that already has an
orientation is left as it is.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.models import Appointment, ObjectiveStatus, Orientation
from codecision import services as codecision_services
from codecision.models import CoDecision
from core.dates import add_months
from households.models import Household
from partners.models import Partner, User


def _household(name: str) -> Household | None:
    return Household.objects.filter(name=name).first()


def _orient(household, by: User, kind: str, association: str, reason: str, landlord=None):
    return services.orientation_create(
        household=household,
        by=by,
        kind=kind,
        association=Partner.objects.get(short_name=association),
        landlord=Partner.objects.get(short_name=landlord) if landlord else None,
        diagnostic=household.diagnostics.first(),
        reason=reason,
    )


def _codecision(orientation):
    return orientation.action.codecisions.get()


def _approve_both(orientation, landlord_user: User, caseworker: User, starts_on):
    codecision = _codecision(orientation)
    _opened_before(codecision, starts_on)
    codecision_services.codecision_answer(
        codecision=codecision, by=landlord_user, answer="approve", comment="Accord du bailleur."
    )
    codecision_services.codecision_answer(
        codecision=codecision,
        by=caseworker,
        answer="approve",
        comment="Nous prenons la mesure.",
        referent=caseworker,
        starts_on=starts_on,
    )
    return orientation.action.measures.get()


def _opened_before(codecision: CoDecision, starts_on) -> None:
    """A demo case began in the past: its co-decision opened two weeks before its measure
    started (a measure never starts before its co-decision's opening)."""
    # At noon, local time: the first of the month whatever the hour the demo is loaded.
    opened_at = timezone.make_aware(datetime.combine(starts_on.replace(day=1), time(12)))
    if opened_at < codecision.opened_at:
        CoDecision.objects.filter(pk=codecision.pk).update(
            opened_at=min(opened_at, codecision.opened_at - timedelta(days=14))
        )
        codecision.refresh_from_db()


def _reject_both(orientation, landlord_user: User, caseworker: User, comment: str) -> None:
    for user in (landlord_user, caseworker):
        codecision_services.codecision_answer(
            codecision=_codecision(orientation), by=user, answer="reject", comment=comment
        )


# The register of the dwellings each association holds for action 4.
DWELLINGS = [
    ("oiseaubleu", "3 place Notre-Dame", "38000", "Grenoble", "actis", "t2"),
    ("oiseaubleu", "18 avenue Jean Jaurès", "38100", "Grenoble", "opac38", "t1"),
    ("ozanam", "7 rue de la Liberté", "38130", "Échirolles", "pluralis", "t3"),
    ("ulisse", "22 cours Berriat", "38000", "Grenoble", "opac38", "studio"),
]


def _dwellings(users: dict[str, User]) -> list:
    made = []
    for association, address, postcode, city, landlord, kind in DWELLINGS:
        by = users[f"caseworker.{association}"]
        made.append(
            services.dwelling_save(
                association=by.partner,
                by=by,
                data={
                    "address": address,
                    "postcode": postcode,
                    "city": city,
                    "landlord": Partner.objects.get(short_name=landlord),
                    "dwelling_type": kind,
                },
            )
        )
    return made


def _follow_ups(measure, by: User, start, entries) -> None:
    for offset, kind, summary, confidential in entries:
        services.follow_up_create(
            household=measure.action.household,
            by=by,
            measure=measure,
            data={
                "happened_on": start + timedelta(days=offset),
                "kind": kind,
                "duration_minutes": 60,
                "summary": summary,
                "next_step": "",
                "confidential": confidential,
            },
        )


@transaction.atomic
def load(users: dict[str, User]) -> None:
    today = timezone.localdate()
    if not Orientation.objects.filter(household__name__in=["Benali", "Nguyen"]).exists():
        _first_cases(users, today)
    if not Orientation.objects.filter(household__name="Lemaire").exists():
        _every_step_of_each_kind(users, today)
    if not Appointment.objects.exists():
        _appointments(users, today)


def _appointments(users: dict[str, User], today) -> None:
    """A few appointments for « Mes échéances », the household pages and the calendar feed:
    one past still to be held (« Tenu »), one cancelled, the others to come. No reminder is
    due on the day the demo is loaded: the demo's first sweep sends none of them."""
    nguyen, martin, benali = _household("Nguyen"), _household("Martin"), _household("Benali")
    oiseau, opac, actis = (
        users["caseworker.oiseaubleu"],
        users["cesf.opac38"],
        users["cesf.actis"],
    )
    if nguyen is not None:
        services.appointment_save(
            household=nguyen,
            by=oiseau,
            data={
                "kind": "home_visit",
                "on": today + timedelta(days=2),
                "at": time(10, 0),
                "duration_minutes": 60,
                "place": "Au domicile",
                "notes": "Point sur le budget et la demande de mutation.",
                "reminder_days_before": 1,
            },
            participants=[oiseau, opac],
        )
        services.appointment_save(
            household=nguyen,
            by=oiseau,
            data={
                "kind": "office",
                "on": today - timedelta(days=2),
                "at": time(14, 0),
                "place": "Locaux de L'Oiseau Bleu",
                "notes": "Pièces pour le dossier FSL.",
            },
            participants=[oiseau],
        )
    if martin is not None:
        services.appointment_save(
            household=martin,
            by=actis,
            data={
                "kind": "office",
                "on": today + timedelta(days=9),
                "at": time(14, 30),
                "place": "Agence Actis",
                "notes": "Plan d'apurement de la dette de loyer.",
                "reminder_days_before": 2,
            },
            participants=[actis],
        )
        cancelled = services.appointment_save(
            household=martin,
            by=actis,
            data={"kind": "phone", "on": today - timedelta(days=5), "at": time(9, 30)},
        )
        services.appointment_cancel(
            appointment=cancelled, by=actis, reason="Le ménage a demandé à décaler."
        )
    if benali is not None:
        services.appointment_save(
            household=benali,
            by=users["coordinator.lt"],
            data={
                "kind": "committee",
                "on": today + timedelta(days=12),
                "at": time(9, 0),
                "place": "Salle du comité",
            },
        )


def _first_cases(users: dict[str, User], today) -> None:
    cesf_actis, cesf_opac, cesf_pluralis = (
        users["cesf.actis"],
        users["cesf.opac38"],
        users["cesf.pluralis"],
    )
    cw_oiseau, cw_ozanam, cw_ulisse = (
        users["caseworker.oiseaubleu"],
        users["caseworker.ozanam"],
        users["caseworker.ulisse"],
    )
    coordinator = users["coordinator.lt"]

    # In co-decision: the landlord approved, the association has not answered yet.
    benali = _orient(
        _household("Benali"),
        cesf_actis,
        "solvency",
        "ulisse",
        "Impayés depuis cinq mois après une perte d'emploi ; reprise du loyer courant.",
    )
    codecision_services.codecision_answer(
        codecision=_codecision(benali), by=cesf_actis, answer="approve", comment="Accord."
    )

    # Action 1 in progress: a measure started two months ago, objectives, follow-ups.
    nguyen = _orient(
        _household("Nguyen"),
        cesf_opac,
        "energy",
        "oiseaubleu",
        "Factures d'énergie très lourdes dans un logement classé F.",
    )
    start = today - timedelta(days=60)
    measure = _approve_both(nguyen, cesf_opac, cw_oiseau, start)
    services.rent_reduction_create(
        action=nguyen.action,
        by=cesf_opac,
        monthly_amount=40,
        starts_on=start.replace(day=1),
        ends_on=add_months(start.replace(day=1), 1),
    )
    objective = services.objective_add(
        measure=measure, by=cw_oiseau, text="Demander une mutation vers un logement mieux isolé"
    )
    services.objective_set_status(
        objective=objective, by=cw_oiseau, status=ObjectiveStatus.IN_PROGRESS
    )
    services.objective_add(
        measure=measure, by=cw_oiseau, text="Ouvrir les droits au chèque énergie"
    )
    _follow_ups(
        measure,
        cw_oiseau,
        start,
        [
            (3, "home_visit", "Visite à domicile : relevé des consommations, éco-gestes.", False),
            (20, "office", "Constitution de la demande de mutation.", False),
            (41, "phone", "Situation familiale difficile évoquée, à suivre en interne.", True),
        ],
    )

    # Action 3 in progress, measure renewed once: hearing to come.
    dupont = _orient(
        _household("Dupont"),
        cesf_opac,
        "sliding_lease_eviction",
        "ozanam",
        "Assignation reçue ; le ménage a repris le paiement du loyer.",
    )
    start = add_months(today, -6) + timedelta(days=20)
    measure = _approve_both(dupont, cesf_opac, cw_ozanam, start)
    renewal = services.renewal_request(
        measure=measure, by=cw_ozanam, comment="Audience à venir : accompagnement à poursuivre."
    )
    codecision_services.codecision_answer(codecision=renewal, by=cesf_opac, answer="approve")
    codecision_services.codecision_answer(codecision=renewal, by=cw_ozanam, answer="approve")
    _follow_ups(
        measure,
        cw_ozanam,
        start,
        [
            (5, "home_visit", "Premier entretien au domicile, point sur la procédure.", False),
            (30, "accompaniment", "Accompagnement au point d'accès au droit.", False),
        ],
    )

    # Disagreement waiting for the coordination's arbitration, and an adjourned case, both
    # on the agenda of a committee.
    lefevre = _orient(
        _household("Lefèvre"),
        cesf_opac,
        "solvency",
        "ulisse",
        "Dette locative importante, dossier de surendettement à envisager.",
    )
    codecision_services.codecision_answer(
        codecision=_codecision(lefevre), by=cesf_opac, answer="approve"
    )
    codecision_services.codecision_answer(
        codecision=_codecision(lefevre),
        by=cw_ulisse,
        answer="reject",
        comment="Plus de place dans nos mesures ce trimestre.",
    )
    garcia = _orient(
        _household("Garcia"),
        cesf_pluralis,
        "sliding_lease_eviction",
        "oiseaubleu",
        "Commandement de payer ; ménage qui ne répond plus au bailleur.",
    )
    codecision_services.codecision_answer(
        codecision=_codecision(garcia),
        by=cw_oiseau,
        answer="adjourn",
        comment="Rencontrer le ménage avant de décider.",
    )
    codecision_services.committee_session_create(
        by=coordinator,
        held_on=today + timedelta(days=7),
        codecisions=[_codecision(lefevre), _codecision(garcia)],
        participants=[cesf_opac, cesf_pluralis, cw_ulisse, cw_oiseau],
    )

    # Rejected by both sides.
    moreau = _orient(
        _household("Moreau"),
        cesf_pluralis,
        "energy",
        "ozanam",
        "Consommation élevée, à confirmer par une visite.",
    )
    _reject_both(
        moreau, cesf_pluralis, cw_ozanam, "Situation réglée par un échéancier du fournisseur."
    )

    # Action 4 in progress: scattered housing with a sliding lease.
    diallo = _orient(
        _household("Diallo"),
        cw_oiseau,
        "scattered_housing",
        "oiseaubleu",
        "Sortie d'hébergement ; logement en diffus avec bail glissant.",
        landlord="actis",
    )
    start = today - timedelta(days=100)
    measure = _approve_both(diallo, cesf_actis, cw_oiseau, start)
    lease = diallo.action.sliding_lease
    dwellings = _dwellings(users)
    services.sliding_lease_update(
        lease=lease,
        by=cw_oiseau,
        data={
            "dwelling": dwellings[0],
            "rent": 420,
            "entry_on": start,
            "main_lease_signed_on": start - timedelta(days=5),
            "tripartite_agreement_on": start - timedelta(days=5),
            "sublease_signed_on": start,
        },
        expected_version=lease.version,
    )
    _follow_ups(
        measure,
        cw_oiseau,
        start,
        [(2, "home_visit", "Entrée dans les lieux, état des lieux avec le ménage.", False)],
    )

    # Closed: an applicant rehoused after a measure.
    bernard = _orient(
        _household("Bernard"),
        cw_ozanam,
        "scattered_housing",
        "ozanam",
        "Hébergé chez un tiers, demande de logement ancienne.",
        landlord="pluralis",
    )
    start = today - timedelta(days=200)
    measure = _approve_both(bernard, cesf_pluralis, cw_ozanam, start)
    _follow_ups(
        measure,
        cw_ozanam,
        start,
        [(10, "office", "Mise à jour de la demande de logement social.", False)],
    )
    services.measure_close(
        measure=measure,
        by=cw_ozanam,
        outcome="rehoused",
        outcome_detail="Bail signé en direct avec le bailleur.",
        closed_on=today - timedelta(days=10),
    )


def _every_step_of_each_kind(users: dict[str, User], today) -> None:
    """The steps the cases above leave out, so that each action kind is shown proposed, in
    progress, rejected and closed."""
    cesf_actis, cesf_opac, cesf_pluralis = (
        users["cesf.actis"],
        users["cesf.opac38"],
        users["cesf.pluralis"],
    )
    cw_oiseau, cw_ozanam, cw_ulisse = (
        users["caseworker.oiseaubleu"],
        users["caseworker.ozanam"],
        users["caseworker.ulisse"],
    )

    # Action 1 proposed, nobody has answered yet.
    _orient(
        _household("Lemaire"),
        cesf_actis,
        "energy",
        "ozanam",
        "Chauffage électrique ancien, factures de plus de 200 € par mois.",
    )

    # Action 1 closed: the transfer to a better insulated dwelling happened.
    girard = _orient(_household("Girard"), cesf_pluralis, "energy", "ulisse", "Logement classé G.")
    start = add_months(today, -8)
    measure = _approve_both(girard, cesf_pluralis, cw_ulisse, start)
    services.action_update_tracking(
        action=girard.action,
        by=cesf_pluralis,
        data={
            "transfer_requested_on": start + timedelta(days=10),
            "dwelling_offered_on": start + timedelta(days=90),
            "offer_accepted_on": start + timedelta(days=95),
            "moved_on": start + timedelta(days=130),
        },
        expected_version=girard.action.version,
    )
    services.measure_close(
        measure=measure,
        by=cw_ulisse,
        outcome="transferred",
        closed_on=start + timedelta(days=150),
    )

    # Action 2 in progress: repayment plan, housing fund, arrears going down.
    rousseau = _orient(
        _household("Rousseau"),
        cesf_opac,
        "solvency",
        "ulisse",
        "Impayés après une séparation ; plan d'apurement possible avec l'aide du FSL.",
    )
    start = today - timedelta(days=75)
    _approve_both(rousseau, cesf_opac, cw_ulisse, start)
    action = rousseau.action
    action.refresh_from_db()
    services.action_update_tracking(
        action=action,
        by=cw_ulisse,
        data={
            "repayment_plan_monthly": 80,
            "repayment_plan_start": start + timedelta(days=15),
            "fsl_status": "granted",
            "solvency_target": "stay",
        },
        expected_version=action.version,
    )
    for days, amount in ((30, 1900), (60, 1740)):
        services.arrears_reading_create(
            action=action, by=cw_ulisse, read_on=start + timedelta(days=days), amount=amount
        )
    # Its procedure, whatever the action: a judgement granting a payment plan of 24 months,
    # the termination suspended.
    procedure = services.procedure_open(household=action.household, by=cesf_opac)
    judged_on = today - timedelta(days=40)
    services.procedure_update(
        procedure=procedure,
        by=cesf_opac,
        data={
            "lease_signed_on": add_months(today, -50),
            "ccapex_referred_on": add_months(today, -8),
            "payment_order_on": add_months(today, -7),
            "summons_on": add_months(today, -5),
            "dsf_requested_on": add_months(today, -5),
            "dsf_interview_on": add_months(today, -5) + timedelta(days=10),
            "dsf_sent_on": add_months(today, -3),
            "hearing_on": judged_on - timedelta(days=28),
            "judgement_on": judged_on,
            "judgement_kind": "merits",
            "judgement_outcome": "payment_plan",
            "judgement_served_on": judged_on + timedelta(days=12),
            "payment_plan_months": 24,
            "payment_plan_monthly": 80,
            "court": "Tribunal judiciaire de Grenoble",
        },
        expected_version=procedure.version,
    )

    # Action 2 closed: the household stayed, arrears paid off.
    blanc = _orient(
        _household("Blanc"), cesf_actis, "solvency", "oiseaubleu", "Dette de loyer ancienne."
    )
    start = add_months(today, -9)
    measure = _approve_both(blanc, cesf_actis, cw_oiseau, start)
    services.measure_close(
        measure=measure, by=cw_oiseau, outcome="stayed", closed_on=add_months(start, 6)
    )

    # Action 3 closed: the sliding lease glided to the household.
    mercier = _orient(
        _household("Mercier"),
        cesf_pluralis,
        "sliding_lease_eviction",
        "ozanam",
        "Assignation ; bail glissant proposé.",
    )
    start = add_months(today, -25)
    measure = _approve_both(mercier, cesf_pluralis, cw_ozanam, start)
    lease = mercier.action.sliding_lease
    lease = services.sliding_lease_update(
        lease=lease,
        by=cw_ozanam,
        data={
            "main_lease_signed_on": start,
            "tripartite_agreement_on": start,
            "sublease_signed_on": start,
        },
        expected_version=lease.version,
    )
    # The measure ends after a year; the sliding lease goes on, with its reviews.
    services.measure_close(
        measure=measure,
        by=cw_ozanam,
        outcome="stayed",
        outcome_detail="Accompagnement terminé ; le bail glissant se poursuit.",
        closed_on=add_months(start, 12),
    )
    for months, offers in ((6, None), (12, None), (18, False), (24, True)):
        services.lease_review_create(
            lease=lease,
            by=cw_ozanam,
            data={
                "held_on": add_months(start, months),
                "rent_paid_regularly": True,
                "peaceful_occupation": True,
                "dwelling_upkept": True,
                "budget_managed": months >= 12,
                "landlord_offers_lease": offers,
                "observations": "Toutes les conditions du glissement sont réunies."
                if offers
                else "",
            },
        )
    lease.refresh_from_db()
    services.sliding_lease_glide(
        lease=lease,
        by=cw_ozanam,
        glide_on=add_months(start, 24) + timedelta(days=10),
        new_lease_reference="PLU-2026-118",
        tenant_number="PLU-118-0042",
        expected_version=lease.version,
    )

    # Action 3 rejected by both sides.
    faure = _orient(
        _household("Faure"), cesf_actis, "sliding_lease_eviction", "ulisse", "Assignation."
    )
    _reject_both(faure, cesf_actis, cw_ulisse, "Le ménage a quitté le logement de lui-même.")

    # Action 2 rejected: the landlord prefers an amicable plan without support.
    perrin = _orient(
        _household("Perrin"), cesf_opac, "solvency", "oiseaubleu", "Petite dette récente."
    )
    _reject_both(perrin, cesf_opac, cw_oiseau, "Un plan amiable suffit, sans accompagnement.")

    # Action 4 in co-decision: the association proposes, the landlord has not answered.
    sanchez = _orient(
        _household("Sanchez"),
        cw_ulisse,
        "scattered_housing",
        "ulisse",
        "Famille hébergée en hôtel ; logement en diffus demandé.",
        landlord="opac38",
    )
    codecision_services.codecision_answer(
        codecision=_codecision(sanchez),
        by=cw_ulisse,
        answer="approve",
        referent=cw_ulisse,
        comment="Nous portons la mesure.",
    )

    # Action 4 rejected: no dwelling available in the landlord's stock.
    henry = _orient(
        _household("Henry"),
        cw_oiseau,
        "scattered_housing",
        "oiseaubleu",
        "Sortie de foyer.",
        landlord="pluralis",
    )
    _reject_both(henry, cesf_pluralis, cw_oiseau, "Pas de logement adapté disponible.")
