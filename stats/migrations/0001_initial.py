"""The stats app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0002_text_bounds_and_dates (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('stats', '0002_text_bounds_and_dates'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnnualReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='année')),
                ('status', models.CharField(choices=[('queued', 'En attente'), ('running', 'En cours'), ('done', 'Prêt'), ('failed', 'Échec')], default='queued', max_length=10, verbose_name='état')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='avancement (%)')),
                ('pdf', models.BinaryField(null=True, verbose_name='PDF')),
                ('xlsx', models.BinaryField(null=True, verbose_name='tableur')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='demandé le')),
                ('finished_at', models.DateTimeField(editable=False, null=True, verbose_name='terminé le')),
                ('seconds', models.DecimalField(decimal_places=2, editable=False, max_digits=7, null=True, verbose_name='durée (s)')),
                ('requested_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='demandé par')),
            ],
            options={
                'verbose_name': 'bilan annuel',
                'verbose_name_plural': 'bilans annuels',
                'ordering': ['-requested_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalReportText',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='année')),
                ('text', models.TextField(blank=True, help_text="Le bilan de l'année vu par la coordination. Aucun nom de ménage.", verbose_name='texte de la coordination')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modifié par')),
            ],
            options={
                'verbose_name': 'historical texte du bilan annuel',
                'verbose_name_plural': 'historical textes des bilans annuels',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ReportText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='année')),
                ('text', models.TextField(blank=True, help_text="Le bilan de l'année vu par la coordination. Aucun nom de ménage.", verbose_name='texte de la coordination')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('updated_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modifié par')),
            ],
            options={
                'verbose_name': 'texte du bilan annuel',
                'verbose_name_plural': 'textes des bilans annuels',
                'ordering': ['-year'],
            },
        ),
    ]
