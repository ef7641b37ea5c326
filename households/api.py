"""Households, members and diagnostics through the API: the same access layer and services
as the pages (households.permissions, households.services).

Every answer with case content is written to the access log: one object through the access
layer's fetch helpers, a list through LogsHouseholdReads (one entry per household of the
page, in one insert); the workflow's and the co-decisions' lists use it too."""

from operator import attrgetter

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import DATE_RANGE, MAX_ID, ROW_ID, filter_dates, object_pk, query_id, read_version
from core.errors import DomainError
from core.keyset import Stamp, rows_of
from households import services
from households.duplicates import (
    SIMILAR_ELSEWHERE,
    DuplicateSuspected,
    duplicate_report,
    find_similar,
)
from households.models import (
    Diagnostic,
    Household,
    HouseholdMember,
    HousingStatus,
    Ids,
    LandlordChangeKind,
)
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    ensure_can_change_landlord,
    ensure_can_correct_diagnostic,
    ensure_can_create_household,
    ensure_can_open_caseload,
    get_household_or_404,
    visible_household_ids,
)
from partners.models import Partner


class LogsHouseholdReads:
    """A list of case records: the households of the page it returns are written to the
    access log, one entry each, in one insert. `household_of` reads a row's household id
    from what the list's query loaded."""

    household_of = attrgetter("household_id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = queryset if page is None else page
        access_log_reads(self.request, (self.household_of(row) for row in rows))
        return page


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
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=(
            "À l'ouverture : true pour ouvrir le dossier bien que des dossiers similaires "
            "existent (sinon 409 les décrit)."
        ),
    )
    ask_coordination = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=(
            "À l'ouverture malgré un doublon possible : demander à la coordination de vérifier."
        ),
    )
    merged_into = serializers.SlugRelatedField(
        slug_field="reference",
        read_only=True,
        allow_null=True,
        help_text="Référence du dossier dans lequel celui-ci a été fusionné, le cas échéant.",
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
            "merged_into",
            "confirm_duplicate",
            "ask_coordination",
        ]
        read_only_fields = ["id", "reference", "created_by_partner", "created_at", "updated_at"]


class SimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="household.pk")
    reference = serializers.CharField(source="household.reference")
    name = serializers.CharField(source="household.name")
    city = serializers.CharField(source="household.city")
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicatesSerializer(serializers.Serializer):
    """What a user opening a file may know of similar files (households.duplicates)."""

    detail = serializers.CharField(required=False)
    visible_matches = SimilarSerializer(
        many=True, help_text="Les dossiers similaires que vous voyez."
    )
    similar_elsewhere = serializers.BooleanField(
        help_text=(
            "Au moins un dossier similaire existe chez un autre partenaire (sans autre "
            "détail) : la coordination peut vérifier."
        )
    )
    similar_elsewhere_text = serializers.CharField(allow_null=True)


def _duplicates_answer(request, report) -> dict:
    access_log_reads(request, (item.household.pk for item in report.visible))
    return {
        "visible_matches": SimilarSerializer(report.visible, many=True).data,
        "similar_elsewhere": report.elsewhere,
        "similar_elsewhere_text": SIMILAR_ELSEWHERE if report.elsewhere else None,
    }


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


class DiagnosticChangeSerializer(DiagnosticSerializer):
    version = serializers.IntegerField(
        help_text=(
            "Version lue du diagnostic, obligatoire : une correction sur une version dépassée "
            "est refusée."
        )
    )


class LandlordChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (kind.value, kind.label)
            for kind in (LandlordChangeKind.TRANSFER, LandlordChangeKind.CORRECTION)
        ],
        help_text=(
            "transfer : mutation (CESF du bailleur actuel, coordination) ; correction : erreur "
            "de saisie (coordination). Le glissement s'enregistre avec le bail glissant."
        ),
    )
    landlord = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.landlords(),
        allow_null=True,
        help_text="Le nouveau bailleur (null : aucun, pour corriger un ménage demandeur).",
    )
    reason = serializers.CharField(max_length=services.REASON_MAX_LENGTH)
    version = serializers.IntegerField(help_text="Version lue du dossier.")
    tenant_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=5, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


