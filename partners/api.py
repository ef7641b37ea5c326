from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.api import ROW_ID
from partners.models import Partner, PartnerKind


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "kind", "active"]


@extend_schema_view(
    list=extend_schema(
        summary="Partenaires du dispositif",
        parameters=[OpenApiParameter("kind", str, enum=PartnerKind.values)],
    ),
    retrieve=extend_schema(summary="Un partenaire"),
)
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Bailleurs, associations, coordination et financeurs (lecture seule)."""

    queryset = Partner.objects.order_by("name")
    lookup_value_regex = ROW_ID

    def get_queryset(self):
        partners = super().get_queryset()
        kind = self.request.query_params.get("kind")
        return partners.filter(kind=kind) if kind in PartnerKind.values else partners

    serializer_class = PartnerSerializer
    ordering_fields = ["name", "kind"]
