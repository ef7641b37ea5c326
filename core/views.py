"""The answer when something fails inside: a French page in the application's look, or JSON
for every /api/ address, whatever the exception. A database that does not answer is a 503
(« réessayez dans un instant »), anything else a 500. Neither page reads the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.template import loader

# Seconds a client is told to wait before trying again while the database is down.
RETRY_AFTER = 30

MESSAGES = {
    400: (
        "Requête refusée avant d'être lue : trop de champs, un corps trop volumineux ou une "
        "adresse de serveur inconnue. Rien n'a été enregistré."
    ),
    503: (
        "Service momentanément indisponible : la base de données ne répond pas. Rien de ce "
        "qui a été enregistré n'est perdu ; réessayez dans un instant."
    ),
    500: (
        "Erreur interne : la demande n'a pas abouti. L'équipe technique est prévenue ; "
        "réessayez, et si l'erreur revient, signalez-la à la coordination."
    ),
}


def outage(exception: BaseException | None) -> bool:
    """Whether the exception says the database is out of reach (not a bug of ours)."""
    return isinstance(exception, OperationalError | InterfaceError)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: under /api/, JSON like every other answer of the API (an address no route
    matches, an id out of range); elsewhere the French page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Introuvable."}, status=404)
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: what Django refuses before any view (too many fields, a body past
    DATA_UPLOAD_MAX_MEMORY_SIZE, a host not allowed): JSON under /api/, else the French page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGES[400]}, status=400)
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"message": MESSAGES[400]}))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the `except` of the request that failed."""
    status = 503 if outage(sys.exc_info()[1]) else 500
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGES[status]}, status=status)
    else:
        template = loader.get_template(f"{status}.html")
        response = HttpResponse(template.render({"message": MESSAGES[status]}), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER)
    return response
