"""What every app's API shares: ids and dates read safely from URLs and query strings, the
filters every list offers, the PDF renderer, and the error answers (French, documented once).

A rule's refusal (DomainError) comes back as 400 with the field it concerns; a refused
decision (AccessRefused, PermissionDenied) as 403 with its message; a hidden object as 404;
too many refusals in a minute (TooManyAttempts) as 429 with a Retry-After header."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.pagination import BasePagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from core.converters import MAX_ID
from core.errors import DomainError, TooManyAttempts
from core.keyset import after, cursor_of, parse_cursor

ROW_ID = "[0-9]{1,18}"  # an id in a URL: longer ones are simply not found
# The dates every list filters on: ?since= and ?until=, both inclusive (filter_dates).
DATE_RANGE = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="À partir du (AAAA-MM-JJ, inclus)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Jusqu'au (AAAA-MM-JJ, inclus)"),
]


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None  # binary: « application/pdf », as the schema says, without a charset

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if not isinstance(data, bytes) else data


def query_id(value) -> int | None:
    """An id from the URL or the query string (ASCII digits, within a row id's range)."""
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def object_pk(value) -> int:
    """An id from the URL; anything else is a missing object (404)."""
    number = query_id(value)
    if number is None:
        raise Http404("Introuvable")
    return number


def id_field(**kwargs) -> serializers.IntegerField:
    """An id in a request body: out of range is a 400 on the field, never a server error."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def of_household(objects, pk: int | None, field: str):
    """An object named in a request body, looked up among the household's own (`objects`):
    any other id is unknown, whether it exists elsewhere or not (400 on `field`)."""
    if pk is None:
        return None
    found = objects.filter(pk=pk).first()
    if found is None:
        raise DomainError("Introuvable pour ce ménage.", field=field)
    return found


def read_version(data: dict, of: str, *, change: str = "une modification") -> int:
    """The version the client read, popped from a change's data (`of`: « du dossier », « de
    la procédure »…): without it, a 400 on `version`, because a change that does not say
    what it changes could overwrite a colleague's saved in the meantime."""
    version = data.pop("version", None)
    if version is None:
        raise DomainError(
            f"Indiquez la version lue {of} : {change} ne doit pas en écraser une autre.",
            field="version",
        )
    return version


def query_date(value: str | None) -> date | None:
    """A date from the query string (AAAA-MM-JJ); anything else filters nothing."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filter_dates(queryset, params, lookup: str):
    """Rows whose date `lookup` falls within ?since= and ?until= (both inclusive)."""
    since, until = query_date(params.get("since")), query_date(params.get("until"))
    if since:
        queryset = queryset.filter(**{f"{lookup}__gte": since})
    if until:
        queryset = queryset.filter(**{f"{lookup}__lte": until})
    return queryset


def filter_partner(queryset, params, *paths: str):
    """Rows where the partner of ?partner= stands at one of `paths`."""
    partner = query_id(params.get("partner"))
    if not partner:
        return queryset
    either = Q()
    for path in paths:
        either |= Q(**{path: partner})
    return queryset.filter(either)


# --- Keyset paging ---------------------------------------------------------------------------


class KeysetPagination(BasePagination):
    """A list paged by keyset (core.keyset), newest first on (`field`, id): `?apres=<cursor>`
    gives the rows after the last one shown, never an OFFSET, and no count of all the rows,
    so the hundredth page costs what the first does. The answer is
    `{"next": <address of the next page or null>, "results": [...]}`; a cursor that does
    not parse is the first page."""

    field = "created_at"
    page_size = 50
    cursor_query_param = "apres"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        position = parse_cursor(request.query_params.get(self.cursor_query_param, ""))
        if position is not None:
            queryset = queryset.filter(after(self.field, *position, descending=True))
        rows = list(queryset.order_by(f"-{self.field}", "-pk")[: self.page_size + 1])
        self.next_cursor = None
        if len(rows) > self.page_size:
            rows = rows[: self.page_size]
            last = rows[-1]
            self.next_cursor = cursor_of(getattr(last, self.field), last.pk)
        return rows

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "La page suivante (curseur « apres »), null à la fin.",
                    "example": "https://exemple.invalid/api/notifications/"
                    "?apres=2026-12-01T10:00:00%2B00:00.4321",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Curseur de la page suivante (lien « next » de la réponse).",
                "schema": {"type": "string"},
            }
        ]


# --- Errors --------------------------------------------------------------------------------


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        exc = exceptions.ValidationError({field: [exc.message]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Introuvable.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, TooManyAttempts):
        retry_after = exc.retry_after
        exc = exceptions.Throttled(detail=exc.message)
        exc.wait = retry_after  # the Retry-After header; the message stays as written
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if response is not None and renderer is not None and "json" not in renderer.media_type:
        # A refusal on a download (a file, a PDF) is JSON, as the schema documents it, not
        # the file's type.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


ERROR_SCHEMAS = {
    "Erreur": {
        "type": "object",
        "description": "Refus ou objet introuvable : le motif, en français.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ErreursDeSaisie": {
        "type": "object",
        "description": (
            "Saisie refusée : pour chaque champ (ou « non_field_errors »), les messages en "
            "français."
        ),
        "additionalProperties": True,
    },
}
ERROR_RESPONSES = {
    "400": ("ErreursDeSaisie", "Saisie refusée (champs et messages)"),
    "401": ("Erreur", "Authentification requise (session ou jeton)"),
    "403": ("Erreur", "Votre rôle ne permet pas cette action"),
    "404": ("Erreur", "Introuvable, hors de votre périmètre, ou page de liste inexistante"),
    "429": ("Erreur", "Trop d'accès refusés en une minute : réessayez plus tard"),
}

# An address past the HTTP server's limit (gunicorn's `limit_request_line`, 4 094
# characters; a proxy in front has one too) never reaches the application: the server
# answers itself, with its own HTML page.
URI_TOO_LONG = {
    "description": "Adresse trop longue (plus de 4 094 caractères), refusée par le serveur HTTP",
    "content": {"text/html": {"schema": {"type": "string"}}},
}

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 100},
    "description": (
        "Une clé choisie par le client (un UUID par exemple) : la même requête renvoyée avec "
        "la même clé dans les 24 heures n'est exécutée qu'une fois et reçoit la première "
        "réponse (en-tête Idempotent-Replayed: true)."
    ),
}


def document_errors(result, generator, request, public):
    """Every operation answers with the errors the exception handler gives, documented once:
    400 for a write, 401 and 403 everywhere, 404 where an id or a body names an object, and
    429 there too (a refused attempt beyond the limit of households.permissions), 414 (an
    address too long for the HTTP server) everywhere. Every POST takes an Idempotency-Key
    header (core.idempotency)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for route, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["401", "403"]
            # A write's refusal, or a query string refused (a NUL byte, a date that is not one).
            if method in ("post", "put", "patch") or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            ):
                codes.append("400")
            if "{id}" in route or method == "post":
                codes += ["404", "429"]
            elif any(p.get("name") == "page" for p in operation.get("parameters", [])):
                codes.append("404")  # a page past the last (or page=0)
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            responses = operation.setdefault("responses", {})
            responses.setdefault("414", URI_TOO_LONG)
            for code in codes:
                name, description = ERROR_RESPONSES[code]
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result
