"""The funding app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0007_ledger_amount_bounded (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».
"""

import core.dates
import core.text
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('funding', '0002_signed_measures_count'),
        ('funding', '0003_french_field_names'),
        ('funding', '0004_plural_names'),
        ('funding', '0005_measurefunding'),
        ('funding', '0006_text_bounds_and_dates'),
        ('funding', '0007_ledger_amount_bounded'),
    ]

    dependencies = [
        ('actions', '0001_initial'),
        ('households', '0001_initial'),
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='YearlyBudget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='année')),
                ('amount_engaged', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='budget engagé')),
                ('households_targeted', models.PositiveIntegerField(verbose_name='ménages visés')),
                ('flat_fee', models.DecimalField(decimal_places=2, default=400, max_digits=12, verbose_name='forfait bailleur par mesure')),
            ],
            options={
                'verbose_name': 'budget annuel',
                'verbose_name_plural': 'budgets annuels',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='FundingSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('rent_reduction', 'Bailleurs : minorations de loyer'), ('flat_fee', 'Bailleurs : forfait par mesure'), ('avdl', 'État : AVDL'), ('grant', 'Subvention'), ('other', 'Autre')], max_length=20, verbose_name='type')),
                ('year', models.PositiveSmallIntegerField(verbose_name='année')),
                ('funder_name', models.CharField(blank=True, help_text="Si le financeur n'est pas un partenaire : État, fondation…", max_length=120, verbose_name='financeur (organisme extérieur)')),
                ('amount_committed', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='montant engagé')),
                ('amount_received', models.DecimalField(decimal_places=2, default=0, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='montant reçu')),
                ('documents', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='références des pièces')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='saisie le')),
                ('funder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funding_sources', to='partners.partner', verbose_name='financeur (partenaire)')),
            ],
            options={
                'verbose_name': 'source de financement',
                'verbose_name_plural': 'sources de financement',
                'ordering': ['year', 'kind', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', models.DateField(validators=[core.dates.PlausibleDate(past_years=20)], verbose_name='date')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='exercice')),
                ('kind', models.CharField(choices=[('rent_reduction', 'Bailleurs : minorations de loyer'), ('flat_fee', 'Bailleurs : forfait par mesure'), ('avdl', 'État : AVDL'), ('grant', 'Subvention'), ('other', 'Autre')], max_length=20, verbose_name='type')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('-9999999.99'), "Une écriture est d'au plus 9\u202f999\u202f999,99 €, en plus ou en moins."), django.core.validators.MaxValueValidator(Decimal('9999999.99'), "Une écriture est d'au plus 9\u202f999\u202f999,99 €, en plus ou en moins.")], verbose_name='montant')),
                ('measures_count', models.IntegerField(default=0, help_text="Pour un forfait : le nombre de mesures qu'il paie (1 pour une mesure, −1 pour l'annulation d'un forfait).", verbose_name='mesures couvertes')),
                ('label', models.CharField(max_length=200, verbose_name='libellé')),
                ('reason', core.text.BoundedTextField(blank=True, max_length=10000, verbose_name='motif')),
                ('booking_key', models.CharField(blank=True, editable=False, max_length=80, verbose_name="clé d'inscription")),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='saisie le')),
                ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='funding.ledgerentry', verbose_name="corrige l'écriture")),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saisie par')),
                ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='households.household', verbose_name='ménage')),
                ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='actions.supportmeasure', verbose_name='mesure')),
                ('partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='partners.partner', verbose_name='partenaire')),
                ('rent_reduction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='actions.rentreduction', verbose_name='minoration de loyer')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='funding.fundingsource', verbose_name='source')),
            ],
            options={
                'verbose_name': 'écriture',
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='MeasureFunding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hours', models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='heures financées')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='montant financé')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='saisi le')),
                ('created_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saisi par')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='fundings', to='actions.supportmeasure', verbose_name='mesure')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measure_fundings', to='funding.fundingsource', verbose_name='source de financement')),
            ],
            options={
                'verbose_name': 'mesure financée',
                'verbose_name_plural': 'mesures financées',
                'ordering': ['source', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='fundingsource',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('documents'), 10000), name='funding_fundingsource_documents_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['year', 'kind', 'partner'], name='funding_led_year_40f094_idx'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('booking_key', ''), _negated=True), fields=('booking_key',), name='ledger_booked_once'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', Decimal('-9999999.99')), ('amount__lte', Decimal('9999999.99'))), name='ledger_amount_bounded', violation_error_message="Une écriture est d'au plus 9\u202f999\u202f999,99 €, en plus ou en moins."),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 10000), name='funding_ledgerentry_reason_length', violation_error_message='Ce texte compte 10\u202f001 caractères ; la limite est de 10\u202f000 caractères. Raccourcissez-le ou répartissez-le en plusieurs notes.'),
        ),
        migrations.AddConstraint(
            model_name='measurefunding',
            constraint=models.UniqueConstraint(fields=('source', 'measure'), name='measure_funded_once'),
        ),
        migrations.AddConstraint(
            model_name='measurefunding',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0), ('amount__gt', 0), _connector='OR'), name='measure_funding_hours_or_amount', violation_error_message='Indiquez des heures ou un montant.'),
        ),
    ]
