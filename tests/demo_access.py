"""Who sees which demo case, written out once for every access-matrix test.

The demo (logement_toujours/demo/) puts Martin with Actis only, Nguyen with Opac38 and
L'Oiseau Bleu (an energy measure in progress), and Benali with Actis and Ulisse Energie (a
co-decision waiting for Ulisse)."""

from logement_toujours.demo.partners import demo_users

USERS = [username for username, _, _ in demo_users()]
FUNDERS = {"funder.fondation", "funder.ddets"}
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

# The demo committee lists Opac38, Pluralis, Ulisse Energie and L'Oiseau Bleu as represented:
# their users read its minutes, as the coordination does.
READS_DEMO_MINUTES = {"coordinator.lt"} | {
    username
    for username in USERS
    if username.split(".")[1] in {"opac38", "pluralis", "ulisse", "oiseaubleu"}
}
