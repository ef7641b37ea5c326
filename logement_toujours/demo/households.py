"""Twenty-one fictitious households spread over the partners, at every point of the flow."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from households import services
from households.models import Household, ProcedureStage
from partners.models import User

# (creator, name, status, landlord, city, members, diagnostic or None)
HOUSEHOLDS = [
    (
        "cesf.actis",
        "Martin",
        "tenant",
        "actis",
        "Grenoble",
        [("Sandrine", "head", 1981), ("Lucas", "child", 2012)],
        "energy",
    ),
    (
        "cesf.actis",
        "Benali",
        "tenant",
        "actis",
        "Échirolles",
        [("Karima", "head", 1975), ("Yanis", "child", 2008), ("Sofia", "child", 2015)],
        "solvency",
    ),
    (
        "cesf.actis",
        "Roux",
        "tenant",
        "actis",
        "Saint-Martin-d'Hères",
        [("Gérard", "head", 1958)],
        None,
    ),
    (
        "cesf.opac38",
        "Dupont",
        "tenant",
        "opac38",
        "Voiron",
        [("Marie", "head", 1990), ("Kevin", "spouse", 1988)],
        "eviction",
    ),
    ("cesf.opac38", "Nguyen", "tenant", "opac38", "Vienne", [("Thi", "head", 1969)], "energy"),
    (
        "cesf.opac38",
        "Lefèvre",
        "tenant",
        "opac38",
        "Bourgoin-Jallieu",
        [("Paul", "head", 1979), ("Emma", "child", 2011)],
        "solvency",
    ),
    (
        "cesf.pluralis",
        "Garcia",
        "tenant",
        "pluralis",
        "Fontaine",
        [("Ana", "head", 1985), ("Diego", "child", 2014)],
        "eviction",
    ),
    (
        "cesf.pluralis",
        "Moreau",
        "tenant",
        "pluralis",
        "Meylan",
        [("Jacqueline", "head", 1949)],
        "energy",
    ),
    (
        "caseworker.oiseaubleu",
        "Diallo",
        "applicant",
        None,
        "Grenoble",
        [("Aminata", "head", 1993), ("Moussa", "child", 2019)],
        "scattered",
    ),
    (
        "caseworker.ozanam",
        "Petit",
        "applicant",
        None,
        "Grenoble",
        [("Julien", "head", 1984)],
        "scattered",
    ),
    (
        "caseworker.ulisse",
        "Fontaine",
        "tenant",
        "pluralis",
        "Échirolles",
        [("Hélène", "head", 1972)],
        None,
    ),
    (
        "caseworker.ozanam",
        "Bernard",
        "applicant",
        None,
        "Seyssinet-Pariset",
        [("Océane", "head", 2001)],
        None,
    ),
    # With the cases above, every step of the flow for each action kind (demo/workflow.py).
    ("cesf.actis", "Lemaire", "tenant", "actis", "Grenoble", [("Nadia", "head", 1987)], "energy"),
    (
        "cesf.pluralis",
        "Girard",
        "tenant",
        "pluralis",
        "Saint-Égrève",
        [("Michel", "head", 1962), ("Annie", "spouse", 1964)],
        "energy",
    ),
    (
        "cesf.opac38",
        "Rousseau",
        "tenant",
        "opac38",
        "Villefontaine",
        [("Sébastien", "head", 1983), ("Léa", "child", 2010)],
        "solvency",
    ),
    ("cesf.actis", "Blanc", "tenant", "actis", "Eybens", [("Claire", "head", 1977)], "solvency"),
    (
        "cesf.pluralis",
        "Mercier",
        "tenant",
        "pluralis",
        "Sassenage",
        [("Farid", "head", 1980), ("Inès", "child", 2016)],
        "eviction",
    ),
    (
        "cesf.actis",
        "Faure",
        "tenant",
        "actis",
        "Pont-de-Claix",
        [("Yves", "head", 1955)],
        "eviction",
    ),
    ("cesf.opac38", "Perrin", "tenant", "opac38", "Vienne", [("Alice", "head", 1968)], "solvency"),
    (
        "caseworker.ulisse",
        "Sanchez",
        "applicant",
        None,
        "Grenoble",
        [("Lucia", "head", 1995), ("Mateo", "child", 2021)],
        "scattered",
    ),
    (
        "caseworker.oiseaubleu",
        "Henry",
        "applicant",
        None,
        "Vizille",
        [("Damien", "head", 1991)],
        "scattered",
    ),
]

DIAGNOSTICS = {
    "energy": dict(
        income_work=Decimal("1250"),
        income_family=Decimal("180"),
        rent=Decimal("520"),
        recoverable_charges=Decimal("95"),
        housing_aid=Decimal("160"),
        energy_costs=Decimal("210"),
        energy_label="G",
        proposed_action="energy",
        conclusion=(
            "Logement très énergivore, factures de chauffage hors de "
            "portée : mutation vers un logement mieux isolé."
        ),
    ),
    "solvency": dict(
        income_unemployment=Decimal("980"),
        income_family=Decimal("320"),
        rent=Decimal("610"),
        recoverable_charges=Decimal("110"),
        housing_aid=Decimal("240"),
        energy_costs=Decimal("120"),
        rent_arrears=Decimal("2160"),
        fsl_status="requested",
        repayment_plan_status="to_ask",
        rent_payment_resumed=True,
        repayment_capacity=Decimal("60"),
        proposed_action="solvency",
        conclusion=(
            "Impayés après une perte d'emploi ; reprise du loyer courant : plan d'apurement et FSL."
        ),
    ),
    "eviction": dict(
        income_minimum=Decimal("720"),
        income_family=Decimal("150"),
        rent=Decimal("480"),
        recoverable_charges=Decimal("80"),
        housing_aid=Decimal("300"),
        energy_costs=Decimal("90"),
        rent_arrears=Decimal("4480"),
        procedure_stage=ProcedureStage.SUMMONS,
        rent_payment_resumed=False,
        proposed_action="sliding_lease_eviction",
        conclusion=(
            "Assignation délivrée ; bail glissant proposé "
            "pour sécuriser le maintien dans les lieux."
        ),
    ),
    "scattered": dict(
        income_minimum=Decimal("640"),
        income_family=Decimal("110"),
        rent=Decimal("0"),
        proposed_action="scattered_housing",
        conclusion=(
            "Aucune structure d'hébergement adaptée : logement en diffus avec bail glissant."
        ),
    ),
}


POSTCODES = {
    "Bourgoin-Jallieu": "38300",
    "Eybens": "38320",
    "Fontaine": "38600",
    "Grenoble": "38000",
    "Meylan": "38240",
    "Pont-de-Claix": "38800",
    "Saint-Martin-d'Hères": "38400",
    "Saint-Égrève": "38120",
    "Sassenage": "38360",
    "Seyssinet-Pariset": "38170",
    "Vienne": "38200",
    "Villefontaine": "38090",
    "Vizille": "38220",
    "Voiron": "38500",
    "Échirolles": "38130",
}


def load(users: dict[str, User]) -> int:
    created = 0
    today = timezone.localdate()
    for index, (creator, name, status, landlord, city, members, diagnostic) in enumerate(
        HOUSEHOLDS
    ):
        by = users[creator]
        if Household.objects.filter(name=name, created_by_partner=by.partner).exists():
            continue
        landlord_partner = users[f"cesf.{landlord}"].partner if landlord else None
        household = services.household_create(
            by=by,
            data={
                "name": name,
                "housing_status": status,
                "landlord": landlord_partner,
                "address": f"{10 + index} rue des Alpes",
                "postcode": POSTCODES[city],
                "city": city,
                "contact_phone": f"06 12 34 56 {index:02d}",
                "consent_given_on": today - timedelta(days=40 + index),
            },
            # The demo's households are distinct: opened without the duplicate check's step.
            confirm_duplicate=True,
            members=[
                {
                    "first_name": first,
                    "last_name": name.upper(),
                    "relationship": rel,
                    "birth_date": date(year, 3, 1 + index),
                }
                for first, rel, year in members
            ],
        )
        if diagnostic:
            figures = dict(DIAGNOSTICS[diagnostic])
            if figures.get("rent_arrears"):
                figures["rent_arrears_since"] = today - timedelta(days=150)
            if figures.get("procedure_stage") == ProcedureStage.SUMMONS:
                figures["procedure_stage_on"] = today - timedelta(days=20)
                figures["hearing_on"] = today + timedelta(days=45)
            services.diagnostic_create(
                household=household,
                by=by,
                data={
                    "made_on": today - timedelta(days=30 - index),
                    "persons": len(members),
                    **figures,
                },
            )
        created += 1
    return created
