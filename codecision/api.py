"""Co-decisions through the API: read them, answer (approve, reject, adjourn), arbitrate.

The same access layer and services as the pages (codecision.permissions,
codecision.services). The workflow's API (actions.api) adds to each co-decision the action it
starts or the measure it renews."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from codecision import services
from codecision.models import (
    Answer,
    CoDecision,
    CoDecisionAnswer,
    CoDecisionStatus,
    CommitteeSession,
    Purpose,
    Side,
)
from codecision.permissions import (
    ensure_can_answer,
    ensure_can_arbitrate,
    get_codecision_or_404,
    visible_codecisions,
)
from core import text
from core.api import DATE_RANGE, ROW_ID, filter_dates, filter_partner, id_field, object_pk
from core.dates import plausible_date
from core.errors import DomainError
from households.api import LogsHouseholdReads
from households.models import ActionKind
from partners.models import Membership, Role, User


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoDecisionAnswer
        fields = ["side", "partner", "answer", "comment", "referent", "answered_by", "answered_at"]


class CoDecisionSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = CoDecision
        fields = [
            "id",
            "household",
            "kind",
            "purpose",
            "landlord",
            "association",
            "proposed_by",
            "proposed_by_partner",
            "reason",
            "status",
            "landlord_answer",
            "association_answer",
            "opened_at",
            "decided_at",
            "arbitrated_by",
            "arbitration_comment",
            "session",
            "answers",
        ]


class AnswerRequestSerializer(serializers.Serializer):
    comment = text.serializer_field(text.REASON, required=False, allow_blank=True, default="")
    referent = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(
            pk__in=Membership.objects.filter(role=Role.CASEWORKER).values("user_id")
        ),
        required=False,
        allow_null=True,
        help_text="À l'approbation d'un démarrage, l'association désigne le référent.",
    )
    starts_on = serializers.DateField(required=False, allow_null=True, validators=[plausible_date])
    side = serializers.ChoiceField(
        choices=Side.choices, required=False, help_text="Coordination : la partie qui répond."
    )
    session = id_field(required=False, help_text="Coordination : le comité.")


class ArbitrationRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            (services.ARBITRATION_REJECT, "Refuser la proposition"),
            (services.ARBITRATION_REOPEN, "Demander un nouvel examen aux deux parties"),
        ]
    )
    comment = text.serializer_field(text.REASON, help_text="Le motif de l'arbitrage.")


@extend_schema_view(
    list=extend_schema(
        summary="Co-décisions des ménages visibles",
        parameters=[
            OpenApiParameter("status", str, enum=CoDecisionStatus.values),
            OpenApiParameter("kind", str, enum=ActionKind.values, description="Action proposée"),
            OpenApiParameter("purpose", str, enum=Purpose.values),
            OpenApiParameter("partner", int, description="Bailleur ou association"),
            *DATE_RANGE,
            OpenApiParameter(
                "waiting",
                bool,
                description="Seulement celles qui attendent la réponse de votre structure",
            ),
        ],
    ),
    retrieve=extend_schema(summary="Une co-décision et ses réponses"),
)
class CoDecisionViewSet(LogsHouseholdReads, viewsets.ReadOnlyModelViewSet):
    queryset = CoDecision.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = CoDecisionSerializer
    ordering_fields = ["opened_at"]
    ordering = ["-opened_at", "-id"]

    def get_queryset(self):
        user = self.request.user
        codecisions = visible_codecisions(user).prefetch_related("answers")
        params = self.request.query_params
        if params.get("status") in CoDecisionStatus.values:
            codecisions = codecisions.filter(status=params["status"])
        if params.get("kind") in ActionKind.values:
            codecisions = codecisions.filter(kind=params["kind"])
        if params.get("purpose") in Purpose.values:
            codecisions = codecisions.filter(purpose=params["purpose"])
        codecisions = filter_partner(codecisions, params, "landlord", "association")
        codecisions = filter_dates(codecisions, params, "opened_at__date")
        if params.get("waiting") in ("true", "1") and user.partner:
            codecisions = codecisions.waiting_for(user.partner)
        return codecisions

    def get_object(self):
        return get_codecision_or_404(self.request, object_pk(self.kwargs["pk"]))

    def _answer(self, request, pk, answer: str):
        codecision = get_codecision_or_404(request, object_pk(pk))
        ensure_can_answer(request.user, codecision)
        serializer = AnswerRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = None
        if data.get("session"):
            session = CommitteeSession.objects.filter(pk=data["session"]).first()
            if session is None:
                raise DomainError("Ce comité n'existe pas.", field="session")
        services.codecision_answer(
            codecision=codecision,
            by=request.user,
            answer=answer,
            comment=data.get("comment", ""),
            referent=data.get("referent"),
            side=data.get("side"),
            session=session,
            starts_on=data.get("starts_on"),
        )
        return Response(self.get_serializer(self.get_object()).data)

    # The answer is the co-decision as the view serializes it (with its subject in the
    # workflow's API, actions.api): the schema reads it from the view's serializer_class.
    @extend_schema(summary="Approuver", request=AnswerRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request, pk=None):
        return self._answer(request, pk, Answer.APPROVE)

    @extend_schema(summary="Refuser", request=AnswerRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reject(self, request, pk=None):
        return self._answer(request, pk, Answer.REJECT)

    @extend_schema(summary="Demander l'ajournement", request=AnswerRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def adjourn(self, request, pk=None):
        return self._answer(request, pk, Answer.ADJOURN)

    @extend_schema(summary="Arbitrer un désaccord", request=ArbitrationRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def arbitrate(self, request, pk=None):
        codecision = get_codecision_or_404(request, object_pk(pk))
        ensure_can_arbitrate(request.user)
        serializer = ArbitrationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.codecision_arbitrate(
            codecision=codecision,
            by=request.user,
            decision=serializer.validated_data["decision"],
            comment=serializer.validated_data["comment"],
        )
        return Response(self.get_serializer(self.get_object()).data)
