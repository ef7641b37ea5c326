"""The partners app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0008_calendar_feed (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».
"""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('partners', '0002_api_tokens'),
        ('partners', '0003_french_field_names'),
        ('partners', '0004_plural_names'),
        ('partners', '0005_accounts_history_security'),
        ('partners', '0006_security_event_unlocked'),
        ('partners', '0007_text_bounds_and_dates'),
        ('partners', '0008_calendar_feed'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': 'utilisateur',
                'ordering': ['username'],
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='nom')),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='empreinte du jeton')),
                ('prefix', models.CharField(editable=False, max_length=12, verbose_name='début du jeton')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('last_used_at', models.DateTimeField(editable=False, null=True, verbose_name='dernière utilisation')),
                ('revoked_at', models.DateTimeField(editable=False, null=True, verbose_name='révoqué le')),
                ('expires_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='expire le')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
            ],
            options={
                'verbose_name': "jeton d'API",
                'verbose_name_plural': "jetons d'API",
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalPartner',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=120, verbose_name='nom')),
                ('short_name', models.SlugField(max_length=30, verbose_name='nom court')),
                ('kind', models.CharField(choices=[('landlord', 'Bailleur social'), ('association', 'Association'), ('coordination', 'Coordination du dispositif'), ('funder', 'Financeur')], max_length=20, verbose_name='type')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('group', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='auth.group', verbose_name='groupe')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical partenaire',
                'verbose_name_plural': 'historical partenaires',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalUser',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(db_index=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical utilisateur',
                'verbose_name_plural': 'historical utilisateurs',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='nom')),
                ('short_name', models.SlugField(max_length=30, unique=True, verbose_name='nom court')),
                ('kind', models.CharField(choices=[('landlord', 'Bailleur social'), ('association', 'Association'), ('coordination', 'Coordination du dispositif'), ('funder', 'Financeur')], max_length=20, verbose_name='type')),
                ('active', models.BooleanField(default=True, verbose_name='actif')),
                ('group', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='partner', to='auth.group', verbose_name='groupe')),
            ],
            options={
                'verbose_name': 'partenaire',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('cesf', 'CESF'), ('caseworker', 'Travailleur social'), ('coordinator', 'Coordination'), ('manager', 'Responsable partenaire'), ('funder_viewer', 'Financeur (lecture)')], max_length=20, verbose_name='rôle')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='partners.partner', verbose_name='partenaire')),
            ],
            options={
                'verbose_name': 'appartenance',
            },
        ),
        migrations.CreateModel(
            name='HistoricalMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('cesf', 'CESF'), ('caseworker', 'Travailleur social'), ('coordinator', 'Coordination'), ('manager', 'Responsable partenaire'), ('funder_viewer', 'Financeur (lecture)')], max_length=20, verbose_name='rôle')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
                ('partner', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.partner', verbose_name='partenaire')),
            ],
            options={
                'verbose_name': 'historical appartenance',
                'verbose_name_plural': 'historical appartenances',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='date')),
                ('kind', models.CharField(choices=[('login', 'Connexion'), ('login_failed', 'Échec de connexion'), ('locked_out', 'Blocage après des échecs répétés'), ('unlocked', 'Blocage levé par un responsable'), ('logout', 'Déconnexion'), ('session_expired', 'Session expirée'), ('second_factor_failed', 'Code de second facteur refusé'), ('second_factor_enrolled', 'Second facteur activé'), ('recovery_code_used', 'Code de secours utilisé'), ('password_changed', 'Mot de passe changé'), ('password_reset_sent', 'Lien de réinitialisation envoyé'), ('token_created', "Jeton d'API créé"), ('token_revoked', "Jeton d'API révoqué"), ('token_refused', "Jeton d'API refusé")], max_length=30, verbose_name='événement')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='identifiant saisi')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP')),
                ('path', models.CharField(blank=True, max_length=200, verbose_name='page')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='détail')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
            ],
            options={
                'verbose_name': 'événement de sécurité',
                'verbose_name_plural': 'journal de sécurité',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_hash', models.CharField(max_length=64, unique=True, verbose_name="empreinte de l'adresse")),
                ('prefix', models.CharField(editable=False, max_length=12, verbose_name="début de l'adresse")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créée le')),
                ('last_used_at', models.DateTimeField(editable=False, null=True, verbose_name='dernière lecture')),
                ('revoked_at', models.DateTimeField(editable=False, null=True, verbose_name='révoquée le')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
            ],
            options={
                'verbose_name': 'flux de calendrier',
                'verbose_name_plural': 'flux de calendrier',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user',), name='calendar_feed_one_active_per_user')],
            },
        ),
    ]
