"""The households app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0018_diagnostic_version (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».

Kept by hand (the models do not declare them), on PostgreSQL only: the `unaccent` and
`pg_trgm` extensions, the immutable `lt_unaccent(text)` function on top of `unaccent`
(PostgreSQL indexes only immutable functions) and the trigram indexes on
UPPER(lt_unaccent(column)) that « Mes ménages » and the duplicate check search through
(formerly 0003_search_trigram_indexes, then 0009_search_without_accents, which replaced the
indexes of 0003). SQLite gets `lt_unaccent` from core.search when it connects.

Dropped: the data migration of 0008_access_log_partner_and_count, which filled the partner of
access-log entries written before it was recorded (a new database has no such entry).
"""

import core.dates
import core.text
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


# Search without accents (« Ines » finds « Inès »), PostgreSQL only.
LT_UNACCENT = """
CREATE OR REPLACE FUNCTION lt_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
"""

SEARCH_INDEXES = [
    ("households_household", "reference", "household_reference_unaccent_trgm"),
    ("households_household", "name", "household_name_unaccent_trgm"),
    ("households_household", "tenant_number", "household_tenant_number_unaccent_trgm"),
    ("households_household", "city", "household_city_unaccent_trgm"),
    ("households_householdmember", "last_name", "member_last_name_unaccent_trgm"),
    ("households_householdmember", "first_name", "member_first_name_unaccent_trgm"),
]


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(LT_UNACCENT)
    for table, column, name in SEARCH_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f'USING gin (UPPER(lt_unaccent("{column}"::text)) gin_trgm_ops)'
        )


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, _, name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS lt_unaccent(text)")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('households', '0002_initial'),
        ('households', '0003_search_trigram_indexes'),
        ('households', '0004_household_contact_name'),
        ('households', '0005_french_field_names'),
        ('households', '0006_household_anonymised_on'),
        ('households', '0007_plural_names'),
        ('households', '0008_access_log_partner_and_count'),
        ('households', '0009_search_without_accents'),
        ('households', '0010_access_log_export_versions'),
        ('households', '0011_landlord_change'),
        ('households', '0012_diagnostic_figures_fit'),
        ('households', '0013_text_bounds_and_dates'),
        ('households', '0014_text_bounds_on_new_texts'),
        ('households', '0015_access_log_calendar_feed'),
        ('households', '0016_household_merge'),
        ('households', '0017_consent_and_birth_dates_bounded'),
        ('households', '0018_diagnostic_version'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='année')),
                ('last_number', models.PositiveIntegerField(default=0, verbose_name='dernier numéro')),
            ],
        ),
        migrations.CreateModel(
            name='Household',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(editable=False, max_length=20, unique=True, verbose_name='référence')),
                ('name', models.CharField(help_text='Le nom de famille du ou de la titulaire.', max_length=120, verbose_name='nom du ménage')),
                ('housing_status', models.CharField(choices=[('tenant', 'Locataire'), ('applicant', 'Demandeur')], default='tenant', max_length=20, verbose_name='situation')),
                ('tenant_number', models.CharField(blank=True, max_length=40, verbose_name='numéro de locataire')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='adresse')),
                ('postcode', models.CharField(blank=True, max_length=5, validators=[django.core.validators.RegexValidator('^\\d{5}$', 'Le code postal compte 5 chiffres.')], verbose_name='code postal')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='commune')),
                ('contact_name', models.CharField(blank=True, help_text='La personne à joindre : un membre du ménage ou un proche.', max_length=120, verbose_name='contact principal')),
                ('contact_phone', models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^\\+?[0-9 .]{10,17}$', 'Saisissez un numéro de téléphone, par ex. 06 12 34 56 78.')], verbose_name='téléphone du contact principal')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='courriel du contact principal')),
                ('consent_given_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=30)], verbose_name='consentement au traitement des données recueilli le')),
                ('anonymised_on', models.DateField(blank=True, editable=False, help_text='Noms, coordonnées et textes libres effacés ; les chiffres restent.', null=True, verbose_name='anonymisé le')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='ouvert le')),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='modifié le')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('merged_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='fusionné le')),
                ('created_by_partner', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='created_households', to='partners.partner', verbose_name='ouvert par')),
                ('landlord', models.ForeignKey(blank=True, limit_choices_to={'kind': 'landlord'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tenant_households', to='partners.partner', verbose_name='bailleur du logement')),
                ('merged_into', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_from', to='households.household', verbose_name='fusionné dans')),
            ],
            options={
                'verbose_name': 'ménage',
                'ordering': ['-updated_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalLandlordChange',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('transfer', 'Mutation ou relogement chez un autre bailleur'), ('glide', 'Glissement du bail'), ('correction', 'Correction par la coordination')], max_length=20, verbose_name='nature')),
                ('reason', core.text.BoundedTextField(help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='motif')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('changed_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('landlord', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='nouveau bailleur')),
                ('previous_landlord', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='bailleur précédent')),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'historical changement de bailleur',
                'verbose_name_plural': 'historical changements de bailleur',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHouseholdMember',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('first_name', models.CharField(max_length=80, verbose_name='prénom')),
                ('last_name', models.CharField(max_length=80, verbose_name='nom')),
                ('birth_date', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=120)], verbose_name='date de naissance')),
                ('relationship', models.CharField(choices=[('head', 'Titulaire'), ('spouse', 'Conjoint·e'), ('child', 'Enfant'), ('other', 'Autre')], max_length=20, verbose_name='lien')),
                ('occupation', models.CharField(blank=True, max_length=120, verbose_name='activité')),
                ('left_on', models.DateField(blank=True, help_text="Un membre qui part n'est pas effacé : indiquez la date de son départ.", null=True, validators=[core.dates.PlausibleDate(past_years=120)], verbose_name='a quitté le foyer le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'historical membre du ménage',
                'verbose_name_plural': 'historical membres du ménage',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHousehold',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reference', models.CharField(db_index=True, editable=False, max_length=20, verbose_name='référence')),
                ('name', models.CharField(help_text='Le nom de famille du ou de la titulaire.', max_length=120, verbose_name='nom du ménage')),
                ('housing_status', models.CharField(choices=[('tenant', 'Locataire'), ('applicant', 'Demandeur')], default='tenant', max_length=20, verbose_name='situation')),
                ('tenant_number', models.CharField(blank=True, max_length=40, verbose_name='numéro de locataire')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='adresse')),
                ('postcode', models.CharField(blank=True, max_length=5, validators=[django.core.validators.RegexValidator('^\\d{5}$', 'Le code postal compte 5 chiffres.')], verbose_name='code postal')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='commune')),
                ('contact_name', models.CharField(blank=True, help_text='La personne à joindre : un membre du ménage ou un proche.', max_length=120, verbose_name='contact principal')),
                ('contact_phone', models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^\\+?[0-9 .]{10,17}$', 'Saisissez un numéro de téléphone, par ex. 06 12 34 56 78.')], verbose_name='téléphone du contact principal')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='courriel du contact principal')),
                ('consent_given_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=30)], verbose_name='consentement au traitement des données recueilli le')),
                ('anonymised_on', models.DateField(blank=True, editable=False, help_text='Noms, coordonnées et textes libres effacés ; les chiffres restent.', null=True, verbose_name='anonymisé le')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='ouvert le')),
                ('merged_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='fusionné le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by_partner', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='ouvert par')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('landlord', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'kind': 'landlord'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='bailleur du logement')),
                ('merged_into', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='fusionné dans')),
            ],
            options={
                'verbose_name': 'historical ménage',
                'verbose_name_plural': 'historical ménages',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDiagnostic',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('made_on', models.DateField(validators=[core.dates.PlausibleDate()], verbose_name='date du diagnostic')),
                ('household_met', models.BooleanField(default=True, verbose_name='ménage rencontré')),
                ('persons', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='nombre de personnes au foyer')),
                ('composition', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='composition du ménage')),
                ('income_work', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name="salaires et revenus d'activité")),
                ('income_unemployment', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='allocations chômage')),
                ('income_minimum', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='RSA / minima sociaux')),
                ('income_family', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='prestations familiales')),
                ('income_pension', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='pensions et retraites')),
                ('income_other', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres ressources')),
                ('rent', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='loyer')),
                ('recoverable_charges', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='charges locatives')),
                ('other_housing_costs', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres frais de logement')),
                ('housing_aid', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='aide au logement (APL/AL)')),
                ('energy_costs', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name="dépenses d'énergie")),
                ('other_fixed_charges', models.DecimalField(decimal_places=2, default=0, help_text='Assurances, transport, mutuelle, pensions versées…', max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres charges fixes')),
                ('debt_repayments', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='remboursements de dettes')),
                ('rent_arrears', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='impayés de loyer')),
                ('rent_arrears_since', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=30)], verbose_name='impayés depuis le')),
                ('other_debts', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres dettes')),
                ('other_debts_detail', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='nature des autres dettes')),
                ('rent_payment_resumed', models.BooleanField(null=True, verbose_name='reprise du paiement du loyer courant')),
                ('repayment_capacity', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='capacité de remboursement mensuelle')),
                ('fsl_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name='FSL')),
                ('overindebtedness_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name='dossier de surendettement')),
                ('repayment_plan_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name="plan d'apurement")),
                ('energy_label', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D'), ('E', 'E'), ('F', 'F'), ('G', 'G')], max_length=1, verbose_name='étiquette énergie du logement')),
                ('procedure_stage', models.CharField(choices=[('none', 'Aucune procédure'), ('unpaid_rent', 'Impayés (avant commandement)'), ('ccapex', 'Saisine de la CCAPEX'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('hearing', 'Audience fixée'), ('judgement', "Jugement d'expulsion"), ('order_to_leave', 'Commandement de quitter les lieux'), ('police_assistance', 'Concours de la force publique demandé')], default='none', max_length=30, verbose_name='stade de la procédure')),
                ('procedure_stage_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate()], verbose_name='date du stade')),
                ('hearing_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate()], verbose_name="date d'audience")),
                ('health_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='santé')),
                ('employment_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='emploi, formation')),
                ('other_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='autres besoins')),
                ('conclusion', core.text.BoundedTextField(help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=50000, verbose_name='conclusion et préconisation')),
                ('proposed_action', models.CharField(blank=True, choices=[('energy', 'Action 1 — mutation « énergie »'), ('solvency', 'Action 2 — mutation « solvabilisation »'), ('sliding_lease_eviction', "Action 3 — bail glissant à l'assignation"), ('scattered_housing', 'Action 4 — hébergement / bail glissant en diffus')], max_length=30, verbose_name='action proposée')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='saisi le')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('author', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('author_partner', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name="structure de l'auteur")),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('household', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'historical diagnostic',
                'verbose_name_plural': 'historical diagnostics',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Diagnostic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('made_on', models.DateField(validators=[core.dates.PlausibleDate()], verbose_name='date du diagnostic')),
                ('household_met', models.BooleanField(default=True, verbose_name='ménage rencontré')),
                ('persons', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='nombre de personnes au foyer')),
                ('composition', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='composition du ménage')),
                ('income_work', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name="salaires et revenus d'activité")),
                ('income_unemployment', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='allocations chômage')),
                ('income_minimum', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='RSA / minima sociaux')),
                ('income_family', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='prestations familiales')),
                ('income_pension', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='pensions et retraites')),
                ('income_other', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres ressources')),
                ('rent', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='loyer')),
                ('recoverable_charges', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='charges locatives')),
                ('other_housing_costs', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres frais de logement')),
                ('housing_aid', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='aide au logement (APL/AL)')),
                ('energy_costs', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name="dépenses d'énergie")),
                ('other_fixed_charges', models.DecimalField(decimal_places=2, default=0, help_text='Assurances, transport, mutuelle, pensions versées…', max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres charges fixes')),
                ('debt_repayments', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='remboursements de dettes')),
                ('rent_arrears', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='impayés de loyer')),
                ('rent_arrears_since', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=30)], verbose_name='impayés depuis le')),
                ('other_debts', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='autres dettes')),
                ('other_debts_detail', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='nature des autres dettes')),
                ('rent_payment_resumed', models.BooleanField(null=True, verbose_name='reprise du paiement du loyer courant')),
                ('repayment_capacity', models.DecimalField(decimal_places=2, default=0, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='capacité de remboursement mensuelle')),
                ('fsl_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name='FSL')),
                ('overindebtedness_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name='dossier de surendettement')),
                ('repayment_plan_status', models.CharField(choices=[('none', 'Non demandé'), ('to_ask', 'À demander'), ('requested', 'Demandé'), ('granted', 'Accordé'), ('refused', 'Refusé')], default='none', max_length=20, verbose_name="plan d'apurement")),
                ('energy_label', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D'), ('E', 'E'), ('F', 'F'), ('G', 'G')], max_length=1, verbose_name='étiquette énergie du logement')),
                ('procedure_stage', models.CharField(choices=[('none', 'Aucune procédure'), ('unpaid_rent', 'Impayés (avant commandement)'), ('ccapex', 'Saisine de la CCAPEX'), ('payment_order', 'Commandement de payer'), ('summons', 'Assignation'), ('hearing', 'Audience fixée'), ('judgement', "Jugement d'expulsion"), ('order_to_leave', 'Commandement de quitter les lieux'), ('police_assistance', 'Concours de la force publique demandé')], default='none', max_length=30, verbose_name='stade de la procédure')),
                ('procedure_stage_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate()], verbose_name='date du stade')),
                ('hearing_on', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate()], verbose_name="date d'audience")),
                ('health_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='santé')),
                ('employment_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='emploi, formation')),
                ('other_needs', core.text.BoundedTextField(blank=True, help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='autres besoins')),
                ('conclusion', core.text.BoundedTextField(help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=50000, verbose_name='conclusion et préconisation')),
                ('proposed_action', models.CharField(blank=True, choices=[('energy', 'Action 1 — mutation « énergie »'), ('solvency', 'Action 2 — mutation « solvabilisation »'), ('sliding_lease_eviction', "Action 3 — bail glissant à l'assignation"), ('scattered_housing', 'Action 4 — hébergement / bail glissant en diffus')], max_length=30, verbose_name='action proposée')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='saisi le')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('author', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('author_partner', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name="structure de l'auteur")),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='diagnostics', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'diagnostic',
                'ordering': ['-made_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AccessLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='le')),
                ('household_pk', models.BigIntegerField(verbose_name='identifiant demandé')),
                ('action', models.CharField(choices=[('view', 'Consultation'), ('list', 'Liste'), ('export', 'Export'), ('export_internal', 'Export (version interne, notes confidentielles comprises)'), ('calendar', 'Flux de calendrier (agenda)'), ('denied', 'Accès refusé'), ('throttled', 'Refus au-delà de la limite')], max_length=20, verbose_name='action')),
                ('path', models.CharField(max_length=300, verbose_name='page')),
                ('count', models.PositiveIntegerField(default=1, verbose_name='tentatives')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='structure')),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
                ('household', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': "entrée du journal d'accès",
                'verbose_name_plural': "entrées du journal d'accès",
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HouseholdGroupObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_permissions', to='households.household')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='HouseholdMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_name', models.CharField(max_length=80, verbose_name='prénom')),
                ('last_name', models.CharField(max_length=80, verbose_name='nom')),
                ('birth_date', models.DateField(blank=True, null=True, validators=[core.dates.PlausibleDate(future_years=0, past_years=120)], verbose_name='date de naissance')),
                ('relationship', models.CharField(choices=[('head', 'Titulaire'), ('spouse', 'Conjoint·e'), ('child', 'Enfant'), ('other', 'Autre')], max_length=20, verbose_name='lien')),
                ('occupation', models.CharField(blank=True, max_length=120, verbose_name='activité')),
                ('left_on', models.DateField(blank=True, help_text="Un membre qui part n'est pas effacé : indiquez la date de son départ.", null=True, validators=[core.dates.PlausibleDate(past_years=120)], verbose_name='a quitté le foyer le')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'membre du ménage',
                'verbose_name_plural': 'membres du ménage',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='HouseholdMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kept_reference', models.CharField(editable=False, max_length=20, verbose_name='référence conservée')),
                ('merged_reference', models.CharField(editable=False, max_length=20, verbose_name='référence fusionnée')),
                ('reason', core.text.BoundedTextField(max_length=10000, verbose_name='motif')),
                ('moved', models.JSONField(default=dict, editable=False, verbose_name='enregistrements déplacés')),
                ('merged_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='le')),
                ('kept', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.household', verbose_name='dossier conservé')),
                ('merged', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.household', verbose_name='dossier fusionné')),
                ('merged_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': 'fusion de dossiers',
                'verbose_name_plural': 'fusions de dossiers',
                'ordering': ['-merged_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HouseholdUserObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='households.household')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='LandlordChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('transfer', 'Mutation ou relogement chez un autre bailleur'), ('glide', 'Glissement du bail'), ('correction', 'Correction par la coordination')], max_length=20, verbose_name='nature')),
                ('reason', core.text.BoundedTextField(help_text="Données sensibles : n'écrivez que ce qui est nécessaire à l'accompagnement, sans jugement ni détail médical inutile.", max_length=10000, verbose_name='motif')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='le')),
                ('changed_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='landlord_changes', to='households.household', verbose_name='ménage')),
                ('landlord', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='nouveau bailleur')),
                ('previous_landlord', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='bailleur précédent')),
            ],
            options={
                'verbose_name': 'changement de bailleur',
                'verbose_name_plural': 'changements de bailleur',
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('housing_status', 'tenant'), _negated=True), ('landlord__isnull', False), _connector='OR'), name='tenant_household_has_landlord', violation_error_message='Un ménage locataire a un bailleur.'),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(('consent_given_on__isnull', True), ('consent_given_on__range', (datetime.date(1990, 1, 1), datetime.date(2099, 12, 31))), _connector='OR'), name='household_consent_date_plausible'),
        ),
        migrations.AddIndex(
            model_name='diagnostic',
            index=models.Index(fields=['household', '-made_on', '-id'], name='households__househo_cfcf37_idx'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=models.Q(django.db.models.lookups.Exact(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('income_work'), '+', models.F('income_unemployment')), '+', models.F('income_minimum')), '+', models.F('income_family')), '+', models.F('income_pension')), '+', models.F('income_other')), 0), django.db.models.lookups.LessThanOrEqual(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('rent'), '+', models.F('recoverable_charges')), '+', models.F('other_housing_costs')), '-', models.F('housing_aid')), '*', models.Value(100)), django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('income_work'), '+', models.F('income_unemployment')), '+', models.F('income_minimum')), '+', models.F('income_family')), '+', models.F('income_pension')), '+', models.F('income_other')), '*', models.Value(Decimal('999999.9')))), _connector='OR'), name='diagnostic_effort_rate_fits', violation_error_message="Ces montants donnent un taux d'effort de plus de 999\u202f999,9 %% : vérifiez les ressources (mensuelles) et les charges."),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=models.Q(django.db.models.lookups.Exact(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('income_work'), '+', models.F('income_unemployment')), '+', models.F('income_minimum')), '+', models.F('income_family')), '+', models.F('income_pension')), '+', models.F('income_other')), 0), django.db.models.lookups.LessThanOrEqual(django.db.models.expressions.CombinedExpression(models.F('energy_costs'), '*', models.Value(100)), django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('income_work'), '+', models.F('income_unemployment')), '+', models.F('income_minimum')), '+', models.F('income_family')), '+', models.F('income_pension')), '+', models.F('income_other')), '*', models.Value(Decimal('999999.9')))), _connector='OR'), name='diagnostic_energy_effort_rate_fits', violation_error_message="Ces montants donnent un taux d'effort énergétique de plus de 999\u202f999,9 %% : vérifiez les ressources (mensuelles) et les dépenses d'énergie."),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=models.Q(django.db.models.lookups.Exact(django.db.models.expressions.CombinedExpression(models.F('rent'), '+', models.F('recoverable_charges')), 0), django.db.models.lookups.LessThanOrEqual(models.F('rent_arrears'), django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('rent'), '+', models.F('recoverable_charges')), '*', models.Value(Decimal('9999.9')))), _connector='OR'), name='diagnostic_arrears_months_fit', violation_error_message="Ces montants donnent plus de 9\u202f999,9 mois d'impayés : vérifiez le loyer mensuel et le montant des impayés."),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('composition'), 10000), name='households_diagnostic_composition_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('other_debts_detail'), 10000), name='households_diagnostic_other_debts_detail_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('health_needs'), 10000), name='households_diagnostic_health_needs_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('employment_needs'), 10000), name='households_diagnostic_employment_needs_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('other_needs'), 10000), name='households_diagnostic_other_needs_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='diagnostic',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('conclusion'), 50000), name='households_diagnostic_conclusion_length', violation_error_message='Ce texte compte 50\u202f001 caractères ; la limite est de 50\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['user', 'action', 'at'], name='access_log_user_action_at'),
        ),
        migrations.AddIndex(
            model_name='accesslogentry',
            index=models.Index(fields=['household_pk', 'at'], name='access_log_household_pk_at'),
        ),
        migrations.AlterUniqueTogether(
            name='householdgroupobjectpermission',
            unique_together={('group', 'permission', 'content_object')},
        ),
        migrations.AddConstraint(
            model_name='householdmember',
            constraint=models.CheckConstraint(condition=models.Q(('birth_date__isnull', True), ('birth_date__range', (datetime.date(1900, 1, 1), datetime.date(2099, 12, 31))), _connector='OR'), name='member_birth_date_plausible'),
        ),
        migrations.AddConstraint(
            model_name='householdmerge',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 10000), name='households_householdmerge_reason_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AlterUniqueTogether(
            name='householduserobjectpermission',
            unique_together={('user', 'permission', 'content_object')},
        ),
        migrations.AddConstraint(
            model_name='landlordchange',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 10000), name='households_landlordchange_reason_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
