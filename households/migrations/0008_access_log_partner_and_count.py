import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def partner_of_past_entries(apps, schema_editor):
    """Entries written before the partner was recorded: the user's partner today."""
    entry = apps.get_model("households", "AccessLogEntry")
    membership = apps.get_model("partners", "Membership")
    entry.objects.update(
        partner=Subquery(membership.objects.filter(user=OuterRef("user")).values("partner")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('households', '0007_plural_names'),
        ('partners', '0004_plural_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogentry',
            name='count',
            field=models.PositiveIntegerField(default=1, verbose_name='tentatives'),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='partner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='structure'),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='action',
            field=models.CharField(choices=[('view', 'Consultation'), ('list', 'Liste'), ('export', 'Export'), ('denied', 'Accès refusé'), ('throttled', 'Refus au-delà de la limite')], max_length=10, verbose_name='action'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['user', 'action', 'at'], name='access_log_user_action_at'),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='user',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['household_pk', 'at'], name='access_log_household_pk_at'),
        ),
        migrations.RunPython(partner_of_past_entries, migrations.RunPython.noop),
    ]
