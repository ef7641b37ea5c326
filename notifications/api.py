from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ROW_ID, KeysetPagination
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "household",
            "link",
            "created_at",
            "read_at",
            "task",
            "done_at",
            "object_type",
            "object_id",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Mes notifications",
        description=(
            "Les plus récentes d'abord, 50 par page. Les pages se suivent par curseur : "
            "« next » donne l'adresse de la page suivante (null à la fin) ; pas de numéro "
            "de page ni de total."
        ),
        parameters=[
            OpenApiParameter("unread", bool, description="Seulement les non lues"),
            OpenApiParameter("todo", bool, description="Seulement les demandes à faire"),
        ],
    ),
    retrieve=extend_schema(summary="Une notification"),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Notification.objects.none()  # for the schema; get_queryset filters
    lookup_value_regex = ROW_ID
    serializer_class = NotificationSerializer
    # Newest first, paged by keyset on (created_at, id): the thousandth page of a user with
    # a million notifications costs what the first does (notification_by_recipient index).
    pagination_class = KeysetPagination
    filter_backends = []

    def get_queryset(self):
        notifications = Notification.objects.filter(recipient=self.request.user)
        if self.request.query_params.get("unread") in ("true", "1"):
            notifications = notifications.filter(read_at=None)
        if self.request.query_params.get("todo") in ("true", "1"):
            notifications = notifications.filter(task=True, done_at=None)
        return notifications

    @extend_schema(summary="Marquer comme lue", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def read(self, request, pk=None):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationSerializer(notification).data)
