import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logement_toujours.settings")

app = Celery("logement_toujours")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
