"""Documents through the API: list (with their versions), upload (multipart, several files
in `files`), download. Same access layer, same checks and same services as the pages; the
size limit is checked while the body streams in, as on the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from actions.models import Action, FollowUp, SupportMeasure
from core.api import (
    DATE_RANGE,
    ROW_ID,
    filter_dates,
    filter_partner,
    id_field,
    of_household,
    query_id,
)
from core.api import object_pk as _pk
from core.errors import DomainError
from documents import files, services
from documents.models import PROCEDURE_STEPS, Document, DocumentKind, DocumentVersion
from documents.permissions import (
    ensure_can_add_document,
    get_document_or_404,
    get_version_for_download,
)
from documents.views import download_response
from households.api import LogsHouseholdReads
from households.models import Household
from households.permissions import HouseholdAction, ensure_can_open_caseload, get_household_or_404


class FileRenderer(BaseRenderer):
    """Lets a download answer whatever type the client accepts (the file's own)."""

    media_type = "*/*"
    format = "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()
    # Declared: a read-only field built from the model loses `allow_blank`, and the schema
    # then left out the blank value a document without a stage has.
    procedure_step = serializers.ChoiceField(
        choices=PROCEDURE_STEPS,
        allow_blank=True,
        read_only=True,
        help_text="Étape de la procédure d'expulsion ; vide si le document n'en concerne aucune.",
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "household",
            "kind",
            "title",
            "dated_on",
            "confidential",
            "action",
            "measure",
            "follow_up",
            "procedure",
            "procedure_step",
            "author",
            "author_partner",
            "created_at",
            "versions",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return f"/api/documents/{document.pk}/download/"


class DocumentUploadSerializer(serializers.Serializer):
    household = id_field()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    dated_on = serializers.DateField()
    confidential = serializers.BooleanField(required=False, default=False)
    action = id_field(required=False, allow_null=True)
    measure = id_field(required=False, allow_null=True)
    follow_up = id_field(required=False, allow_null=True)
    procedure_step = serializers.ChoiceField(
        choices=PROCEDURE_STEPS, required=False, allow_blank=True, default=""
    )
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        min_length=1,
        max_length=20,
        help_text="Un ou plusieurs fichiers (PDF, JPEG, PNG, HEIC, DOCX, ODT).",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Documents des ménages visibles (les confidentiels d'une autre structure exclus)",
        parameters=[
            OpenApiParameter("household", int),
            OpenApiParameter("action", int),
            OpenApiParameter("measure", int),
            OpenApiParameter("kind", str, enum=DocumentKind.values),
            OpenApiParameter("partner", int, description="Structure de l'auteur"),
            *DATE_RANGE,
        ],
    ),
    retrieve=extend_schema(summary="Un document et ses versions"),
    create=extend_schema(
        summary="Déposer un ou plusieurs documents (multipart/form-data)",
        request={"multipart/form-data": DocumentUploadSerializer},
        # The documents made, as a plain list: given as a schema, since a list serializer on
        # a list route would be documented paginated, which this answer is not.
        responses={201: {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}},
    ),
)
class DocumentViewSet(
    LogsHouseholdReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Document.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]
    ordering_fields = ["dated_on", "created_at"]
    ordering = ["-dated_on", "-id"]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body: the size limit counts each file as it arrives.
        if request.method == "POST":
            files.install_size_limit(request)
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        ensure_can_open_caseload(user)
        documents = (
            Document.objects.filter(household__in=Household.objects.visible_to(user).values("pk"))
            .live()
            .visible_to(user)
            .prefetch_related("versions")
        )
        params = self.request.query_params
        for name in ("household", "action", "measure"):
            wanted = query_id(params.get(name))
            if wanted:
                documents = documents.filter(**{f"{name}_id": wanted})
        if params.get("kind") in DocumentKind.values:
            documents = documents.filter(kind=params["kind"])
        documents = filter_partner(documents, params, "author_partner")
        return filter_dates(documents, params, "dated_on")

    def get_object(self):
        return get_document_or_404(self.request, _pk(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        body = request.data  # parsed now, each file counted by the size limit as it arrives
        too_large = getattr(request._request, "too_large_uploads", [])
        if too_large:
            raise DomainError(files.too_large_message(too_large[0]), field="files")
        upload = DocumentUploadSerializer(data=body)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        household = get_household_or_404(request, data["household"], HouseholdAction.VIEW)
        ensure_can_add_document(request.user, household)
        action_ = of_household(
            Action.objects.filter(household=household), data.get("action"), "action"
        )
        links = {
            "action": action_,
            "measure": of_household(
                SupportMeasure.objects.filter(action__household=household).select_related("action"),
                data.get("measure"),
                "measure",
            ),
            "follow_up": of_household(
                FollowUp.objects.filter(household=household).visible_to(request.user),
                data.get("follow_up"),
                "follow_up",
            ),
            "procedure_step": data["procedure_step"],
        }
        documents = services.document_create(
            household=household,
            by=request.user,
            uploads=data["files"],
            kind=data["kind"],
            title=data["title"],
            dated_on=data["dated_on"],
            confidential=data["confidential"],
            links=links,
        )
        return Response(
            DocumentSerializer(documents, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Télécharger la dernière version d'un document (ou ?version=n)",
        parameters=[OpenApiParameter("version", int)],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **{(200, mime): OpenApiTypes.BINARY for mime, _ in files.ALLOWED_TYPES.values()},
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="download",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def download(self, request, pk=None):
        number = query_id(request.query_params.get("version"))
        _, version = get_version_for_download(request, _pk(pk), number)
        return download_response(version)
