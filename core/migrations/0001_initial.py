"""The core app's whole schema in one migration, made from its models.

It is the app's former 0001_initial, its only migration until then.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='DailyRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('job', models.CharField(max_length=200, verbose_name='tâche')),
                ('day', models.DateField(verbose_name='jour')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='commencée le')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminée le')),
                ('attempts', models.PositiveIntegerField(default=1, verbose_name='essais')),
            ],
            options={
                'verbose_name': 'tâche quotidienne',
                'verbose_name_plural': 'tâches quotidiennes',
                'constraints': [models.UniqueConstraint(fields=('job', 'day'), name='daily_run_once')],
            },
        ),
        migrations.CreateModel(
            name='IdempotentRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('owner', models.CharField(max_length=80, verbose_name='auteur')),
                ('key', models.CharField(max_length=100, verbose_name='clé')),
                ('path', models.CharField(max_length=500, verbose_name='adresse')),
                ('status', models.PositiveSmallIntegerField(default=0, verbose_name='code de réponse')),
                ('location', models.CharField(blank=True, max_length=500, verbose_name='redirection')),
                ('body', models.BinaryField(blank=True, default=b'', verbose_name='réponse')),
                ('content_type', models.CharField(blank=True, max_length=100, verbose_name='type de contenu')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='reçue le')),
            ],
            options={
                'verbose_name': 'création déjà traitée',
                'verbose_name_plural': 'créations déjà traitées',
                'constraints': [models.UniqueConstraint(fields=('owner', 'key'), name='idempotent_request_once')],
            },
        ),
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.CharField(max_length=200, verbose_name='tâche')),
                ('args', models.JSONField(default=list, verbose_name='arguments')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='créé le')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='essais')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='envoyé le')),
            ],
            options={
                'verbose_name': 'tâche à envoyer',
                'verbose_name_plural': 'tâches à envoyer',
                'indexes': [models.Index(condition=models.Q(('published_at', None)), fields=['created_at'], name='outbox_pending')],
            },
        ),
    ]
