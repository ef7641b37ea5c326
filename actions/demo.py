"""Demo cases at every step of the workflow, made through the real services.

Martin, Petit and Fontaine stay without orientation (the access examples of the README and
of the access-matrix test). Loading twice changes nothing: a household that already has an
orientation is left as it is.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from actions import services
from actions.models import Orientation
from codecision import services as codecision_services
from households.models import Household
from logement_toujours.dates import add_months
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
    if Orientation.objects.filter(household__name__in=["Benali", "Nguyen"]).exists():
        return
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
        ends_on=add_months(start.replace(day=1), 6),
    )
    objective = services.objective_add(
        measure=measure, by=cw_oiseau, text="Demander une mutation vers un logement mieux isolé"
    )
    services.objective_set_status(objective=objective, by=cw_oiseau, status="in_progress")
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
    renewal = codecision_services.renewal_request(
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
    for user in (cesf_pluralis, cw_ozanam):
        codecision_services.codecision_answer(
            codecision=_codecision(moreau),
            by=user,
            answer="reject",
            comment="Situation réglée par un échéancier du fournisseur.",
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
    services.sliding_lease_update(
        lease=lease,
        by=cw_oiseau,
        data={
            "address": "3 place Notre-Dame, Grenoble",
            "dwelling_type": "T2",
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
