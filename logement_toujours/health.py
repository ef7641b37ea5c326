"""The health check, /sante/, for the load balancer and docker-compose: 200 when the
database and the broker answer, 503 naming what is down. It is answered before any other
middleware (sessions, login) so that it says "unhealthy" rather than failing itself."""

import threading

import kombu.transport.redis  # noqa: F401  (loaded with the worker, not by its first probe)
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

from logement_toujours.celery import app

PATH = "/sante/"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return False


def broker_answers() -> bool:
    """Whether the broker answers within BROKER_TIMEOUT_SECONDS, however many round trips
    its connection takes (a frozen Redis accepts the connection, then says nothing)."""
    answer: list[bool] = []
    probe = threading.Thread(target=lambda: answer.append(_broker_probe()), daemon=True)
    probe.start()
    probe.join(timeout=settings.BROKER_TIMEOUT_SECONDS * 2)
    return answer == [True]


def _broker_probe() -> bool:
    try:
        with app.connection_for_write() as broker:
            # One try, no wait between tries: a frozen broker costs BROKER_TIMEOUT_SECONDS.
            broker.ensure_connection(max_retries=0, timeout=settings.BROKER_TIMEOUT_SECONDS)
            # The Redis transport connects (and pings) when its channel opens.
            return broker.default_channel is not None
    except Exception:  # whatever kombu raises, the broker does not answer
        return False


def health(request) -> JsonResponse:
    checks = {
        "database": "ok" if database_answers() else "indisponible",
        "broker": "ok" if broker_answers() else "indisponible",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH:
            return health(request)
        return self.get_response(request)
