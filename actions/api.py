"""Orientations, support measures (and their rent reductions), follow-ups, the household's
eviction procedure and the associations' dwellings register through the API, and the
co-decisions with the action or measure each decides on.

Every step calls the same service as the form, after the same check from
actions.permissions; objects are reached through their visible household."""

from operator import attrgetter

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from actions import services
from actions.deadlines import procedure_deadlines, procedure_warnings
from actions.forms import ProcedureForm
from actions.models import (
    ActionKind,
    ActionStatus,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Dwelling,
    EvictionProcedure,
    FollowUp,
    FollowUpKind,
    MeasureStatus,
    Orientation,
    Outcome,
    OutreachRequest,
    OutreachStatus,
    ProcedureEnd,
    ReminderDelay,
    RentReduction,
    SupportMeasure,
)
from actions.permissions import (
    ensure_can_answer_outreach,
    ensure_can_close_measure,
    ensure_can_close_outreach,
    ensure_can_log_follow_up,
    ensure_can_manage_dwellings,
    ensure_can_orient,
    ensure_can_plan_appointment,
    ensure_can_reduce_rent,
    ensure_can_request_outreach,
    ensure_can_request_renewal,
    ensure_can_track_procedure,
    ensure_can_withdraw_outreach,
    get_dwelling_or_404,
    get_measure_or_404,
    get_outreach_or_404,
    visible_dwellings,
    visible_measures,
    visible_outreach_requests,
)
from codecision import api as codecision_api
from core import text
from core.api import (
    DATE_RANGE,
    ROW_ID,
    filter_dates,
    filter_partner,
    id_field,
    of_household,
    query_id,
    read_version,
)
from core.api import object_pk as _pk
from core.api import query_date as _date
from core.dates import plausible_date
from households.api import LogsHouseholdReads
from households.models import AccessAction, Diagnostic, Household
from households.permissions import (
    HouseholdAction,
    access_log_reads,
    ensure_can_open_caseload,
    get_household_or_404,
)
from partners.models import Partner, User


def _visible_households(user):
    ensure_can_open_caseload(user)
    return Household.objects.visible_to(user)


# --- Orientations -----------------------------------------------------------------------------


class OrientationSerializer(serializers.ModelSerializer):
    household = id_field(source="household_id")
    association = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.associations())
    landlord = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.landlords(),
        required=False,
        allow_null=True,
        help_text="Pour l'action 4 : le bailleur qui fournit le logement.",
    )
    diagnostic = id_field(
        source="diagnostic_id",
        required=False,
        allow_null=True,
        help_text="Le diagnostic du ménage sur lequel s'appuie la pré-orientation.",
    )
    action_id = serializers.IntegerField(source="action.pk", read_only=True)
    codecision_id = serializers.SerializerMethodField()

    class Meta:
        model = Orientation
        fields = [
            "id",
            "household",
            "kind",
            "association",
            "landlord",
            "diagnostic",
            "reason",
            "proposed_by",
            "created_at",
            "action_id",
            "codecision_id",
        ]
        read_only_fields = ["id", "proposed_by", "created_at"]

    def get_codecision_id(self, orientation) -> int | None:
        codecisions = list(orientation.action.codecisions.all())
        return codecisions[0].pk if codecisions else None


