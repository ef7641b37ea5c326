"""Step 2 of 3: the link from a co-decision to the action it starts or the measure it renews
moves into the actions app (CoDecisionLink), filled from the co-decisions' own columns."""

import django.db.models.deletion
from django.db import migrations, models


def link_codecisions(apps, schema_editor):
    CoDecision = apps.get_model("codecision", "CoDecision")
    CoDecisionLink = apps.get_model("actions", "CoDecisionLink")
    CoDecisionLink.objects.bulk_create(
        CoDecisionLink(codecision_id=pk, action_id=action_id, measure_id=measure_id)
        for pk, action_id, measure_id in CoDecision.objects.values_list(
            "pk", "action_id", "measure_id"
        ).iterator()
    )


def unlink_codecisions(apps, schema_editor):
    CoDecision = apps.get_model("codecision", "CoDecision")
    CoDecisionLink = apps.get_model("actions", "CoDecisionLink")
    for codecision_id, action_id, measure_id in CoDecisionLink.objects.values_list(
        "codecision_id", "action_id", "measure_id"
    ).iterator():
        CoDecision.objects.filter(pk=codecision_id).update(action_id=action_id, measure_id=measure_id)


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0004_plural_names"),
        ("codecision", "0004_codecision_own_subject"),
    ]

    operations = [
        migrations.CreateModel(
            name="CoDecisionLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="codecision_links", to="actions.action", verbose_name="action")),
                ("codecision", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="action_link", to="codecision.codecision", verbose_name="co-décision")),
                ("measure", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="renewal_links", to="actions.supportmeasure", verbose_name="mesure renouvelée")),
            ],
            options={
                "verbose_name": "objet d'une co-décision",
                "verbose_name_plural": "objets des co-décisions",
            },
        ),
        migrations.AddField(
            model_name="action",
            name="codecisions",
            field=models.ManyToManyField(related_name="+", through="actions.CoDecisionLink", through_fields=("action", "codecision"), to="codecision.codecision", verbose_name="co-décisions"),
        ),
        migrations.AddField(
            model_name="supportmeasure",
            name="renewal_codecisions",
            field=models.ManyToManyField(related_name="+", through="actions.CoDecisionLink", through_fields=("measure", "codecision"), to="codecision.codecision", verbose_name="co-décisions de renouvellement"),
        ),
        migrations.RunPython(link_codecisions, unlink_codecisions),
    ]
