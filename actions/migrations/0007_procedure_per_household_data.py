"""Step 2 of 3: each eviction procedure moves from its action to its household (one per
household), and the yes/no "eviction ordered" becomes the decision's outcome. A household
whose several actions 3 each had a procedure keeps the one of its latest action."""

from django.db import migrations


def to_household(apps, schema_editor):
    EvictionProcedure = apps.get_model("actions", "EvictionProcedure")
    seen = set()
    for procedure in EvictionProcedure.objects.select_related("action").order_by(
        "-action__created_at", "-pk"
    ):
        household_id = procedure.action.household_id
        if household_id in seen:
            procedure.delete()
            continue
        seen.add(household_id)
        procedure.household_id = household_id
        if procedure.eviction_ordered:
            procedure.judgement_outcome = "eviction"
        procedure.save(update_fields=["household", "judgement_outcome"])


def to_action(apps, schema_editor):
    """Back to one procedure per action 3: a household's procedure goes to its latest action 3,
    else its latest action; a household without any action loses it."""
    EvictionProcedure = apps.get_model("actions", "EvictionProcedure")
    Action = apps.get_model("actions", "Action")
    for procedure in EvictionProcedure.objects.all():
        actions = Action.objects.filter(household_id=procedure.household_id).order_by(
            "-created_at", "-pk"
        )
        action = (
            actions.filter(kind="sliding_lease_eviction").first() or actions.first()
        )
        if action is None:
            procedure.delete()
            continue
        procedure.action_id = action.pk
        procedure.eviction_ordered = procedure.judgement_outcome == "eviction" or None
        procedure.save(update_fields=["action", "eviction_ordered"])


class Migration(migrations.Migration):
    dependencies = [("actions", "0006_lease_modes_dwellings_procedure_fields")]

    operations = [migrations.RunPython(to_household, to_action)]
