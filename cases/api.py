"""The case summary PDF through the API, at /api/households/{id}/resume-pdf/."""

from django.core.exceptions import SuspiciousOperation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from cases.summary import SummaryVersion
from cases.views import SUMMARY_LOG_ACTION, summary_pdf_response, summary_version
from core.api import ROW_ID, PDFRenderer, object_pk
from households.models import Household
from households.permissions import HouseholdAction, get_household_or_404


class CaseSummaryViewSet(viewsets.GenericViewSet):
    """Le résumé du dossier d'un ménage."""

    queryset = Household.objects.none()  # for the schema; the access layer fetches
    lookup_value_regex = ROW_ID

    @extend_schema(
        summary="Résumé du dossier en PDF",
        parameters=[
            OpenApiParameter(
                "version",
                str,
                enum=SummaryVersion.values,
                description="« partenaires » (par défaut : sans notes confidentielles) ou "
                "« interne » (avec les notes confidentielles de votre structure).",
            )
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="resume-pdf",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def summary_pdf(self, request, pk=None):
        try:
            version = summary_version(request)
        except SuspiciousOperation as unknown:  # a 400 on its parameter, in JSON
            raise exceptions.ValidationError({"version": [str(unknown)]}) from unknown
        household = get_household_or_404(
            request, object_pk(pk), HouseholdAction.EXPORT, export_as=SUMMARY_LOG_ACTION[version]
        )
        return summary_pdf_response(household, request.user, version=version)
