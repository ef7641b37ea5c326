from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.queue import task
from partners.models import SecurityEvent


@task
def prune_security_log() -> int:
    """The security log keeps SECURITY_LOG_RETENTION_DAYS."""
    limit = timezone.now() - timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    deleted, _ = SecurityEvent.objects.filter(at__lt=limit).delete()
    return deleted
