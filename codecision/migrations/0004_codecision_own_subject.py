"""A co-decision carries its own subject: household, proposed action kind, who proposed it,
why, and the diagnostic it rests on; for a renewal, the caseworker who asked and their comment
(so far the page showed the original orientation's proposer and reason).

Step 1 of 3: the new columns, filled from each co-decision's action (actions 0005 then moves
the link to the action and measure into the actions app; codecision 0005 drops the old
columns)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTION_KINDS = [
    ("energy", "Action 1 — mutation « énergie »"),
    ("solvency", "Action 2 — mutation « solvabilisation »"),
    ("sliding_lease_eviction", "Action 3 — bail glissant à l'assignation"),
    ("scattered_housing", "Action 4 — hébergement / bail glissant en diffus"),
]
PRIVACY_HELP = (
    "Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, "
    "sans jugement ni détail médical inutile."
)
RENEWAL_OPENED = "Ouverture : Renouvellement de la mesure"
NEW_FIELDS = ["household_id", "kind", "proposed_by_id", "proposed_by_partner_id", "reason", "diagnostic_id"]


def fill_subject(apps, schema_editor):
    CoDecision = apps.get_model("codecision", "CoDecision")
    HistoricalCoDecision = apps.get_model("codecision", "HistoricalCoDecision")
    Membership = apps.get_model("partners", "Membership")
    partner_of = dict(Membership.objects.values_list("user_id", "partner_id"))
    for codecision in CoDecision.objects.select_related("action__orientation").iterator():
        orientation = codecision.action.orientation
        codecision.household_id = codecision.action.household_id
        codecision.kind = codecision.action.kind
        codecision.diagnostic_id = orientation.diagnostic_id
        codecision.proposed_by_id = orientation.proposed_by_id
        codecision.proposed_by_partner_id = orientation.proposed_by_partner_id
        codecision.reason = orientation.reason
        if codecision.purpose == "renewal":
            # Asked by whoever opened it, with the comment its history kept.
            opened = (
                HistoricalCoDecision.objects.filter(id=codecision.pk, history_type="+")
                .order_by("history_date")
                .first()
            )
            codecision.reason = ""
            if opened is not None and opened.history_user_id:
                codecision.proposed_by_id = opened.history_user_id
                codecision.proposed_by_partner_id = partner_of.get(
                    opened.history_user_id, codecision.association_id
                )
                reason = opened.history_change_reason or ""
                if reason.startswith(RENEWAL_OPENED + " — "):
                    codecision.reason = reason[len(RENEWAL_OPENED + " — ") :]
        codecision.save(update_fields=[f.removesuffix("_id") for f in NEW_FIELDS])
        # Its history says the same, so that no change appears where there was none.
        HistoricalCoDecision.objects.filter(id=codecision.pk).update(
            **{field: getattr(codecision, field) for field in NEW_FIELDS}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0004_plural_names"),
        ("codecision", "0003_plural_names"),
        ("households", "0007_plural_names"),
        ("partners", "0004_plural_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="codecision",
            name="renewal_codecision_names_its_measure",
        ),
        migrations.AlterField(
            model_name="codecision",
            name="action",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="codecisions", to="actions.action", verbose_name="action"),
        ),
        migrations.AddField(
            model_name="codecision",
            name="household",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="codecisions", to="households.household", verbose_name="ménage"),
        ),
        migrations.AddField(
            model_name="codecision",
            name="kind",
            field=models.CharField(choices=ACTION_KINDS, default="", max_length=30, verbose_name="action proposée"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="codecision",
            name="proposed_by",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="proposée par"),
        ),
        migrations.AddField(
            model_name="codecision",
            name="proposed_by_partner",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="partners.partner", verbose_name="structure qui propose"),
        ),
        migrations.AddField(
            model_name="codecision",
            name="reason",
            field=models.TextField(blank=True, help_text=PRIVACY_HELP, verbose_name="motif"),
        ),
        migrations.AddField(
            model_name="codecision",
            name="diagnostic",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="households.diagnostic", verbose_name="diagnostic"),
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="household",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="households.household", verbose_name="ménage"),
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="kind",
            field=models.CharField(choices=ACTION_KINDS, default="", max_length=30, verbose_name="action proposée"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="proposed_by",
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="proposée par"),
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="proposed_by_partner",
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="partners.partner", verbose_name="structure qui propose"),
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="reason",
            field=models.TextField(blank=True, help_text=PRIVACY_HELP, verbose_name="motif"),
        ),
        migrations.AddField(
            model_name="historicalcodecision",
            name="diagnostic",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="households.diagnostic", verbose_name="diagnostic"),
        ),
        migrations.RunPython(fill_subject, migrations.RunPython.noop),
    ]
