"""Who sees which demo case, written out once for every access-matrix test, and the states
of involvement those tests make on the demo.

The demo (logement_toujours/demo/) puts Martin with Actis only, Nguyen with Opac38 and
L'Oiseau Bleu (an energy measure in progress), and Benali with Actis and Ulisse Energie (a
co-decision waiting for Ulisse)."""

from households.models import Household
from logement_toujours.demo.partners import demo_users

USERS = [username for username, _, _ in demo_users()]
FUNDERS = {"funder.fondation", "funder.ddets"}
SOCIAL_WORKERS = {u for u in USERS if u.startswith(("cesf.", "caseworker."))}
SEES_MARTIN = {"coordinator.lt", "cesf.actis", "manager.actis"}
SEES_NGUYEN = {
    "coordinator.lt",
    "cesf.opac38",
    "manager.opac38",
    "caseworker.oiseaubleu",
    "manager.oiseaubleu",
}
SEES_BENALI = {
    "coordinator.lt",
    "cesf.actis",
    "manager.actis",
    "caseworker.ulisse",
    "manager.ulisse",
}
# The households of the page matrix (tests/test_access_matrix.py): Martin (opened by
# cesf.actis, tenant of Actis), Petit (applicant opened by caseworker.ozanam), Fontaine (opened
# by caseworker.ulisse, tenant of Pluralis).
SEES = {
    "Martin": SEES_MARTIN,
    "Petit": {"coordinator.lt", "caseworker.ozanam", "manager.ozanam"},
    "Fontaine": {
        "coordinator.lt",
        "caseworker.ulisse",
        "manager.ulisse",
        "cesf.pluralis",
        "manager.pluralis",
    },
}

# The demo committee lists Opac38, Pluralis, Ulisse Energie and L'Oiseau Bleu as represented:
# their users read its minutes, as the coordination does.
READS_DEMO_MINUTES = {"coordinator.lt"} | {
    username
    for username in USERS
    if username.split(".")[1] in {"opac38", "pluralis", "ulisse", "oiseaubleu"}
}


# The states the rule of involvement adds (households.involvement; README, « Involvement »),
# each made through the services on the demo; the access-matrix tests then try every user
# against the case's pages (tests/test_access_matrix.py) and endpoints (tests/api/).

ACTIS = {"cesf.actis", "manager.actis"}
ULISSE = {"caseworker.ulisse", "manager.ulisse"}
PLURALIS = {"cesf.pluralis", "manager.pluralis"}
COORDINATOR = {"coordinator.lt"}


def refuse_benali(demo) -> None:
    from codecision import services as codecision_services
    from codecision.models import CoDecision

    benali = CoDecision.objects.get(household__name="Benali", purpose="start")
    for user in ("caseworker.ulisse", "cesf.actis"):
        codecision_services.codecision_answer(
            codecision=benali, by=demo[user], answer="reject", comment="Hors critères."
        )


def ulisse_leaves(demo) -> None:
    from partners import services as partner_services
    from partners.models import Partner

    partner_services.partner_update(
        partner=Partner.objects.get(short_name="ulisse"),
        by=demo["coordinator.lt"],
        data={"active": False},
    )


def martin_to_pluralis(by: str, kind: str):
    def change(demo) -> None:
        from households import services
        from partners.models import Partner

        services.household_landlord_change(
            household=Household.objects.get(name="Martin"),
            by=demo[by],
            kind=kind,
            landlord=Partner.objects.get(short_name="pluralis"),
            reason="Le ménage habite un logement de Pluralis : « erreur » corrigée 🏠.",
        )

    return change


# state → (steps, days later, household, who sees, edits, writes a diagnostic, changes the
# landlord)
INVOLVEMENT_STATES = {
    "co-décision refusée, délai de grâce": (
        refuse_benali,
        0,
        "Benali",
        COORDINATOR | ACTIS | ULISSE,
        COORDINATOR | {"cesf.actis"},
        {"cesf.actis"},
        COORDINATOR | {"cesf.actis"},
    ),
    "co-décision refusée, délai écoulé": (
        refuse_benali,
        31,
        "Benali",
        COORDINATOR | ACTIS,
        COORDINATOR | {"cesf.actis"},
        {"cesf.actis"},
        COORDINATOR | {"cesf.actis"},
    ),
    "association sortie du dispositif": (
        ulisse_leaves,
        0,
        "Benali",
        COORDINATOR | ACTIS,
        COORDINATOR | {"cesf.actis"},
        {"cesf.actis"},
        COORDINATOR | {"cesf.actis"},
    ),
    "bailleur corrigé par la coordination": (
        martin_to_pluralis("coordinator.lt", "correction"),
        0,
        "Martin",
        COORDINATOR | PLURALIS,
        COORDINATOR | {"cesf.pluralis"},
        {"cesf.pluralis"},
        COORDINATOR | {"cesf.pluralis"},
    ),
    "mutation, ancien bailleur en lecture seule": (
        martin_to_pluralis("cesf.actis", "transfer"),
        0,
        "Martin",
        COORDINATOR | ACTIS | PLURALIS,
        COORDINATOR | {"cesf.pluralis"},
        {"cesf.pluralis"},
        COORDINATOR | {"cesf.pluralis"},
    ),
    "mutation, délai écoulé": (
        martin_to_pluralis("cesf.actis", "transfer"),
        31,
        "Martin",
        COORDINATOR | PLURALIS,
        COORDINATOR | {"cesf.pluralis"},
        {"cesf.pluralis"},
        COORDINATOR | {"cesf.pluralis"},
    ),
}


def involvement_state(demo, state: str):
    """Make the state, move the clock, run the nightly check; returns the household and the
    expected sets, and leaves the clock moved (stop it with .stop())."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from households.involvement import involvement_repair

    steps, days, name, *expected = INVOLVEMENT_STATES[state]
    steps(demo)
    traveller = time_machine.travel(timezone.now() + timedelta(days=days), tick=False)
    traveller.start()
    involvement_repair()
    return Household.objects.get(name=name), expected, traveller
