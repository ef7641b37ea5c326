"""The funding ledger and the year's figures through the API, read only.

Who sees what is decided by funding.permissions.budget_scope, as for the dashboard:
coordinators and funder viewers the whole programme, a partner manager its own partner's
lines, nobody else (403). Entries carry the household's reference, never its name: funders
read the totals per month (`totals`), never the entries (403)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import DATE_RANGE, ROW_ID, filter_dates, filter_partner, object_pk, query_id
from funding import services
from funding.models import FundingKind, LedgerEntry
from funding.permissions import budget_scope, ensure_can_see_ledger_lines


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    partner_name = serializers.CharField(
        source="partner.name", default=None, read_only=True, allow_null=True
    )
    household_reference = serializers.CharField(
        source="household.reference", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "on",
            "year",
            "kind",
            "kind_label",
            "partner",
            "partner_name",
            "household_reference",
            "measure",
            "rent_reduction",
            "source",
            "amount",
            "measures_count",
            "label",
            "corrects",
            "created_at",
        ]
        read_only_fields = fields


class KindFiguresSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    committed = serializers.DecimalField(max_digits=20, decimal_places=2)
    received = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)


class PartnerFiguresSerializer(serializers.Serializer):
    partner = serializers.CharField(source="name")
    committed = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)


class YearFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner.pk", default=None, allow_null=True)
    engaged = serializers.DecimalField(max_digits=20, decimal_places=2)
    committed = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)
    forecast = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        help_text="Tout ce qui est inscrit pour l'année, mois de minoration à venir compris.",
    )
    households_targeted = serializers.IntegerField(
        allow_null=True, help_text="Objectif de ménages de l'année ; null s'il n'est pas fixé."
    )
    budget_missing = serializers.BooleanField(help_text="Le budget de l'année n'est pas fixé.")
    fees_booked = serializers.IntegerField(
        help_text="Mesures dont le forfait est inscrit dans l'année (ménages et mesures "
        "accompagnés : /api/statistics/)."
    )
    cost_per_household = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    by_kind = KindFiguresSerializer(many=True)
    by_partner = PartnerFiguresSerializer(many=True)


class MonthTotalSerializer(serializers.Serializer):
    month = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    partner = serializers.CharField()
    entries = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


def _year(value) -> int | None:
    year = query_id(value)
    return year if year and 1900 < year < 3000 else None


@extend_schema_view(
    list=extend_schema(
        summary="Registre des financements (coordination, financeurs, responsables)",
        parameters=[
            OpenApiParameter("year", int, description="Exercice"),
            OpenApiParameter("kind", str, enum=FundingKind.values),
            OpenApiParameter("partner", int, description="Partenaire qui porte l'écriture"),
            *DATE_RANGE,
        ],
    ),
    retrieve=extend_schema(summary="Une écriture du registre"),
)
class LedgerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LedgerEntry.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = LedgerEntrySerializer
    ordering_fields = ["on", "amount"]
    ordering = ["on", "id"]

    def _entries(self):
        ensure_can_see_ledger_lines(self.request.user)
        partner = budget_scope(self.request.user)
        entries = LedgerEntry.objects.select_related("partner", "household")
        return entries.filter(partner=partner) if partner is not None else entries

    def get_queryset(self):
        entries = self._entries()
        params = self.request.query_params
        year = _year(params.get("year"))
        if year:
            entries = entries.filter(year=year)
        if params.get("kind") in FundingKind.values:
            entries = entries.filter(kind=params["kind"])
        entries = filter_partner(entries, params, "partner")
        return filter_dates(entries, params, "on")

    def get_object(self):
        return get_object_or_404(self._entries(), pk=object_pk(self.kwargs["pk"]))

    @extend_schema(
        summary="Les chiffres d'une année (tableau de bord)",
        parameters=[
            OpenApiParameter("year", int, description="Exercice (année en cours par défaut)")
        ],
        responses=YearFiguresSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def figures(self, request):
        partner = budget_scope(request.user)
        year = _year(request.query_params.get("year")) or timezone.localdate().year
        return Response(YearFiguresSerializer(services.year_figures(year, partner)).data)

    @extend_schema(
        summary="Le registre en totaux par mois, type et partenaire (ce que lisent les financeurs)",
        parameters=[
            OpenApiParameter("year", int, description="Exercice (année en cours par défaut)")
        ],
        responses=MonthTotalSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def totals(self, request):
        partner = budget_scope(request.user)
        year = _year(request.query_params.get("year")) or timezone.localdate().year
        return Response(MonthTotalSerializer(services.ledger_totals(year, partner), many=True).data)
