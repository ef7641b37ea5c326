from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from households.api import ROW_ID
from partners.models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "kind", "active"]


@extend_schema_view(
    list=extend_schema(summary="Partenaires du dispositif"),
    retrieve=extend_schema(summary="Un partenaire"),
)
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Bailleurs, associations, coordination et financeurs (lecture seule)."""

    queryset = Partner.objects.order_by("name")
    lookup_value_regex = ROW_ID
    serializer_class = PartnerSerializer
    ordering_fields = ["name", "kind"]