def _write_data(serializer, household: Household | None = None) -> tuple[dict, list]:
    """The household's fields and its members; a member sent with its id is that member of
    this household (any other id is unknown)."""
    data = dict(serializer.validated_data)
    members = [dict(member) for member in data.pop("members", [])]
    for name in ("version", "confirm_duplicate", "ask_coordination"):
        data.pop(name, None)
    for member in members:
        if "id" not in member:
            continue
        found = household.members.filter(pk=member["id"]).first() if household else None
        if found is None:
            raise DomainError(services.NOT_A_MEMBER, field="members")
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
    partial_update=extend_schema(summary="Modifier un dossier"),
)
class HouseholdViewSet(
    LogsHouseholdReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Les ménages que votre structure accompagne."""

    queryset = Household.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    household_of = attrgetter("pk")

    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["updated_at", "reference", "name"]
    ordering = ["-updated_at", "-id"]

    def get_serializer_class(self):
        return HouseholdListSerializer if self.action == "list" else HouseholdSerializer

    def get_queryset(self):
        user = self.request.user
        ensure_can_open_caseload(user)
        everything = (
            Household.objects.visible_to(user).filter(merged_into=None).select_related("landlord")
        )
        # The caseload materialised first (as on « Mes ménages »): (stamp, id), newest first;
        # None for the coordination, whose caseload is the programme.
        self.caseload = visible_household_ids(user) if self.action == "list" else None
        households = everything
        params = self.request.query_params
        if params.get("q"):
            # The members searched are the caseload's first, not the programme's.
            within = None if self.caseload is None else [pk for _, pk in self.caseload]
            households = households.search(params["q"], within=within)
        if params.get("housing_status") in HousingStatus.values:
            households = households.filter(housing_status=params["housing_status"])
        landlord = query_id(params.get("landlord"))
        if landlord:
            households = households.filter(landlord_id=landlord)
        households = filter_dates(households, params, "updated_at__date")
        self.filtered = households is not everything
        return households

    def paginate_queryset(self, queryset):
        """A partner's list in its default order (newest change first) is paged over its
        caseload's ids, materialised first: the page's rows are then read by id. Walking
        the programme's households by change time would cost a partner whose cases are the
        oldest a walk through almost all of them; this costs what its caseload costs."""
        if self.caseload is None or self.request.query_params.get("ordering"):
            return super().paginate_queryset(queryset)
        matches = self.caseload
        if self.filtered:
            ids = Ids([pk for _, pk in self.caseload])
            matches = sorted(
                rows_of(
                    queryset.filter(pk__any_of=ids)
                    .order_by()
                    .values_list(Stamp("updated_at"), "pk")
                ),
                reverse=True,
            )
        shown = self.paginator.paginate_queryset(matches, self.request, view=self)
        wanted = [pk for _, pk in shown]
        rows = {row.pk: row for row in queryset.filter(pk__any_of=Ids(wanted)).order_by()}
        page = [rows[pk] for pk in wanted if pk in rows]
        access_log_reads(self.request, (row.pk for row in page))
        return page

    def get_object(self):
        household = get_household_or_404(
            self.request,
            object_pk(self.kwargs["pk"]),
            HouseholdAction.VIEW if self.request.method == "GET" else HouseholdAction.EDIT,
        )
        return household

    def retrieve(self, request, *args, **kwargs):
        return Response(HouseholdSerializer(self.get_object()).data)

    @extend_schema(
        summary="Ouvrir un dossier",
        responses={201: HouseholdSerializer, 409: DuplicatesSerializer},
        description=(
            "Des dossiers similaires existent (nom proche et date de naissance, adresse ou "
            "numéro de locataire) : 409 décrit ceux que vous voyez et dit seulement s'il en "
            "existe au moins un ailleurs. Renvoyez avec confirm_duplicate=true pour ouvrir "
            "le dossier quand même ; la coordination est prévenue."
        ),
    )
    def create(self, request, *args, **kwargs):
        ensure_can_create_household(request.user)
        serializer = HouseholdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, members = _write_data(serializer)
        try:
            household = services.household_create(
                by=request.user,
                data=data,
                members=members,
                confirm_duplicate=serializer.validated_data["confirm_duplicate"],
                ask_coordination=serializer.validated_data["ask_coordination"],
            )
        except DuplicateSuspected as suspected:
            return Response(
                {"detail": suspected.message, **_duplicates_answer(request, suspected.report)},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Dossiers similaires à un dossier que l'on va ouvrir (rien n'est enregistré)",
        request=HouseholdSerializer,
        responses=DuplicatesSerializer,
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_backends=[])
    def duplicates(self, request):
        ensure_can_create_household(request.user)
        serializer = HouseholdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, members = _write_data(serializer)
        report = duplicate_report(request.user, find_similar(data, members))
        return Response(_duplicates_answer(request, report))

    def partial_update(self, request, *args, **kwargs):
        household = self.get_object()
        serializer = HouseholdSerializer(household, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, members = _write_data(serializer, household)
        version = read_version(dict(serializer.validated_data), "du dossier")
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
        summary="Changer de bailleur (mutation ou correction motivée)",
        request=LandlordChangeSerializer,
        responses=HouseholdSerializer,
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def landlord(self, request, pk=None):
        household = get_household_or_404(request, object_pk(pk), HouseholdAction.VIEW)
        ensure_can_change_landlord(request.user, household)
        serializer = LandlordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.household_landlord_change(
            household=household,
            by=request.user,
            kind=data["kind"],
            landlord=data["landlord"],
            reason=data["reason"],
            dwelling={name: data[name] for name in services.DWELLING_FIELDS if name in data},
            expected_version=data["version"],
        )
        return Response(HouseholdSerializer(household).data)

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
        summary="Corriger un diagnostic (tant qu'aucune décision ne s'appuie sur lui)",
        request=DiagnosticChangeSerializer,
        responses=DiagnosticSerializer,
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=rf"diagnostics/(?P<diagnostic_pk>{ROW_ID})",
        pagination_class=None,
        filter_backends=[],
    )
    def diagnostic_update(self, request, pk=None, diagnostic_pk=None):
        """The page's « Corriger le diagnostic » (households.views.diagnostic_edit): the same
        checks, the same service, and the version read."""
        household = get_household_or_404(request, object_pk(pk), HouseholdAction.WRITE_DIAGNOSTIC)
        diagnostic = household.diagnostics.filter(pk=object_pk(diagnostic_pk)).first()
        if diagnostic is None:
            raise Http404("Diagnostic introuvable")
        ensure_can_correct_diagnostic(request.user, diagnostic)
        serializer = DiagnosticChangeSerializer(diagnostic, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = read_version(data, "du diagnostic", change="une correction")
        diagnostic = services.diagnostic_update(
            diagnostic=diagnostic, by=request.user, data=data, expected_version=version
        )
        return Response(DiagnosticSerializer(diagnostic).data)
