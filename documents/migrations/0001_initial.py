"""The documents app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0003_document_stage_and_confidential_fields (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».

Dropped: the data migration of 0003_document_stage_and_confidential_fields, which turned the
documents' stage « Diagnostic social et financier » into « Assignation ».
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('documents', '0002_text_bounds_and_dates'),
        ('documents', '0003_document_stage_and_confidential_fields'),
    ]

    dependencies = [
        ('actions', '0001_initial'),
        ('households', '0001_initial'),
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('confidential', models.BooleanField(default=False, help_text='Visible seulement par les personnes de votre structure.', verbose_name='confidentiel à ma structure')),
                ('procedure_step', models.CharField(blank=True, choices=[('unpaid_rent', 'Impayés (avant commandement)'), ('ccapex', 'Saisine de la CCAPEX'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('hearing', 'Audience fixée'), ('judgement', "Jugement d'expulsion"), ('order_to_leave', 'Commandement de quitter les lieux'), ('police_assistance', 'Concours de la force publique demandé')], max_length=20, verbose_name='étape de la procédure')),
                ('kind', models.CharField(choices=[('signed_diagnostic', 'Diagnostic signé par le ménage'), ('lease', 'Bail'), ('sublease', 'Sous-location'), ('tripartite_agreement', 'Convention tripartite du bail glissant'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('judgement', 'Jugement'), ('repayment_plan', "Plan d'apurement"), ('fsl_decision', 'Décision FSL'), ('income_proof', 'Justificatif de ressources'), ('other', 'Autre')], max_length=30, verbose_name='type')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('dated_on', models.DateField(verbose_name='date du document')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='déposé le')),
                ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='supprimé le')),
                ('action', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='actions.action', verbose_name='action')),
                ('author', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('author_partner', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name="structure de l'auteur")),
                ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supprimé par')),
                ('follow_up', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='actions.followup', verbose_name='suivi')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='households.household', verbose_name='ménage')),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='actions.supportmeasure', verbose_name='mesure')),
                ('procedure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='actions.evictionprocedure', verbose_name="procédure d'expulsion")),
            ],
            options={
                'verbose_name': 'document',
                'ordering': ['-dated_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='DocumentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='version')),
                ('stored_as', models.CharField(editable=False, max_length=200, verbose_name='nom dans le stockage')),
                ('file_name', models.CharField(max_length=120, verbose_name='nom du fichier')),
                ('content_type', models.CharField(max_length=100, verbose_name='type de contenu')),
                ('size', models.PositiveBigIntegerField(verbose_name='taille (octets)')),
                ('sha256', models.CharField(max_length=64, verbose_name='empreinte SHA-256')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='déposée le')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='documents.document', verbose_name='document')),
                ('uploaded_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déposée par')),
            ],
            options={
                'verbose_name': "version d'un document",
                'verbose_name_plural': 'versions des documents',
                'ordering': ['number'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDocument',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('confidential', models.BooleanField(default=False, help_text='Visible seulement par les personnes de votre structure.', verbose_name='confidentiel à ma structure')),
                ('procedure_step', models.CharField(blank=True, choices=[('unpaid_rent', 'Impayés (avant commandement)'), ('ccapex', 'Saisine de la CCAPEX'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('hearing', 'Audience fixée'), ('judgement', "Jugement d'expulsion"), ('order_to_leave', 'Commandement de quitter les lieux'), ('police_assistance', 'Concours de la force publique demandé')], max_length=20, verbose_name='étape de la procédure')),
                ('kind', models.CharField(choices=[('signed_diagnostic', 'Diagnostic signé par le ménage'), ('lease', 'Bail'), ('sublease', 'Sous-location'), ('tripartite_agreement', 'Convention tripartite du bail glissant'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('judgement', 'Jugement'), ('repayment_plan', "Plan d'apurement"), ('fsl_decision', 'Décision FSL'), ('income_proof', 'Justificatif de ressources'), ('other', 'Autre')], max_length=30, verbose_name='type')),
                ('title', models.CharField(max_length=200, verbose_name='titre')),
                ('dated_on', models.DateField(verbose_name='date du document')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='déposé le')),
                ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='supprimé le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('action', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.action', verbose_name='action')),
                ('author', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('author_partner', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name="structure de l'auteur")),
                ('deleted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='supprimé par')),
                ('follow_up', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.followup', verbose_name='suivi')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
                ('measure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.supportmeasure', verbose_name='mesure')),
                ('procedure', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.evictionprocedure', verbose_name="procédure d'expulsion")),
            ],
            options={
                'verbose_name': 'historical document',
                'verbose_name_plural': 'historical documents',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['household', '-dated_on'], name='documents_d_househo_36ba0a_idx'),
        ),
        migrations.AddConstraint(
            model_name='documentversion',
            constraint=models.UniqueConstraint(fields=('document', 'number'), name='document_version_once'),
        ),
    ]
