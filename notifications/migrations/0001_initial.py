"""The notifications app's whole schema in one migration, made from its models.

It replaces every former migration of the app, from
0001_initial to 0006_event_notices_and_tasks (`replaces` below): a database
that applied them all records this one as applied, and `migrate` does nothing there.
The former 0001_initial bears the same name, and so is not listed.
A database must be on the last release before this squash (every former migration
applied) before it upgrades: docs/architecture.md, « Migrations ».
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('notifications', '0002_french_field_names'),
        ('notifications', '0003_plural_names'),
        ('notifications', '0004_notification_email_claimed_at'),
        ('notifications', '0005_coordination_digest_and_centre_indexes'),
        ('notifications', '0006_event_notices_and_tasks'),
    ]

    dependencies = [
        ('households', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email_mode', models.CharField(choices=[('immediate', 'Un courriel par notification'), ('digest', 'Un récapitulatif quotidien'), ('none', "Pas de courriel (seulement dans l'application)")], default='immediate', max_length=10, verbose_name='courriels')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
            ],
            options={
                'verbose_name': 'préférence de notification',
                'verbose_name_plural': 'préférences de notification',
            },
        ),
        migrations.CreateModel(
            name='PendingNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='type')),
                ('object_type', models.CharField(blank=True, max_length=40, verbose_name="type d'objet")),
                ('object_id', models.BigIntegerField(blank=True, null=True, verbose_name='objet')),
                ('text', models.TextField(verbose_name='message')),
                ('recipients', models.JSONField(default=list, verbose_name='destinataires')),
                ('link', models.CharField(blank=True, max_length=200, verbose_name='lien')),
                ('task', models.BooleanField(default=False, verbose_name='demande une action')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créée le')),
                ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='households.household', verbose_name='ménage')),
            ],
            options={
                'verbose_name': 'notification à envoyer',
                'verbose_name_plural': 'notifications à envoyer',
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='type')),
                ('object_type', models.CharField(max_length=40, verbose_name="type d'objet")),
                ('object_id', models.BigIntegerField(verbose_name='objet')),
                ('due_on', models.DateField(verbose_name='échéance')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
            ],
            options={
                'verbose_name': 'rappel envoyé',
                'verbose_name_plural': 'rappels envoyés',
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_type', 'object_id', 'due_on'), name='reminder_once')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='type')),
                ('text', models.TextField(verbose_name='message')),
                ('link', models.CharField(blank=True, max_length=200, verbose_name='lien')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='créée le')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='lue le')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='envoyée par courriel le')),
                ('email_claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='courriel pris en charge le')),
                ('digest_on', models.DateField(blank=True, null=True, verbose_name='récapitulatif du')),
                ('digest_counts', models.JSONField(blank=True, default=dict, verbose_name='rappels du récapitulatif')),
                ('object_type', models.CharField(blank=True, max_length=40, verbose_name="type d'objet")),
                ('object_id', models.BigIntegerField(blank=True, null=True, verbose_name='objet')),
                ('task', models.BooleanField(default=False, verbose_name='demande une action')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='faite le')),
                ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='households.household', verbose_name='ménage')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='destinataire')),
            ],
            options={
                'verbose_name': 'notification',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(models.F('recipient'), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('read_at', None)), name='notification_unread_newest'), models.Index(models.F('recipient'), models.OrderBy(models.F('created_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('read_at__isnull', False)), name='notification_read_newest'), models.Index(fields=['recipient', '-created_at'], name='notification_by_recipient'), models.Index(condition=models.Q(('done_at', None), ('task', True)), fields=['recipient'], name='notification_task_to_do'), models.Index(condition=models.Q(('done_at', None), ('task', True)), fields=['object_type', 'object_id'], name='notification_task_object')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('digest_on__isnull', False)), fields=('recipient', 'kind', 'digest_on'), name='notification_one_digest_a_day')],
            },
        ),
    ]
