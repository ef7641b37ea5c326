"""Step 3 of 3: the co-decision no longer names its action nor its measure (actions keeps
that link, actions 0005); its household, proposer and partner are required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("actions", "0005_codecision_link"),
        ("codecision", "0004_codecision_own_subject"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="codecision", name="action"),
        migrations.RemoveField(model_name="codecision", name="measure"),
        migrations.RemoveField(model_name="historicalcodecision", name="action"),
        migrations.RemoveField(model_name="historicalcodecision", name="measure"),
        migrations.AlterField(
            model_name="codecision",
            name="household",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="codecisions", to="households.household", verbose_name="ménage"),
        ),
        migrations.AlterField(
            model_name="codecision",
            name="proposed_by",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="proposée par"),
        ),
        migrations.AlterField(
            model_name="codecision",
            name="proposed_by_partner",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="partners.partner", verbose_name="structure qui propose"),
        ),
    ]
