"""The codecision app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0009_text_bounds_and_dates (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».

Dropped: the data migrations that only converted old rows: 0004_codecision_own_subject (each
co-decision's household, proposed action, proposer and reason copied from its action) and the
numbering of the answers already given in 0006_answer_once_per_round.
"""

import core.dates
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
        ('codecision', '0002_french_field_names'),
        ('codecision', '0003_plural_names'),
        ('codecision', '0004_codecision_own_subject'),
        ('codecision', '0005_codecision_link_moved'),
        ('codecision', '0006_answer_once_per_round'),
        ('codecision', '0007_workflow_state_machines'),
        ('codecision', '0008_committee_items'),
        ('codecision', '0009_text_bounds_and_dates'),
    ]

    dependencies = [
        ('households', '0001_initial'),
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CoDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('energy', 'Action 1 — mutation « énergie »'), ('solvency', 'Action 2 — mutation « solvabilisation »'), ('sliding_lease_eviction', "Action 3 — bail glissant à l'assignation"), ('scattered_housing', 'Action 4 — hébergement / bail glissant en diffus')], max_length=30, verbose_name='action proposée')),
                ('purpose', models.CharField(choices=[('start', "Démarrage de l'action"), ('renewal', 'Renouvellement de la mesure')], max_length=10, verbose_name='objet')),
                ('reason', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='motif')),
                ('status', models.CharField(choices=[('pending', 'En attente des réponses'), ('adjourned', 'Ajournée'), ('disagreement', 'Désaccord : arbitrage de la coordination'), ('approved', 'Approuvée'), ('rejected', 'Refusée'), ('cancelled', 'Annulée')], default='pending', max_length=20, verbose_name='état')),
                ('landlord_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name='réponse du bailleur')),
                ('association_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name="réponse de l'association")),
                ('arbitration_comment', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name="motif de l'arbitrage")),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='ouverte le')),
                ('decided_at', models.DateTimeField(editable=False, null=True, verbose_name='décidée le')),
                ('arbitrated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='arbitré par')),
                ('association', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='association')),
                ('diagnostic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.diagnostic', verbose_name='diagnostic')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='codecisions', to='households.household', verbose_name='ménage')),
                ('landlord', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='bailleur')),
                ('proposed_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
                ('proposed_by_partner', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='structure qui propose')),
            ],
            options={
                'verbose_name': 'co-décision',
                'ordering': ['-opened_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CommitteeSession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(validators=[core.dates.PlausibleDate()], verbose_name='date du comité')),
                ('other_participants', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='autres participants')),
                ('notes', core.text.BoundedTextField(blank=True, max_length=50000, verbose_name='notes')),
                ('signed_off_at', models.DateTimeField(editable=False, null=True, verbose_name='validé le')),
                ('created_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par')),
                ('participants', models.ManyToManyField(blank=True, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='participants')),
                ('signed_off_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='validé par')),
            ],
            options={
                'verbose_name': 'comité',
                'ordering': ['-held_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CommitteeItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('decision', models.CharField(choices=[('pending', 'En attente des réponses'), ('adjourned', 'Ajournée'), ('disagreement', 'Désaccord : arbitrage de la coordination'), ('approved', 'Approuvée'), ('rejected', 'Refusée'), ('cancelled', 'Annulée')], max_length=20, verbose_name='état à la signature')),
                ('landlord_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name='réponse du bailleur')),
                ('association_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name="réponse de l'association")),
                ('adjourned', models.BooleanField(default=False, verbose_name='ajournée à un prochain comité')),
                ('codecision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_items', to='codecision.codecision', verbose_name='co-décision')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='codecision.committeesession', verbose_name='comité')),
            ],
            options={
                'verbose_name': 'dossier examiné en comité',
                'verbose_name_plural': 'dossiers examinés en comité',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='CoDecisionAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('side', models.CharField(choices=[('landlord', 'Bailleur'), ('association', 'Association')], max_length=20, verbose_name='partie')),
                ('answer', models.CharField(choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name='réponse')),
                ('comment', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='commentaire')),
                ('answered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='répondu le')),
                ('round', models.PositiveSmallIntegerField(default=1, verbose_name='tour')),
                ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='répondu par')),
                ('codecision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='codecision.codecision', verbose_name='co-décision')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='structure')),
                ('referent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='référent de la mesure')),
                ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='codecision.committeesession', verbose_name='comité')),
            ],
            options={
                'verbose_name': 'réponse à une co-décision',
                'verbose_name_plural': 'réponses aux co-décisions',
                'ordering': ['answered_at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='codecision',
            name='session',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='codecisions', to='codecision.committeesession', verbose_name='comité'),
        ),
        migrations.CreateModel(
            name='HistoricalCoDecision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('energy', 'Action 1 — mutation « énergie »'), ('solvency', 'Action 2 — mutation « solvabilisation »'), ('sliding_lease_eviction', "Action 3 — bail glissant à l'assignation"), ('scattered_housing', 'Action 4 — hébergement / bail glissant en diffus')], max_length=30, verbose_name='action proposée')),
                ('purpose', models.CharField(choices=[('start', "Démarrage de l'action"), ('renewal', 'Renouvellement de la mesure')], max_length=10, verbose_name='objet')),
                ('reason', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='motif')),
                ('status', models.CharField(choices=[('pending', 'En attente des réponses'), ('adjourned', 'Ajournée'), ('disagreement', 'Désaccord : arbitrage de la coordination'), ('approved', 'Approuvée'), ('rejected', 'Refusée'), ('cancelled', 'Annulée')], default='pending', max_length=20, verbose_name='état')),
                ('landlord_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name='réponse du bailleur')),
                ('association_answer', models.CharField(blank=True, choices=[('approve', 'Approuve'), ('reject', 'Refuse'), ('adjourn', "Demande l'ajournement")], max_length=10, verbose_name="réponse de l'association")),
                ('arbitration_comment', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name="motif de l'arbitrage")),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='ouverte le')),
                ('decided_at', models.DateTimeField(editable=False, null=True, verbose_name='décidée le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('arbitrated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='arbitré par')),
                ('association', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='association')),
                ('diagnostic', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.diagnostic', verbose_name='diagnostic')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
                ('landlord', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='bailleur')),
                ('proposed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposée par')),
                ('proposed_by_partner', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='structure qui propose')),
                ('session', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='codecision.committeesession', verbose_name='comité')),
            ],
            options={
                'verbose_name': 'historical co-décision',
                'verbose_name_plural': 'historical co-décisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCommitteeSession',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('held_on', models.DateField(validators=[core.dates.PlausibleDate()], verbose_name='date du comité')),
                ('other_participants', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='autres participants')),
                ('notes', core.text.BoundedTextField(blank=True, max_length=50000, verbose_name='notes')),
                ('signed_off_at', models.DateTimeField(editable=False, null=True, verbose_name='validé le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créé par')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('signed_off_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='validé par')),
            ],
            options={
                'verbose_name': 'historical comité',
                'verbose_name_plural': 'historical comités',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='committeesession',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('other_participants'), 10000), name='codecision_committeesession_other_participants_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='committeesession',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('notes'), 50000), name='codecision_committeesession_notes_length', violation_error_message='Ce texte compte 50\u202f001 caractères ; la limite est de 50\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='committeeitem',
            constraint=models.UniqueConstraint(fields=('session', 'codecision'), name='committee_item_once_per_session'),
        ),
        migrations.AddConstraint(
            model_name='codecisionanswer',
            constraint=models.UniqueConstraint(fields=('codecision', 'side', 'round'), name='codecision_answer_once_per_side_and_round', violation_error_message='Cette partie a déjà répondu à ce tour de la co-décision.'),
        ),
        migrations.AddConstraint(
            model_name='codecisionanswer',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('comment'), 10000), name='codecision_codecisionanswer_comment_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='codecision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), models.Q(('landlord_answer', 'approve'), ('association_answer', 'approve')), _connector='OR'), name='approved_codecision_has_both_approvals'),
        ),
        migrations.AddConstraint(
            model_name='codecision',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 10000), name='codecision_codecision_reason_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='codecision',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('arbitration_comment'), 10000), name='codecision_codecision_arbitration_comment_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
    ]