@extend_schema_view(
    list=extend_schema(
        summary="Orientations des ménages visibles",
        parameters=[
            OpenApiParameter("kind", str, enum=ActionKind.values),
            OpenApiParameter("status", str, enum=ActionStatus.values, description="De l'action"),
            OpenApiParameter("partner", int, description="Association ou bailleur proposés"),
            *DATE_RANGE,
        ],
    ),
    create=extend_schema(summary="Orienter un ménage (ouvre la co-décision)"),
)
class OrientationViewSet(
    LogsHouseholdReads, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Orientation.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = OrientationSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        orientations = (
            Orientation.objects.filter(household__in=_visible_households(self.request.user))
            .select_related("action")
            .prefetch_related("action__codecisions")
        )
        params = self.request.query_params
        if params.get("kind") in ActionKind.values:
            orientations = orientations.filter(kind=params["kind"])
        if params.get("status") in ActionStatus.values:
            orientations = orientations.filter(action__status=params["status"])
        orientations = filter_partner(orientations, params, "association", "landlord")
        return filter_dates(orientations, params, "created_at__date")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        household = get_household_or_404(request, data["household_id"], HouseholdAction.VIEW)
        ensure_can_orient(request.user, household)
        orientation = services.orientation_create(
            household=household,
            by=request.user,
            kind=data["kind"],
            association=data["association"],
            landlord=data.get("landlord"),
            diagnostic=of_household(
                household.diagnostics.all(), data.get("diagnostic_id"), "diagnostic"
            ),
            reason=data["reason"],
        )
        return Response(self.get_serializer(orientation).data, status=status.HTTP_201_CREATED)


# --- Co-decisions: what each one decides on -------------------------------------------------


class CoDecisionSerializer(codecision_api.CoDecisionSerializer):
    # A co-decision with the action it starts or the measure it renews.

    action = serializers.IntegerField(
        source="action_link.action_id", read_only=True, allow_null=True, default=None
    )
    measure = serializers.IntegerField(
        source="action_link.measure_id", read_only=True, allow_null=True, default=None
    )

    class Meta(codecision_api.CoDecisionSerializer.Meta):
        # The co-decision's own fields, with its action before its kind and its measure
        # before its parties (the order the API always had).
        fields = [
            name
            for field in codecision_api.CoDecisionSerializer.Meta.fields
            for name in {"kind": ["action", "kind"], "landlord": ["measure", "landlord"]}.get(
                field, [field]
            )
        ]


class CoDecisionViewSet(codecision_api.CoDecisionViewSet):
    __doc__ = codecision_api.CoDecisionViewSet.__doc__
    serializer_class = CoDecisionSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("action_link")


# --- Support measures ---------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="action.household_id", read_only=True)
    kind = serializers.CharField(source="action.kind", read_only=True)
    association = serializers.IntegerField(source="action.association_id", read_only=True)
    landlord = serializers.IntegerField(source="action.landlord_id", read_only=True)

    class Meta:
        model = SupportMeasure
        fields = [
            "id",
            "household",
            "action",
            "kind",
            "landlord",
            "association",
            "referent",
            "starts_on",
            "ends_on",
            "renewal_count",
            "status",
            "closed_on",
            "outcome",
            "outcome_detail",
            "version",
        ]


class RentReductionSerializer(serializers.ModelSerializer):
    monthly_amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        help_text="Minoration par mois, en euros (au plus RENT_REDUCTION_MAX_MONTHLY).",
    )
    starts_on = serializers.DateField(
        validators=[plausible_date], help_text="Premier mois (le jour est ramené au 1er)."
    )
    ends_on = serializers.DateField(validators=[plausible_date], help_text="Dernier mois.")

    class Meta:
        model = RentReduction
        fields = ["id", "action", "monthly_amount", "starts_on", "ends_on", "created_by"]
        read_only_fields = ["id", "action", "created_by"]


class RenewalRequestSerializer(serializers.Serializer):
    comment = text.serializer_field(text.REASON, required=False, allow_blank=True, default="")


class ClosureSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_detail = text.serializer_field(
        text.REASON, required=False, allow_blank=True, default=""
    )
    closed_on = serializers.DateField(required=False, allow_null=True, validators=[plausible_date])
    version = serializers.IntegerField(
        required=False,
        source="expected_version",
        help_text="Version lue de la mesure ; la clôture est refusée si elle a changé depuis.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Mesures d'accompagnement des ménages visibles",
        parameters=[
            OpenApiParameter("status", str, enum=MeasureStatus.values),
            OpenApiParameter("kind", str, enum=ActionKind.values),
            OpenApiParameter("partner", int, description="Bailleur ou association"),
            OpenApiParameter("ends_before", str, description="AAAA-MM-JJ"),
            OpenApiParameter("ends_after", str, description="AAAA-MM-JJ"),
        ],
    ),
    retrieve=extend_schema(summary="Une mesure"),
)
class MeasureViewSet(LogsHouseholdReads, viewsets.ReadOnlyModelViewSet):
    queryset = SupportMeasure.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    household_of = attrgetter("action.household_id")
    serializer_class = MeasureSerializer
    ordering_fields = ["ends_on", "starts_on"]
    ordering = ["ends_on", "id"]

    def get_queryset(self):
        measures = visible_measures(self.request.user).select_related("action")
        params = self.request.query_params
        if params.get("status") in MeasureStatus.values:
            measures = measures.filter(status=params["status"])
        if params.get("kind") in ActionKind.values:
            measures = measures.filter(action__kind=params["kind"])
        measures = filter_partner(measures, params, "action__landlord", "action__association")
        for name, lookup in (("ends_before", "ends_on__lt"), ("ends_after", "ends_on__gt")):
            day = _date(params.get(name))
            if day:
                measures = measures.filter(**{lookup: day})
        return measures

    def get_object(self):
        return get_measure_or_404(self.request, _pk(self.kwargs["pk"]))

    @extend_schema(
        summary="Demander le renouvellement (ouvre une co-décision)",
        request=RenewalRequestSerializer,
        responses={201: CoDecisionSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def renewal(self, request, pk=None):
        measure = self.get_object()
        ensure_can_request_renewal(request.user, measure)
        serializer = RenewalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codecision = services.renewal_request(
            measure=measure, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(CoDecisionSerializer(codecision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Minorations de loyer de l'action de la mesure",
        request=None,
        responses=RentReductionSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Saisir une minoration de loyer (le bailleur, sa CESF)",
        description="Sur les mois de la mesure en cours, sans chevauchement, plafonnée par "
        "mois, hors année budgétaire close : les règles de la page de l'action "
        "(actions.services.rent_reduction_create).",
        request=RentReductionSerializer,
        responses={201: RentReductionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="rent-reductions",
        filter_backends=[],
        pagination_class=None,
    )
    def rent_reductions(self, request, pk=None):
        measure = self.get_object()
        if request.method == "GET":
            reductions = measure.action.rent_reductions.all()
            return Response(RentReductionSerializer(reductions, many=True).data)
        ensure_can_reduce_rent(request.user, measure.action)
        serializer = RentReductionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reduction = services.rent_reduction_create(
            action=measure.action, by=request.user, measure=measure, **serializer.validated_data
        )
        return Response(RentReductionSerializer(reduction).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Clôturer avec son issue", request=ClosureSerializer, responses=MeasureSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        measure = self.get_object()
        ensure_can_close_measure(request.user, measure)
        serializer = ClosureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = services.measure_close(
            measure=measure, by=request.user, **serializer.validated_data
        )
        return Response(MeasureSerializer(self.get_object()).data)


# --- Follow-ups -------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    household = id_field(source="household_id")
    measure = id_field(source="measure_id", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "household",
            "measure",
            "happened_on",
            "kind",
            "duration_minutes",
            "summary",
            "next_step",
            "next_step_on",
            "confidential",
            "author",
            "author_partner",
            "created_at",
        ]
        read_only_fields = ["id", "author", "author_partner", "created_at"]


@extend_schema_view(
    list=extend_schema(
        summary="Suivis des ménages visibles (les confidentiels d'une autre structure exclus)",
        parameters=[
            OpenApiParameter("household", int),
            OpenApiParameter("measure", int),
            OpenApiParameter("kind", str, enum=FollowUpKind.values),
            OpenApiParameter("partner", int, description="Structure de l'auteur"),
            *DATE_RANGE,
        ],
    ),
    create=extend_schema(summary="Noter un suivi"),
)
class FollowUpViewSet(
    LogsHouseholdReads, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = FollowUp.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = FollowUpSerializer
    ordering_fields = ["happened_on"]
    ordering = ["-happened_on", "-id"]

    def get_queryset(self):
        user = self.request.user
        follow_ups = FollowUp.objects.filter(
            household__in=_visible_households(user).values("pk")
        ).visible_to(user)
        params = self.request.query_params
        for name in ("household", "measure"):
            wanted = query_id(params.get(name))
            if wanted:
                follow_ups = follow_ups.filter(**{f"{name}_id": wanted})
        if params.get("kind") in FollowUpKind.values:
            follow_ups = follow_ups.filter(kind=params["kind"])
        follow_ups = filter_partner(follow_ups, params, "author_partner")
        return filter_dates(follow_ups, params, "happened_on")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household = get_household_or_404(request, data.pop("household_id"), HouseholdAction.VIEW)
        ensure_can_log_follow_up(request.user, household)
        measure = of_household(
            SupportMeasure.objects.filter(action__household=household).select_related("action"),
            data.pop("measure_id", None),
            "measure",
        )
        follow_up = services.follow_up_create(
            household=household, by=request.user, measure=measure, data=data
        )
        return Response(self.get_serializer(follow_up).data, status=status.HTTP_201_CREATED)


# --- The household's eviction procedure --------------------------------------------------------

# The stages the procedure page records: the API reads and writes the same ones.
PROCEDURE_FIELDS = ProcedureForm.Meta.fields


class DeadlineSerializer(serializers.Serializer):
    on = serializers.DateField()
    label = serializers.CharField()
    kind = serializers.CharField()


class ProcedureSerializer(serializers.ModelSerializer):
    dsf_diagnostic = id_field(
        source="dsf_diagnostic_id",
        required=False,
        allow_null=True,
        help_text="Un diagnostic de la CESF de ce ménage, retenu comme DSF.",
    )
    version = serializers.IntegerField(
        required=False,
        help_text="Version lue, obligatoire pour modifier ; une modification sur une version "
        "dépassée est refusée.",
    )
    end_reason = serializers.CharField(
        read_only=True,
        help_text="Motif de fin (withdrawn, paid, cancelled) ; vide tant que la procédure court.",
    )
    deadlines = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = EvictionProcedure
        fields = [
            "id",
            "household",
            *PROCEDURE_FIELDS,
            "ended_on",
            "end_reason",
            "version",
            "deadlines",
            "warnings",
        ]
        read_only_fields = ["id", "household", "ended_on", "end_reason"]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, procedure) -> list:
        found = procedure_deadlines(procedure, timezone.localdate())
        return DeadlineSerializer(found, many=True).data

    def get_warnings(self, procedure) -> list[str]:
        return [str(warning) for warning in procedure_warnings(procedure)]


class ProcedureEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(validators=[plausible_date])
    end_reason = serializers.ChoiceField(choices=ProcedureEnd.choices)
    version = serializers.IntegerField(help_text="Version lue de la procédure.")


def _procedure_of(household) -> EvictionProcedure:
    procedure = EvictionProcedure.objects.filter(household=household).first()
    if procedure is None:
        raise Http404("Ce ménage n'a pas de procédure d'expulsion.")
    return procedure


class ProcedureViewSet(viewsets.GenericViewSet):
    """La procédure d'expulsion d'un ménage (une par ménage, quelle que soit son action) :
    lue par qui voit le ménage, tenue par les travailleurs sociaux qui l'accompagnent ; les
    mêmes services et les mêmes contrôles que la page de la procédure."""

    queryset = Household.objects.none()  # for the schema; the access layer fetches
    lookup_value_regex = ROW_ID
    serializer_class = ProcedureSerializer

    def _household(self, pk):
        return get_household_or_404(self.request, _pk(pk), HouseholdAction.VIEW)

    @extend_schema(methods=["GET"], summary="La procédure d'expulsion du ménage", request=None)
    @extend_schema(
        methods=["POST"],
        summary="Ouvrir la procédure d'expulsion du ménage",
        request=None,
        responses={201: ProcedureSerializer},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Enregistrer des étapes de la procédure (avec la version lue)",
        request=ProcedureSerializer,
    )
    @action(
        detail=True,
        methods=["get", "post", "patch"],
        url_path="procedure",
        filter_backends=[],
        pagination_class=None,
    )
    def procedure(self, request, pk=None):
        household = self._household(pk)
        if request.method == "GET":
            return Response(ProcedureSerializer(_procedure_of(household)).data)
        ensure_can_track_procedure(request.user, household)
        if request.method == "POST":
            procedure = services.procedure_open(household=household, by=request.user)
            return Response(ProcedureSerializer(procedure).data, status=status.HTTP_201_CREATED)
        procedure = _procedure_of(household)
        serializer = ProcedureSerializer(procedure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = read_version(data, "de la procédure")
        if "dsf_diagnostic_id" in data:
            data["dsf_diagnostic"] = of_household(
                Diagnostic.objects.filter(household=household),
                data.pop("dsf_diagnostic_id"),
                "dsf_diagnostic",
            )
        procedure = services.procedure_update(
            procedure=procedure, by=request.user, data=data, expected_version=version
        )
        return Response(ProcedureSerializer(procedure).data)

    @extend_schema(
        summary="Terminer la procédure (désistement, paiement, annulation)",
        request=ProcedureEndSerializer,
        responses=ProcedureSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="procedure/end",
        filter_backends=[],
        pagination_class=None,
    )
    def procedure_end(self, request, pk=None):
        household = self._household(pk)
        ensure_can_track_procedure(request.user, household)
        procedure = _procedure_of(household)
        serializer = ProcedureEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        procedure = services.procedure_end(
            procedure=procedure,
            by=request.user,
            ended_on=data["ended_on"],
            end_reason=data["end_reason"],
            expected_version=data["version"],
        )
        return Response(ProcedureSerializer(procedure).data)


# --- The register of an association's dwellings (action 4) ------------------------------------


class DwellingSerializer(serializers.ModelSerializer):
    landlord = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.landlords().active(), help_text="Bailleur social du logement."
    )
    occupant = serializers.SerializerMethodField(
        help_text="Le ménage qui l'occupe (son hébergement ou son bail glissant en cours)."
    )
    version = serializers.IntegerField(
        required=False,
        help_text="Version lue, obligatoire pour modifier ; une modification sur une version "
        "dépassée est refusée.",
    )

    class Meta:
        model = Dwelling
        fields = [
            "id",
            "association",
            "address",
            "postcode",
            "city",
            "landlord",
            "dwelling_type",
            "left_stock_on",
            "occupant",
            "version",
        ]
        read_only_fields = ["id", "association", "left_stock_on"]

    def get_occupant(self, dwelling) -> int | None:
        return getattr(dwelling, "occupant_id", None)


@extend_schema_view(
    list=extend_schema(summary="Registre des logements (son association ; tous : la coordination)"),
    retrieve=extend_schema(summary="Un logement du registre"),
    create=extend_schema(summary="Ajouter un logement au registre de son association"),
    partial_update=extend_schema(summary="Modifier un logement (avec la version lue)"),
)
class DwellingViewSet(
    LogsHouseholdReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Le registre des logements que chaque association tient (action 4) : lu par
    l'association et la coordination, tenu par les travailleurs sociaux et la direction de
    l'association ; introuvable (404) pour les autres associations. Un logement occupé
    nomme son ménage : sa lecture est écrite au journal des accès."""

    queryset = Dwelling.objects.none()  # for the schema; get_queryset filters
    household_of = attrgetter("occupant_id")
    lookup_value_regex = ROW_ID
    serializer_class = DwellingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["association__name", "city", "address", "id"]

    def get_queryset(self):
        return visible_dwellings(self.request.user).with_occupant()

    def get_object(self):
        dwelling = get_dwelling_or_404(self.request.user, _pk(self.kwargs["pk"]))
        dwelling = Dwelling.objects.with_occupant().select_related("landlord").get(pk=dwelling.pk)
        if dwelling.occupant_id:
            access_log_reads(self.request, [dwelling.occupant_id], AccessAction.VIEW)
        return dwelling

    def create(self, request, *args, **kwargs):
        ensure_can_manage_dwellings(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        dwelling = services.dwelling_save(
            association=request.user.partner, by=request.user, data=data
        )
        return Response(self.get_serializer(dwelling).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        ensure_can_manage_dwellings(request.user)
        dwelling = self.get_object()
        serializer = self.get_serializer(dwelling, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = read_version(data, "du logement")
        services.dwelling_save(
            association=dwelling.association,
            by=request.user,
            data=data,
            dwelling=dwelling,
            expected_version=version,
        )
        return Response(self.get_serializer(self.get_object()).data)


# --- Outreach requests (« demandes d'aller-vers ») --------------------------------------------


class OutreachRequestSerializer(serializers.ModelSerializer):
    household = id_field(source="household_id")
    household_reference = serializers.CharField(source="household.reference", read_only=True)
    association = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.associations())
    reason = text.serializer_field(text.REASON)

    class Meta:
        model = OutreachRequest
        fields = [
            "id",
            "household",
            "household_reference",
            "landlord",
            "association",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "answered_by",
            "answered_at",
            "answer_reason",
            "closed_at",
        ]
        read_only_fields = [
            "id",
            "landlord",
            "status",
            "requested_by",
            "requested_at",
            "answered_by",
            "answered_at",
            "answer_reason",
            "closed_at",
        ]


class OutreachAnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[services.OUTREACH_ACCEPT, services.OUTREACH_DECLINE]
    )
    reason = text.serializer_field(
        text.REASON, required=False, allow_blank=True, help_text="Obligatoire pour décliner."
    )


class OutreachCloseSerializer(serializers.Serializer):
    reason = text.serializer_field(text.REASON, required=False, allow_blank=True)


class OutreachWithdrawSerializer(serializers.Serializer):
    reason = text.serializer_field(
        text.REASON,
        required=False,
        allow_blank=True,
        help_text=(
            "Pourquoi la demande est retirée (gardé à l'historique ; l'association ne le lit pas)."
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Demandes d'aller-vers faites ou reçues par votre structure",
        parameters=[OpenApiParameter("status", str, enum=OutreachStatus.values)],
    ),
    retrieve=extend_schema(summary="Une demande d'aller-vers"),
    create=extend_schema(summary="Demander à une association d'aller vers un locataire"),
)
class OutreachRequestViewSet(
    LogsHouseholdReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A landlord asks an association to reach its tenant; the association accepts or
    declines (with a reason); either ends an accepted one; the landlord withdraws one still
    waiting. The same services and checks as the pages (actions.outreach_views)."""

    queryset = OutreachRequest.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = OutreachRequestSerializer
    ordering_fields = ["requested_at"]
    ordering = ["-requested_at", "-id"]

    def get_queryset(self):
        requests = visible_outreach_requests(self.request.user)
        if self.request.query_params.get("status") in OutreachStatus.values:
            requests = requests.filter(status=self.request.query_params["status"])
        return requests

    def get_object(self):
        return get_outreach_or_404(self.request.user, _pk(self.kwargs["pk"]))

    def retrieve(self, request, *args, **kwargs):
        outreach = self.get_object()
        # A request names its household and says why: a read of the case, logged.
        access_log_reads(request, [outreach.household_id], AccessAction.VIEW)
        return Response(self.get_serializer(outreach).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        household = get_household_or_404(request, data["household_id"], HouseholdAction.VIEW)
        ensure_can_request_outreach(request.user, household)
        outreach = services.outreach_request_create(
            household=household,
            by=request.user,
            association=data["association"],
            reason=data["reason"],
        )
        return Response(self.get_serializer(outreach).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accepter ou décliner (association sollicitée)",
        request=OutreachAnswerSerializer,
        responses=OutreachRequestSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def answer(self, request, pk=None):
        outreach = self.get_object()
        ensure_can_answer_outreach(request.user, outreach)
        serializer = OutreachAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outreach = services.outreach_answer(
            request=outreach,
            by=request.user,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(OutreachRequestSerializer(outreach).data)

    @extend_schema(
        summary="Terminer un aller-vers accepté",
        request=OutreachCloseSerializer,
        responses=OutreachRequestSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request, pk=None):
        outreach = self.get_object()
        ensure_can_close_outreach(request.user, outreach)
        serializer = OutreachCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outreach = services.outreach_close(
            request=outreach, by=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(OutreachRequestSerializer(outreach).data)

    @extend_schema(
        summary="Retirer une demande encore sans réponse (bailleur demandeur)",
        request=OutreachWithdrawSerializer,
        responses=OutreachRequestSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request, pk=None):
        outreach = self.get_object()
        ensure_can_withdraw_outreach(request.user, outreach)
        serializer = OutreachWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outreach = services.outreach_withdraw(
            request=outreach, by=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(OutreachRequestSerializer(outreach).data)


# --- Appointments -----------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "14:30"})
class HourField(serializers.TimeField):
    """A local time of day, « HH:MM » (Europe/Paris), without offset."""


class AppointmentSerializer(serializers.ModelSerializer):
    household = id_field(source="household_id")
    at = HourField(
        format="%H:%M",
        required=False,
        allow_null=True,
        help_text="Heure locale (Europe/Paris), « HH:MM » ; facultative.",
    )
    kind = serializers.ChoiceField(choices=AppointmentKind.choices)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        required=False,
        help_text=(
            "Utilisateurs des structures qui voient le dossier, ou de la coordination ; le "
            "rappel leur est envoyé (à l'auteur quand personne n'est nommé)."
        ),
    )
    reminder_days_before = serializers.ChoiceField(
        choices=ReminderDelay.choices,
        required=False,
        allow_null=True,
        help_text="Jours avant le rendez-vous où le rappel part, une fois ; vide : aucun rappel.",
    )
    follow_up = serializers.IntegerField(source="follow_up_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        help_text=(
            "Version lue, obligatoire pour modifier ou annuler ; une modification sur une "
            "version dépassée est refusée."
        ),
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "household",
            "kind",
            "on",
            "at",
            "duration_minutes",
            "place",
            "participants",
            "notes",
            "reminder_days_before",
            "status",
            "follow_up",
            "created_by",
            "created_by_partner",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "status",
            "follow_up",
            "created_by",
            "created_by_partner",
            "created_at",
        ]


class AppointmentChangeSerializer(AppointmentSerializer):
    household = id_field(source="household_id", read_only=True)
    version = serializers.IntegerField(help_text="Version lue du rendez-vous.")


class AppointmentCancelSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Version lue du rendez-vous.")
    reason = text.serializer_field(text.REASON, required=False, allow_blank=True, default="")


class AppointmentHeldSerializer(FollowUpSerializer):
    """The follow-up a held appointment becomes: what is left out is taken from the
    appointment (its day, the kind of contact, its duration, its notes as the summary)."""

    household = None  # the appointment's
    measure = id_field(
        source="measure_id",
        required=False,
        allow_null=True,
        help_text=(
            "Une mesure en cours du ménage ; sans elle, la seule mesure en cours s'il y en a "
            "une, comme sur la page."
        ),
    )
    kind = serializers.ChoiceField(choices=FollowUpKind.choices, required=False)
    version = serializers.IntegerField(help_text="Version lue du rendez-vous.")

    class Meta(FollowUpSerializer.Meta):
        fields = [
            "measure",
            "happened_on",
            "kind",
            "duration_minutes",
            "summary",
            "next_step",
            "next_step_on",
            "confidential",
            "version",
        ]
        read_only_fields = []
        extra_kwargs = {
            "happened_on": {"required": False},
            "summary": {"required": False, "allow_blank": True},
        }


@extend_schema_view(
    list=extend_schema(
        summary="Rendez-vous des ménages visibles",
        parameters=[
            OpenApiParameter("household", int),
            OpenApiParameter("kind", str, enum=AppointmentKind.values),
            OpenApiParameter("status", str, enum=AppointmentStatus.values),
            *DATE_RANGE,
        ],
    ),
    retrieve=extend_schema(summary="Un rendez-vous"),
    create=extend_schema(summary="Prévoir un rendez-vous avec un ménage"),
    partial_update=extend_schema(
        summary="Modifier un rendez-vous prévu", request=AppointmentChangeSerializer
    ),
    update=extend_schema(
        summary="Modifier un rendez-vous prévu", request=AppointmentChangeSerializer
    ),
)
class AppointmentViewSet(
    LogsHouseholdReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The same services and checks as the household page's appointment forms
    (actions.views.appointment_edit, appointment_cancel); « Tenu » (`held`) makes the
    appointment a follow-up, as the page's follow-up form does (services.appointment_hold)."""

    queryset = Appointment.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = AppointmentSerializer
    ordering_fields = ["on", "created_at"]
    ordering = ["on", "at", "id"]

    def get_queryset(self):
        appointments = Appointment.objects.filter(
            household__in=_visible_households(self.request.user).values("pk")
        ).prefetch_related("participants")
        params = self.request.query_params
        wanted = query_id(params.get("household"))
        if wanted:
            appointments = appointments.filter(household_id=wanted)
        if params.get("kind") in AppointmentKind.values:
            appointments = appointments.filter(kind=params["kind"])
        if params.get("status") in AppointmentStatus.values:
            appointments = appointments.filter(status=params["status"])
        return filter_dates(appointments, params, "on")

    def get_object(self):
        # One appointment: unknown (404) out of the households the user sees, funders too.
        visible = Household.objects.visible_to(self.request.user).values("pk")
        appointment = (
            Appointment.objects.filter(household__in=visible, pk=_pk(self.kwargs["pk"]))
            .prefetch_related("participants")
            .first()
        )
        if appointment is None:
            raise Http404("Rendez-vous introuvable")
        self.check_object_permissions(self.request, appointment)
        return appointment

    def retrieve(self, request, *args, **kwargs):
        appointment = self.get_object()
        access_log_reads(request, [appointment.household_id], AccessAction.VIEW)
        return Response(self.get_serializer(appointment).data)

    def _household(self, household_id: int) -> Household:
        household = get_household_or_404(self.request, household_id, HouseholdAction.VIEW)
        ensure_can_plan_appointment(self.request.user, household)
        return household

    def create(self, request, *args, **kwargs):
        serializer = AppointmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        household = self._household(data.pop("household_id"))
        data.pop("version", None)
        participants = data.pop("participants", [])
        appointment = services.appointment_save(
            household=household, by=request.user, data=data, participants=participants
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        appointment = self.get_object()
        household = self._household(appointment.household_id)
        serializer = AppointmentChangeSerializer(appointment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = read_version(data, "du rendez-vous")
        participants = data.pop("participants", None)
        if participants is None:
            participants = list(appointment.participants.all())
        appointment = services.appointment_save(
            household=household,
            by=request.user,
            data=data,
            participants=participants,
            appointment=appointment,
            expected_version=version,
        )
        return Response(AppointmentSerializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Annuler un rendez-vous prévu",
        request=AppointmentCancelSerializer,
        responses=AppointmentSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request, pk=None):
        appointment = self.get_object()
        self._household(appointment.household_id)
        serializer = AppointmentCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.appointment_cancel(
            appointment=appointment,
            by=request.user,
            expected_version=serializer.validated_data["version"],
            reason=serializer.validated_data["reason"],
        )
        return Response(AppointmentSerializer(self.get_object()).data)

    @extend_schema(
        summary="Rendez-vous tenu : il devient un suivi",
        request=AppointmentHeldSerializer,
        responses=AppointmentSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def held(self, request, pk=None):
        appointment = self.get_object()
        household = appointment.household
        ensure_can_log_follow_up(request.user, household)
        serializer = AppointmentHeldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        active = SupportMeasure.objects.filter(
            action__household=household, status=MeasureStatus.ACTIVE
        ).select_related("action")
        if "measure_id" in data:
            measure = of_household(active, data.pop("measure_id"), "measure")
        else:
            # As the page: the household's one measure in progress, if it has exactly one.
            measure = active[0] if len(active) == 1 else None
        services.appointment_hold(
            appointment=appointment,
            by=request.user,
            data=data,
            measure=measure,
            expected_version=version,
        )
        return Response(AppointmentSerializer(self.get_object()).data)
