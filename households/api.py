"""Households, members and diagnostics through the API: the same access layer and services
as the pages (households.permissions, households.services)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from households import services
from households.models import Diagnostic, Household, HouseholdMember, HousingStatus
from households.permissions import (
    HouseholdAction,
    can_create_household,
    can_open_caseload,
    get_household_or_404,
)
from partners.errors import DomainError
from partners.models import Partner

MAX_ID = 2**63 - 1  # the largest id a database row may have
ROW_ID = "[0-9]{1,18}"  # an id in a URL: longer ones are simply not found
# The dates every list filters on: ?since= and ?until=, both inclusive (filter_dates).
DATE_RANGE = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="À partir du (AAAA-MM-JJ, inclus)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Jusqu'au (AAAA-MM-JJ, inclus)"),
]


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Pour modifier un membre existant ; sans identifiant, un membre est ajouté.",
    )

    class Meta:
        model = HouseholdMember
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "relationship",
            "occupation",
            "left_on",
        ]


class HouseholdSerializer(serializers.ModelSerializer):
    landlord = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.landlords(),
        allow_null=True,
        required=False,
        help_text="Bailleur du logement (obligatoire pour un ménage locataire).",
    )
    members = MemberSerializer(many=True, required=False)
    version = serializers.IntegerField(
        required=False,
        help_text=(
            "Version lue, obligatoire pour modifier ; une modification sur une version "
            "dépassée est refusée."
        ),
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "reference",
            "name",
            "housing_status",
            "landlord",
            "tenant_number",
            "address",
            "postcode",
            "city",
            "contact_name",
            "contact_phone",
            "contact_email",
            "consent_given_on",
            "created_by_partner",
            "created_at",
            "updated_at",
            "version",
            "members",
        ]
        read_only_fields = ["id", "reference", "created_by_partner", "created_at", "updated_at"]


class HouseholdListSerializer(serializers.ModelSerializer):
    landlord_name = serializers.CharField(
        source="landlord.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "reference",
            "name",
            "housing_status",
            "landlord",
            "landlord_name",
            "city",
            "updated_at",
        ]


class DiagnosticSerializer(serializers.ModelSerializer):
    total_resources = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    effort_rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text="(loyer + charges + autres frais − aide au logement) ÷ ressources, en %.",
    )
    remaining_income_per_day = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        help_text="(ressources − charges fixes) ÷ personnes ÷ 30 jours.",
    )

    class Meta:
        model = Diagnostic
        exclude = ["author", "author_partner", "household"]
        read_only_fields = ["id", "created_at"]


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if not isinstance(data, bytes) else data


def _write_data(serializer, household: Household | None = None) -> tuple[dict, list]:
    """The household's fields and its members; a member sent with its id is that member of
    this household (any other id is unknown)."""
    data = dict(serializer.validated_data)
    members = [dict(member) for member in data.pop("members", [])]
    data.pop("version", None)
    for member in members:
        if "id" not in member:
            continue
        found = household.members.filter(pk=member["id"]).first() if household else None
        if found is None:
            raise DomainError("Ce membre n'appartient pas à ce ménage.", field="members")
        member["id"] = found
    return data, members


@extend_schema_view(
    list=extend_schema(
        summary="Mes ménages",
        parameters=[
            OpenApiParameter("q", str, description="Nom, prénom ou référence"),
            OpenApiParameter("housing_status", str, enum=HousingStatus.values),
            OpenApiParameter("landlord", int, description="Identifiant du bailleur"),
            *DATE_RANGE,
        ],
    ),
    retrieve=extend_schema(summary="Un ménage et ses membres"),
    create=extend_schema(summary="Ouvrir un dossier"),
    partial_update=extend_schema(summary="Modifier un dossier"),
)
class HouseholdViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Les ménages que votre structure accompagne."""

    queryset = Household.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID

    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["updated_at", "reference", "name"]
    ordering = ["-updated_at", "-id"]

    def get_serializer_class(self):
        return HouseholdListSerializer if self.action == "list" else HouseholdSerializer

    def get_queryset(self):
        user = self.request.user
        if not can_open_caseload(user):
            raise PermissionDenied("Votre rôle ne donne pas accès aux dossiers nominatifs.")
        households = Household.objects.visible_to(user).select_related("landlord")
        params = self.request.query_params
        if params.get("q"):
            households = households.search(params["q"])
        if params.get("housing_status") in HousingStatus.values:
            households = households.filter(housing_status=params["housing_status"])
        landlord = query_id(params.get("landlord"))
        if landlord:
            households = households.filter(landlord_id=landlord)
        return filter_dates(households, params, "updated_at__date")

    def get_object(self):
        household = get_household_or_404(
            self.request,
            object_pk(self.kwargs["pk"]),
            HouseholdAction.VIEW if self.request.method == "GET" else HouseholdAction.EDIT,
        )
        return household

    def retrieve(self, request, *args, **kwargs):
        return Response(HouseholdSerializer(self.get_object()).data)

    def create(self, request, *args, **kwargs):
        if not can_create_household(request.user):
            raise PermissionDenied("Votre rôle ne permet pas d'ouvrir un dossier.")
        serializer = HouseholdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, members = _write_data(serializer)
        household = services.household_create(by=request.user, data=data, members=members)
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        household = self.get_object()
        serializer = HouseholdSerializer(household, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, members = _write_data(serializer, household)
        version = serializer.validated_data.get("version")
        if version is None:
            raise DomainError(
                "Indiquez la version lue du dossier : une modification ne doit pas en écraser "
                "une autre.",
                field="version",
            )
        household = services.household_update(
            household=household,
            by=request.user,
            data=data,
            expected_version=version,
            members=members,
        )
        return Response(HouseholdSerializer(household).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Diagnostics du ménage (le plus récent d'abord)",
        request=None,
        responses=DiagnosticSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def diagnostics(self, request, pk=None):
        household = get_household_or_404(request, object_pk(pk), HouseholdAction.VIEW)
        diagnostics = household.diagnostics.all()
        return Response(DiagnosticSerializer(diagnostics, many=True).data)

    @diagnostics.mapping.post
    @extend_schema(
        summary="Écrire un diagnostic",
        request=DiagnosticSerializer,
        responses={201: DiagnosticSerializer},
    )
    def diagnostic_create(self, request, pk=None):
        household = get_household_or_404(request, object_pk(pk), HouseholdAction.WRITE_DIAGNOSTIC)
        serializer = DiagnosticSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        diagnostic = services.diagnostic_create(
            household=household, by=request.user, data=serializer.validated_data
        )
        return Response(DiagnosticSerializer(diagnostic).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Résumé du dossier en PDF",
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
        from households.pdf import render_pdf
        from households.summary import case_summary

        household = get_household_or_404(request, object_pk(pk), HouseholdAction.EXPORT)
        pdf = render_pdf(
            "pdf/case_summary.html", {"summary": case_summary(household, request.user)}
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{household.reference}.pdf"'
        return response


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
