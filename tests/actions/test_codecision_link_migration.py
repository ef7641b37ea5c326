"""The migrations that moved a co-decision's link to its action and measure into the actions
app, run back and forth on the demo data: every co-decision keeps its action, its measure,
its household and who proposed it for what reason."""

import pytest
from django.core.management import call_command
from django.db import connection

from actions.models import CoDecisionLink
from codecision.models import CoDecision
from logement_toujours.demo import load_all

OPENED = "Ouverture : Renouvellement de la mesure"
FIELDS = [
    "household_id",
    "kind",
    "purpose",
    "proposed_by_id",
    "proposed_by_partner_id",
    "reason",
    "diagnostic_id",
]


def snapshot() -> dict[int, tuple]:
    links = {
        link.codecision_id: (link.action_id, link.measure_id)
        for link in CoDecisionLink.objects.all()
    }
    return {
        row["pk"]: (*links[row["pk"]], *(row[field] for field in FIELDS))
        for row in CoDecision.objects.values("pk", *FIELDS)
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_codecisions_keep_their_action_measure_and_proposer_across_the_migrations():
    load_all(documents=False)
    before = snapshot()
    renewals = {pk: row for pk, row in before.items() if row[4] == "renewal"}
    assert renewals and all(row[3] is not None for row in renewals.values())
    assert any(row[7] for row in renewals.values())  # a renewal asked with a comment

    # Back to where a co-decision named its action and measure itself.
    call_command("migrate", "actions", "0004_plural_names", verbosity=0)
    call_command("migrate", "codecision", "0003_plural_names", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, action_id, measure_id FROM codecision_codecision")
        assert {pk: (action, measure) for pk, action, measure in cursor.fetchall()} == {
            pk: row[:2] for pk, row in before.items()
        }
        # As the history kept it then: a renewal's comment in the reason of its opening.
        for pk, row in renewals.items():
            cursor.execute(
                "UPDATE codecision_historicalcodecision SET history_change_reason = %s "
                "WHERE id = %s AND history_type = '+'",
                [OPENED + (f" — {row[7]}" if row[7] else ""), pk],
            )

    call_command("migrate", verbosity=0)
    assert snapshot() == before
    assert not CoDecision.history.filter(household=None).exists()
