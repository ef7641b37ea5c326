"""The REST API under /api/: one router over each app's api.py, the schema and its docs.

Access goes through the same layer as the pages; a rule's refusal (DomainError) comes back
as 400 with the field it concerns."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, routers
from rest_framework.views import exception_handler as drf_exception_handler

from actions.api import CoDecisionViewSet, FollowUpViewSet, MeasureViewSet, OrientationViewSet
from funding.api import LedgerViewSet
from households.api import HouseholdViewSet
from notifications.api import NotificationViewSet
from partners.api import PartnerViewSet
from partners.errors import DomainError

app_name = "api"

router = routers.DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("households", HouseholdViewSet, basename="household")
router.register("orientations", OrientationViewSet, basename="orientation")
router.register("codecisions", CoDecisionViewSet, basename="codecision")
router.register("measures", MeasureViewSet, basename="measure")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("ledger", LedgerViewSet, basename="ledger-entry")


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        exc = exceptions.ValidationError({field: [exc.message]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Introuvable.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]

# The API authenticates by session or personal token itself (401 rather than a redirect
# to the login page).
for pattern in urlpatterns:
    pattern.callback.login_required = False


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
    "404": ("Erreur", "Introuvable, ou hors de votre périmètre"),
}


def document_errors(result, generator, request, public):
    """Every operation answers with the errors the exception handler gives, documented once:
    400 for a write, 401 and 403 everywhere, 404 where an id or a body names an object."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for route, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["401", "403"]
            if method in ("post", "put", "patch"):
                codes.append("400")
            if "{id}" in route or method == "post":
                codes.append("404")
            responses = operation.setdefault("responses", {})
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
