"""The cases app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_subject_access_request to 0002_text_bounds_and_dates (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».
"""

import core.text
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('cases', '0001_subject_access_request'),
        ('cases', '0002_text_bounds_and_dates'),
    ]

    dependencies = [
        ('households', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSubjectAccessRequest',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('requester', models.CharField(help_text='La personne qui demande : un membre du ménage, son représentant…', max_length=120, verbose_name='demandeur')),
                ('basis', models.CharField(choices=[('household', 'Le ménage lui-même (identité vérifiée)'), ('representative', 'Son représentant légal ou un mandataire (justificatif)')], max_length=20, verbose_name='au titre de')),
                ('basis_detail', core.text.BoundedTextField(blank=True, help_text="La pièce vérifiée (sans recopier son numéro), le mandat… Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='justificatif et précisions')),
                ('received_on', models.DateField(verbose_name='demande reçue le')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='enregistrée le')),
                ('exported_at', models.DateTimeField(blank=True, null=True, verbose_name='données remises le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('exported_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='données remises par')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrée par')),
            ],
            options={
                'verbose_name': "historical demande d'accès du ménage",
                'verbose_name_plural': "historical demandes d'accès du ménage",
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SubjectAccessRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requester', models.CharField(help_text='La personne qui demande : un membre du ménage, son représentant…', max_length=120, verbose_name='demandeur')),
                ('basis', models.CharField(choices=[('household', 'Le ménage lui-même (identité vérifiée)'), ('representative', 'Son représentant légal ou un mandataire (justificatif)')], max_length=20, verbose_name='au titre de')),
                ('basis_detail', core.text.BoundedTextField(blank=True, help_text="La pièce vérifiée (sans recopier son numéro), le mandat… Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='justificatif et précisions')),
                ('received_on', models.DateField(verbose_name='demande reçue le')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='enregistrée le')),
                ('exported_at', models.DateTimeField(blank=True, null=True, verbose_name='données remises le')),
                ('exported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='données remises par')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_requests', to='households.household', verbose_name='ménage')),
                ('recorded_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrée par')),
            ],
            options={
                'verbose_name': "demande d'accès du ménage",
                'verbose_name_plural': "demandes d'accès du ménage",
                'ordering': ['-received_on', '-pk'],
                'constraints': [models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('basis_detail'), 10000), name='cases_subjectaccessrequest_basis_detail_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.')],
            },
        ),
    ]
