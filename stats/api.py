"""The statistics through the API, read only: what the page shows, for the same people,
with the same statistical secrecy (stats.permissions, stats.secrecy).

A hidden cell comes with `value` null and `suppressed` true. No answer names a household."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import query_id
from stats import indicators, secrecy
from stats.indicators import Period
from stats.permissions import ensure_can_see_statistics, funder_of, own_partner


class CellSerializer(serializers.Serializer):
    value = serializers.SerializerMethodField(
        help_text="Le chiffre (nombre décimal en texte) ou un texte ; null s'il est masqué."
    )
    suppressed = serializers.BooleanField(help_text="Masqué par le secret statistique.")

    def get_value(self, cell) -> str | None:
        if cell.suppressed or cell.value is None:
            return None
        return str(cell.value)


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = CellSerializer(many=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    first_column = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    units = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    note = serializers.CharField()


class HeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    cell = CellSerializer()


class IndicatorsSerializer(serializers.Serializer):
    since = serializers.DateField(source="period.start")
    until = serializers.DateField(source="period.end")
    partner = serializers.CharField(source="partner.name", default=None, allow_null=True)
    households_targeted = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(help_text="Le secret statistique est appliqué.")
    headlines = HeadlineSerializer(many=True)
    tables = TableSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    programme = IndicatorsSerializer()
    own = IndicatorsSerializer(allow_null=True, help_text="Responsable : sa structure.")
    contribution = TableSerializer(allow_null=True, help_text="Financeur : sa contribution.")


def _period(params) -> Period:
    year = query_id(params.get("year")) or date.today().year
    if not 2000 <= year <= date.today().year + 5:
        raise ValidationError({"year": ["Année hors de la période couverte."]})
    whole = Period.year(year)
    try:
        since = date.fromisoformat(params["since"]) if params.get("since") else whole.start
        until = date.fromisoformat(params["until"]) if params.get("until") else whole.end
    except ValueError as error:
        raise ValidationError({"since": ["Date attendue : AAAA-MM-JJ."]}) from error
    if since > until or abs(until.year - since.year) > 5:
        raise ValidationError({"until": ["La fin suit le début, dans les cinq ans."]})
    return Period(since, until)


class StatisticsView(APIView):
    """One answer (not a list): the period's statistics."""

    @extend_schema(
        summary="Les statistiques de la période (coordination, responsables, financeurs)",
        parameters=[
            OpenApiParameter("year", int, description="Année (en cours par défaut)"),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Du (inclus)"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Au (inclus)"),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        user = request.user
        ensure_can_see_statistics(user)
        period = _period(request.query_params)
        partner, funder = own_partner(user), funder_of(user)
        contribution = indicators.funder_contribution(period, funder) if funder else None
        if contribution is not None and not secrecy.sees_every_cell(user):
            secrecy.hide_table(contribution)
        data = {
            "programme": secrecy.for_user(indicators.compute(period), user),
            "own": secrecy.for_user(indicators.compute(period, partner), user) if partner else None,
            "contribution": contribution,
        }
        return Response(StatisticsSerializer(data).data)
