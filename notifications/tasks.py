from celery import shared_task

from notifications import services


@shared_task
def send_immediate_emails(notification_ids: list[int]) -> int:
    return services.send_immediate_emails(notification_ids)


@shared_task
def send_daily_digests() -> int:
    return services.send_digests()
