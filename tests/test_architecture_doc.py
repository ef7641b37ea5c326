"""docs/architecture.md names each rule's one home by its French name: every dotted pointer
of that table (`app.module.function`, `app.models.Model.method`) exists, so that a newcomer
who follows one lands on the code."""

import importlib
import re
from pathlib import Path

from django.conf import settings

APPS = {
    "core",
    "partners",
    "households",
    "codecision",
    "actions",
    "documents",
    "cases",
    "notifications",
    "funding",
    "stats",
    "logement_toujours",
}


def rule_table() -> str:
    text = Path(settings.BASE_DIR, "docs", "architecture.md").read_text()
    return text.split("## Where a rule lives")[1].split("\n## ")[0]


def resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_pointer_of_the_rule_table_exists():
    pointers = {
        match.split("(")[0]
        for match in re.findall(r"`([a-z_]+\.[A-Za-z_.]+)", rule_table())
        if match.split(".")[0] in APPS
    }
    assert len(pointers) > 150
    assert sorted(p for p in pointers if not resolves(p)) == []


def test_the_rules_a_newcomer_asks_for_have_a_row():
    rows = [line.split("|")[1].lower() for line in rule_table().splitlines() if line[:2] == "| "]
    for french in (
        "renouvellement",
        "co-décision",
        "bail glissant",
        "délais légaux",
        "aller-vers",
        "échéances",
        "rendez-vous",
        "doublons",
        "fusion",
        "journal des accès",
        "droit d'accès",
        "minoration",
        "secret statistique",
    ):
        assert any(french in row for row in rows), french
